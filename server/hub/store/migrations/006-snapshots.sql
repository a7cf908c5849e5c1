CREATE TABLE snapshots (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  director TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('manual', 'auto')),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  services INTEGER NOT NULL,
  destinations INTEGER NOT NULL,
  rules TEXT NOT NULL
);
CREATE INDEX snapshots_director ON snapshots(director, created_at);
