// What each director's health checks and drains did, in the audit history: the agent journals its transitions, the
// edits they made, quorum changes and hook runs (user "health-check") and the removal of drained real servers once
// empty (user "drain"); the hub copies new entries into the audit whenever the agent pushes a health change. After a
// (re)connection the copy resumes after the newest row already copied (by time: a restarted agent may count its
// journal from 1 again).
import type { HealthJournalEntry, HealthUpdate } from '../../lib/health';
import type { AgentLink } from './agent-link';
import type { AuditLog } from './store/audit';

const ACTORS: HealthJournalEntry['actor'][] = ['health-check', 'drain'];

export interface HealthLinks {
  link(director: string): AgentLink | undefined;
  on(event: 'health', listener: (director: string, u: HealthUpdate & { fresh?: true }) => void): unknown;
}

interface Cursor {
  /** The last journal seq copied in this connection; null: resume by time. */
  seq: number | null;
  running: Promise<void> | null;
  again: boolean;
}

export class HealthAudit {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly hub: HealthLinks,
    private readonly audit: Pick<AuditLog, 'begin' | 'finish' | 'newestTime'>,
  ) {
    hub.on('health', (director, u) => {
      const c = this.cursor(director);
      if (u.fresh) c.seq = null;
      void this.copy(director);
    });
  }

  private cursor(director: string): Cursor {
    let c = this.cursors.get(director);
    if (!c) this.cursors.set(director, (c = { seq: null, running: null, again: false }));
    return c;
  }

  /** Copies the entries not yet in the audit; one copy at a time per director (a call meanwhile runs once more). */
  copy(director: string): Promise<void> {
    const c = this.cursor(director);
    if (c.running) {
      c.again = true;
      return c.running;
    }
    c.running = (async () => {
      do {
        c.again = false;
        await this.copyOnce(director, c);
      } while (c.again);
    })().finally(() => (c.running = null));
    return c.running;
  }

  private async copyOnce(director: string, c: Cursor): Promise<void> {
    const link = this.hub.link(director);
    if (!link?.health.available) return;
    const r = await link.healthJournal(c.seq ?? 0);
    if (!r.ok) return;
    const after = c.seq === null ? Math.max(...ACTORS.map((a) => this.audit.newestTime(director, a))) : -1;
    for (const e of r.data) if (e.at > after) this.record(director, e);
    const last = r.data.at(-1);
    if (last) c.seq = last.seq;
    else c.seq ??= 0;
  }

  private record(director: string, e: HealthJournalEntry): void {
    const id = this.audit.begin({
      user: e.actor,
      source: e.actor,
      director,
      operation: e.actor === 'drain' ? 'drain-remove' : `health-${e.kind}`,
      target: e.destination ? `${e.service}|${e.destination}` : e.service,
      before: e.from === undefined ? null : { health: e.from },
      after: { ...(e.to === undefined ? {} : { health: e.to }), reason: e.reason },
      argv: e.result ? [e.result.argv] : [],
      time: e.at,
    });
    const failed = e.result && !e.result.ok;
    this.audit.finish(id, failed ? { ok: false, error: e.result?.stderr || e.reason } : { ok: true });
  }
}
