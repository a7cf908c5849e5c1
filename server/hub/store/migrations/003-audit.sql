CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  user TEXT NOT NULL,
  source TEXT NOT NULL,
  director TEXT NOT NULL,
  operation TEXT NOT NULL,
  target TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  argv_json TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  finished_at INTEGER
);
CREATE INDEX audit_time ON audit(time);
CREATE INDEX audit_director ON audit(director, time);
