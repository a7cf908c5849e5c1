// The dashboard's SQLite database (better-sqlite3, WAL): users, sessions, audit, stats history, snapshots. Its schema
// is the numbered files in ./migrations/, applied in order when the database is opened.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** The file holds password hashes and session digests: owner only (0600), also the -wal and -shm files, also for a
 * file an older version created 0644. SQLite gives the -wal and -shm files the database file's mode. */
function ownerOnly(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/** Opens (creating when needed) the database file, or a private in-memory one for ':memory:'. */
export function openDb(file: string): Db {
  if (file !== ':memory:') {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    ownerOnly(file);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // WAL + NORMAL: durable across a process crash, fast enough for per-tick stats
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536'); // 64 MiB: an hour of raw stats for a big director is ~300 MB of B-tree
  migrate(db);
  return db;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** The schema's steps, `NNN-what.sql`, in the order they apply. Append only: a released file never changes. */
export function migrationFiles(): { name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8') }));
}

/** Release 0.1.0 kept one version per store in a `migrations` table; the files each store's steps became. */
const BEFORE_FILES: Record<string, readonly string[]> = {
  users: ['001-users.sql'],
  sessions: ['002-sessions.sql'],
  audit: ['003-audit.sql', '004-audit-note.sql', '005-audit-target-index.sql'],
  snapshots: ['006-snapshots.sql'],
  'stats-history': ['007-stats-history.sql'],
};

/** Records as applied the files a 0.1.0 database already ran as store steps, and drops its `migrations` table. */
function adoptPerStoreVersions(db: Db): void {
  const old = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get();
  if (!old) return;
  const record = db.prepare('INSERT OR IGNORE INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  for (const { store, version } of db.prepare('SELECT store, version FROM migrations').all() as {
    store: string;
    version: number;
  }[]) {
    const files = BEFORE_FILES[store];
    if (!files || version > files.length)
      throw new Error(`database: ${store} schema is version ${version}, newer than this dashboard`);
    for (const name of files.slice(0, version)) record.run(name, Date.now());
  }
  db.exec('DROP TABLE migrations');
}

/** Applies, each in its own transaction, the migration files the database has not recorded in schema_migrations. */
function migrate(db: Db): void {
  const files = migrationFiles();
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  db.transaction(() => adoptPerStoreVersions(db))();
  const applied = new Set(
    (db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((r) => r.name),
  );
  const unknown = [...applied].filter((name) => !files.some((f) => f.name === name));
  if (unknown.length > 0)
    throw new Error(`database: migration ${unknown.join(', ')} is from a newer dashboard than this one`);
  const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  for (const f of files) {
    if (applied.has(f.name)) continue;
    db.transaction(() => {
      db.exec(f.sql);
      record.run(f.name, Date.now());
    })();
  }
}
