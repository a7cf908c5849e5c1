// Saved rule snapshots: a director's table as `ipvsadm -S -n` text (the format `ipvsadm -R` and the agent's apply
// take), with a name. Automatic ones are taken before every restore and bulk change, so a rollback is a restore of one.
import type { Snapshot, SnapshotKind, SnapshotMeta } from '../../../lib/api/contracts';
import type { Db } from './db';

interface Row {
  id: number;
  name: string;
  director: string;
  kind: SnapshotKind;
  created_at: number;
  created_by: string;
  services: number;
  destinations: number;
  rules?: string;
}

const toMeta = (r: Row): SnapshotMeta => ({
  id: r.id,
  name: r.name,
  director: r.director,
  kind: r.kind,
  createdAt: r.created_at,
  createdBy: r.created_by,
  services: r.services,
  destinations: r.destinations,
});

const META = 'id, name, director, kind, created_at, created_by, services, destinations';

export class SnapshotStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  save(s: {
    name: string;
    director: string;
    kind: SnapshotKind;
    createdBy: string;
    rules: string;
    services: number;
    destinations: number;
  }): SnapshotMeta {
    const { lastInsertRowid } = this.db
      .prepare(
        'INSERT INTO snapshots (name, director, kind, created_at, created_by, services, destinations, rules) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(s.name, s.director, s.kind, this.now(), s.createdBy, s.services, s.destinations, s.rules);
    return this.meta(Number(lastInsertRowid)) as SnapshotMeta;
  }

  private meta(id: number): SnapshotMeta | undefined {
    const r = this.db.prepare(`SELECT ${META} FROM snapshots WHERE id = ?`).get(id) as Row | undefined;
    return r && toMeta(r);
  }

  get(id: number): Snapshot | undefined {
    const r = this.db.prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as (Row & { rules: string }) | undefined;
    return r && { ...toMeta(r), rules: r.rules };
  }

  /** The newest `limit`, newest first (SQLite keeps only `limit` rows while it reads: a bounded top-N). */
  /** The newest `limit` snapshots (of one director, or all) older than id `before`, newest first; `more`: older ones
   * exist (one row past the page is read to know). */
  list(director: string | undefined, limit: number, before?: number): { snapshots: SnapshotMeta[]; more: boolean } {
    const below = before ?? Number.MAX_SAFE_INTEGER;
    const rows = (
      director
        ? this.db
            .prepare(`SELECT ${META} FROM snapshots WHERE director = ? AND id < ? ORDER BY id DESC LIMIT ?`)
            .all(director, below, limit + 1)
        : this.db.prepare(`SELECT ${META} FROM snapshots WHERE id < ? ORDER BY id DESC LIMIT ?`).all(below, limit + 1)
    ) as Row[];
    return { snapshots: rows.slice(0, limit).map(toMeta), more: rows.length > limit };
  }

  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM snapshots WHERE id = ?').run(id).changes > 0;
  }
}
