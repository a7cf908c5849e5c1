-- Two directors that should hold the same table: master/backup (the second follows the first) or active/active.
-- A director belongs to at most one pair.
CREATE TABLE pairs (
  name TEXT PRIMARY KEY,
  first TEXT NOT NULL UNIQUE,
  second TEXT NOT NULL UNIQUE,
  mode TEXT NOT NULL CHECK (mode IN ('master-backup', 'active-active')),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  CHECK (first <> second)
);
