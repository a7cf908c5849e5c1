import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from './db';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('database file', () => {
  it('is readable and writable by its owner only (0600), with its WAL and shared-memory files', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lvs-db-'));
    const file = path.join(dir, 'lvs-dashboard.db');
    const previous = process.umask(0o022);
    try {
      const db = openDb(file);
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      for (const f of [file, `${file}-wal`, `${file}-shm`])
        expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
      db.close();
    } finally {
      process.umask(previous);
    }
  });
});
