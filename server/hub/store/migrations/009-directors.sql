-- Directors added by admins in the UI (LVS_AGENTS entries are not stored: they come from the environment). The
-- agent's token is sealed with AES-256-GCM under the key file beside the database (see director-secrets.ts).
CREATE TABLE directors (
  name TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  token_sealed TEXT NOT NULL,
  fingerprint TEXT,
  ca TEXT,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
