// The audit history: one row per change to a director's table, whoever made it. The intent is written before the
// kernel call (status 'pending') and completed after it. A row a stopped dashboard left pending is settled from the
// live table when the director is next read (ok, partial or error, with a note saying what was found); never deleted.
import { z } from 'zod';
import type { AuditEntry, AuditQuery, AuditSource, AuditStatus } from '../../../lib/api/contracts';
import type { Db } from './db';

export interface AuditIntent {
  user: string;
  source: AuditSource;
  director: string;
  operation: string;
  target: string;
  before: unknown;
  after: unknown;
  argv: string[][];
  /** When it happened, when not now (an agent's journal entry, copied later). */
  time?: number;
}

interface Row {
  id: number;
  time: number;
  user: string;
  source: AuditSource;
  director: string;
  operation: string;
  target: string;
  before_json: string;
  after_json: string;
  argv_json: string;
  status: AuditStatus;
  error: string | null;
  finished_at: number | null;
  note: string | null;
}

/** How many of a real server's newest audit rows `weightsBeforeDrain` reads: bounded work per request. */
export const DRAIN_LOOKBACK = 1000;
const WeightOf = z.object({ weight: z.number().int().min(0) });

const parse = (s: string): unknown => (s === '' ? null : JSON.parse(s));
const toEntry = (r: Row): AuditEntry => ({
  id: r.id,
  time: r.time,
  user: r.user,
  source: r.source,
  director: r.director,
  operation: r.operation,
  target: r.target,
  before: parse(r.before_json),
  after: parse(r.after_json),
  argv: parse(r.argv_json) as string[][],
  status: r.status,
  error: r.error,
  finishedAt: r.finished_at,
  note: r.note,
});

export class AuditLog {
  /** Called after every write (intent, completion, external record): the dashboard tells the browsers. */
  onChange: ((row: { id: number; director: string }) => void) | undefined;

  private changed(id: number): void {
    if (!this.onChange) return;
    const r = this.db.prepare('SELECT director FROM audit WHERE id = ?').get(id) as { director: string } | undefined;
    if (r) this.onChange({ id, director: r.director });
  }

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes the intent; returns the row id to complete with `finish`. */
  begin(i: AuditIntent): number {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO audit (time, user, source, director, operation, target, before_json, after_json, argv_json, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
      )
      .run(
        i.time ?? this.now(),
        i.user,
        i.source,
        i.director,
        i.operation,
        i.target,
        JSON.stringify(i.before ?? null),
        JSON.stringify(i.after ?? null),
        JSON.stringify(i.argv),
      );
    this.changed(Number(lastInsertRowid));
    return Number(lastInsertRowid);
  }

  /** Completes a row with what actually ran and how it ended; `after` replaces the intended after when given. */
  finish(id: number, r: { ok: boolean; error?: string; argv?: string[][]; after?: unknown }): void {
    this.db
      .prepare(
        `UPDATE audit SET status = ?, error = ?, finished_at = ?,
           argv_json = coalesce(?, argv_json), after_json = coalesce(?, after_json) WHERE id = ?`,
      )
      .run(
        r.ok ? 'ok' : 'error',
        r.ok ? null : (r.error ?? 'failed'),
        this.now(),
        r.argv ? JSON.stringify(r.argv) : null,
        r.after === undefined ? null : JSON.stringify(r.after),
        id,
      );
    this.changed(id);
  }

  /** A change that happened without an intent (made outside the dashboard, seen afterwards). */
  record(i: AuditIntent): number {
    const id = this.begin(i);
    this.finish(id, { ok: true });
    return id;
  }

  /** The time of the newest row of this director by this user (0 when none). */
  newestTime(director: string, user: string): number {
    const r = this.db
      .prepare('SELECT max(time) AS t FROM audit WHERE director = ? AND user = ?')
      .get(director, user) as {
      t: number | null;
    };
    return r.t ?? 0;
  }

  /** The newest row id (0 when empty): rows up to it were written before this dashboard started. */
  lastId(): number {
    return (this.db.prepare('SELECT max(id) AS id FROM audit').get() as { id: number | null }).id ?? 0;
  }

  /** A director's rows still pending, up to `maxId`, oldest first (at most `limit`). */
  pending(director: string, maxId: number, limit = 1000): AuditEntry[] {
    const rows = this.db
      .prepare(`SELECT * FROM audit WHERE status = 'pending' AND director = ? AND id <= ? ORDER BY id LIMIT ?`)
      .all(director, maxId, limit) as Row[];
    return rows.map(toEntry);
  }

  /** Settles a pending row with what the live table showed; the note doubles as the error of non-ok outcomes. */
  settle(id: number, s: { status: Exclude<AuditStatus, 'pending'>; note: string }): void {
    this.db
      .prepare(`UPDATE audit SET status = ?, note = ?, error = ?, finished_at = ? WHERE id = ? AND status = 'pending'`)
      .run(s.status, s.note, s.status === 'ok' ? null : s.note, this.now(), id);
    this.changed(id);
  }

  get(id: number): AuditEntry | undefined {
    const r = this.db.prepare('SELECT * FROM audit WHERE id = ?').get(id) as Row | undefined;
    return r && toEntry(r);
  }

  /**
   * The weight each of these real servers of a service had before it was last taken out of rotation (drained or set
   * to 0): the newest successful change to weight 0 among its last `DRAIN_LOOKBACK` rows. What "Restore" puts back,
   * kept across reloads and for every browser. Real servers with no such row are absent.
   */
  weightsBeforeDrain(director: string, sid: string, dids: readonly string[]): Map<string, number> {
    const newest = this.db.prepare(
      `SELECT before_json, after_json FROM audit
       WHERE director = ? AND target = ? AND status = 'ok' ORDER BY id DESC LIMIT ?`,
    );
    const weights = new Map<string, number>();
    for (const did of dids) {
      const rows = newest.all(director, `${sid}|${did}`, DRAIN_LOOKBACK) as Pick<Row, 'before_json' | 'after_json'>[];
      for (const r of rows) {
        const before = WeightOf.safeParse(parse(r.before_json));
        const after = WeightOf.safeParse(parse(r.after_json));
        if (before.success && after.success && after.data.weight === 0 && before.data.weight > 0) {
          weights.set(did, before.data.weight);
          break;
        }
      }
    }
    return weights;
  }

  /** Newest first. */
  query(q: Partial<AuditQuery> = {}): AuditEntry[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (clause: string, ...values: (string | number)[]) => {
      where.push(clause);
      args.push(...values);
    };
    if (q.director) add('director = ?', q.director);
    if (q.service)
      add("(target = ? OR target LIKE ? ESCAPE '\\')", q.service, `${q.service.replace(/[\\%_]/g, '\\$&')}|%`);
    if (q.user) add('user = ?', q.user);
    if (q.status) add('status = ?', q.status);
    if (q.from !== undefined) add('time >= ?', q.from);
    if (q.to !== undefined) add('time <= ?', q.to);
    if (q.before !== undefined) add('id < ?', q.before);
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit ?? 200) as Row[]).map(toEntry);
  }
}

const CSV_COLUMNS = [
  'id',
  'time',
  'user',
  'source',
  'director',
  'operation',
  'target',
  'status',
  'error',
  'argv',
  'before',
  'after',
] as const;

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function auditToCsv(rows: readonly AuditEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const argv = r.argv.map((a) => a.join(' ')).join('\n');
    lines.push(
      [
        r.id,
        new Date(r.time).toISOString(),
        r.user,
        r.source,
        r.director,
        r.operation,
        r.target,
        r.status,
        r.error,
        argv,
        r.before,
        r.after,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
