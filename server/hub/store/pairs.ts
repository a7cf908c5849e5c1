// Pairs of directors (master/backup or active/active), in SQLite.
import type { PairInput } from '../../../lib/api/pairs';
import type { PairMode } from '../../../lib/drift';
import type { Db } from './db';

export interface Pair {
  name: string;
  first: string;
  second: string;
  mode: PairMode;
  createdAt: number;
  createdBy: string;
}

interface Row {
  name: string;
  first: string;
  second: string;
  mode: PairMode;
  created_at: number;
  created_by: string;
}
const toPair = (r: Row): Pair => ({
  name: r.name,
  first: r.first,
  second: r.second,
  mode: r.mode,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

export class PairStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Pair[] {
    return (this.db.prepare('SELECT * FROM pairs ORDER BY name').all() as Row[]).map(toPair);
  }

  get(name: string): Pair | undefined {
    const r = this.db.prepare('SELECT * FROM pairs WHERE name = ?').get(name) as Row | undefined;
    return r && toPair(r);
  }

  /** The pair a director belongs to. */
  of(director: string): Pair | undefined {
    const r = this.db.prepare('SELECT * FROM pairs WHERE first = ? OR second = ?').get(director, director) as
      Row | undefined;
    return r && toPair(r);
  }

  /** Creates or replaces the pair `p.name`; a member already in another pair is an error naming it. */
  set(p: PairInput, by: string): Pair {
    for (const d of [p.first, p.second]) {
      const other = this.of(d);
      if (other && other.name !== p.name) throw new Error(`${d} is already in pair ${other.name}`);
    }
    this.db
      .prepare(
        `INSERT INTO pairs (name, first, second, mode, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET first = excluded.first, second = excluded.second, mode = excluded.mode`,
      )
      .run(p.name, p.first, p.second, p.mode, this.now(), by);
    return this.get(p.name) as Pair;
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM pairs WHERE name = ?').run(name).changes > 0;
  }
}
