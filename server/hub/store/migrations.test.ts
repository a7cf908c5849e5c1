import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserStore } from '../auth/users';
import { AuditLog } from './audit';
import { migrationFiles, openDb, type Db } from './db';

const RELEASE_0_1_0 = readFileSync(new URL('./__fixtures__/release-0.1.0.sql', import.meta.url), 'utf8');
const FILES = migrationFiles().map((f) => f.name);

let dir = '';
let file = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lvs-migrate-'));
  file = path.join(dir, 'lvs-dashboard.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database file written with plain SQL, as an earlier release left it. */
function writeDb(sql: string): void {
  const raw = new Database(file);
  raw.exec(sql);
  raw.close();
}

const tables = (db: Db) =>
  (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);

/** Every row of every table, each table's rows in a stable order. */
function rows(db: Db, names: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(
    names.map((t) => [
      t,
      db
        .prepare(`SELECT * FROM ${t}`)
        .all()
        .map((r) => JSON.stringify(r))
        .sort(),
    ]),
  );
}

/** Tables and indexes with their SQL, whitespace aside: what a schema is, however its statements were laid out. */
function schema(db: Db): string[] {
  return (
    db
      .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT IN ('schema_migrations', 'migrations')")
      .all() as { type: string; name: string; sql: string | null }[]
  )
    .map((r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1')}`)
    .sort();
}

const recorded = (db: Db) =>
  (db.prepare('SELECT name FROM schema_migrations ORDER BY name').all() as { name: string }[]).map((r) => r.name);

describe('database migrations', () => {
  it('are numbered files applied in order, each once: reopening a database applies nothing', () => {
    expect(FILES[0]).toBe('001-users.sql');
    let db = openDb(file);
    expect(recorded(db)).toEqual(FILES);
    db.close();
    db = openDb(file);
    expect(recorded(db)).toEqual(FILES);
    db.close();
  });

  it('upgrade a database made by release 0.1.0 in place, keeping every row, to the schema a new one gets', async () => {
    writeDb(RELEASE_0_1_0);
    const raw = new Database(file, { readonly: true });
    const names = tables(raw).filter((t) => t !== 'migrations');
    const before = rows(raw, names);
    raw.close();
    expect(Object.values(before).flat().length).toBeGreaterThan(20);

    const db = openDb(file);
    expect(rows(db, names)).toEqual(before);
    expect(recorded(db)).toEqual(FILES);
    expect(tables(db)).not.toContain('migrations');
    const fresh = openDb(':memory:');
    expect(schema(db)).toEqual(schema(fresh));

    // the stores read and write the upgraded file
    expect((await new UserStore(db).verify('admin', 'correct horse battery staple'))?.role).toBe('admin');
    const audit = new AuditLog(db);
    expect(audit.pending('lab', audit.lastId()).map((e) => e.operation)).toEqual(['apply']);
    audit.settle(2, { status: 'error', note: 'not found in the live table' });
    expect(audit.get(2)?.note).toBe('not found in the live table');
    db.close();
  });

  it('upgrade a 0.1.0 database whose stores had not all run: the missing steps run, the done ones do not', () => {
    const users = migrationFiles().find((f) => f.name === '001-users.sql')?.sql ?? '';
    writeDb(`CREATE TABLE migrations (store TEXT PRIMARY KEY, version INTEGER NOT NULL);
      INSERT INTO migrations VALUES ('users', 1);
      ${users}
      INSERT INTO users VALUES (1, 'admin', 'admin', 'x', 0, 0);`);
    const db = openDb(file);
    expect(recorded(db)).toEqual(FILES);
    expect(rows(db, ['users']).users).toHaveLength(1);
    expect(schema(db)).toEqual(schema(openDb(':memory:')));
    db.close();
  });

  it('refuse a database a newer dashboard migrated, naming the step this one does not know', () => {
    const db = openDb(file);
    db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run('999-future.sql', 0);
    db.close();
    expect(() => openDb(file)).toThrow('migration 999-future.sql is from a newer dashboard than this one');
  });
});
