// The dashboard's SQLite database (better-sqlite3, WAL): users, sessions, audit, stats history, snapshots. Each store
// owns its tables and brings them up to date with `migrate` when it is created.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
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
  db.exec('CREATE TABLE IF NOT EXISTS migrations (store TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  return db;
}

/** Runs the steps of `store` the database has not seen yet, each in its own transaction. Steps are append-only. */
export function migrate(db: Db, store: string, steps: readonly string[]): void {
  const row = db.prepare('SELECT version FROM migrations WHERE store = ?').get(store) as
    { version: number } | undefined;
  const done = row?.version ?? 0;
  if (done > steps.length)
    throw new Error(`database: ${store} schema is version ${done}, newer than this dashboard (${steps.length})`);
  for (let v = done; v < steps.length; v++) {
    db.transaction(() => {
      db.exec(steps[v] as string);
      db.prepare(
        'INSERT INTO migrations (store, version) VALUES (?, ?) ON CONFLICT(store) DO UPDATE SET version = excluded.version',
      ).run(store, v + 1);
    })();
  }
}
