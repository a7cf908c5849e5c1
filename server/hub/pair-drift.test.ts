// Drift is pushed, not polled: a member's table change schedules one comparison per pair and member tick however many
// deltas arrive, each change is emitted, and drift appearing (none -> some) is one audit row.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSave, type TableState } from '../../lib/ipvs';
import type { Hub, HubEvents } from './hub';
import { PairDrift } from './pair-drift';
import { AuditLog } from './store/audit';
import { openDb } from './store/db';
import { PairStore } from './store/pairs';

const TICK_MS = 1000;
const RULES = (weight: number) => `-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w ${weight}\n`;

/** The hub as PairDrift reads it: each member's current table and tick, and its events. */
class Members extends EventEmitter<HubEvents> {
  readonly tables = new Map<string, TableState>();
  link(name: string) {
    const state = this.tables.get(name);
    return state && { state, status: 'live', agentInfo: { tickMs: TICK_MS } };
  }
  /** A new version of the member's table, as the agent's delta announces it. */
  set(name: string, weight: number): void {
    const version = (this.tables.get(name)?.version ?? 0) + 1;
    const state = { epoch: 'e', version, services: parseSave(RULES(weight)), daemons: [] } as unknown as TableState;
    this.tables.set(name, state);
    this.emit('delta', name, { epoch: 'e', version, updatedAt: 0 });
  }
}

let members: Members;
let drift: PairDrift;
let audit: AuditLog;
let pushed: { name: string; count: number | null }[];

beforeEach(() => {
  vi.useFakeTimers();
  const db = openDb(':memory:');
  members = new Members();
  audit = new AuditLog(db);
  const store = new PairStore(db);
  members.set('lvs1', 1);
  members.set('lvs2', 1);
  drift = new PairDrift(members as unknown as Hub, store, audit);
  store.set({ name: 'web', first: 'lvs1', second: 'lvs2', mode: 'master-backup' }, 'admin');
  drift.pairChanged('web');
  pushed = [];
  drift.on('changed', (u) => pushed.push({ name: u.name, count: u.pair?.drift?.items.length ?? null }));
});
afterEach(() => {
  drift.close();
  vi.useRealTimers();
});

const driftRows = () => audit.query({ limit: 50 }).filter((r) => r.operation === 'drift-detected');

describe('pushed pair drift', () => {
  it('compares once per tick however many deltas of either member arrive, and pushes the change', async () => {
    const before = drift.computed;
    members.set('lvs1', 2);
    members.set('lvs2', 3);
    members.set('lvs1', 4);
    await vi.advanceTimersByTimeAsync(TICK_MS);
    expect(drift.computed - before).toBe(1);
    expect(pushed).toEqual([{ name: 'web', count: 1 }]);

    // a second burst waits for the tick after the last comparison, then is one comparison again
    members.set('lvs2', 4);
    members.set('lvs2', 4);
    await vi.advanceTimersByTimeAsync(TICK_MS / 2);
    expect(drift.computed - before).toBe(1);
    await vi.advanceTimersByTimeAsync(TICK_MS);
    expect(drift.computed - before).toBe(2);
    expect(pushed).toEqual([
      { name: 'web', count: 1 },
      { name: 'web', count: 0 },
    ]);
  });

  it('does not push when the drift is unchanged', async () => {
    members.set('lvs1', 1);
    await vi.advanceTimersByTimeAsync(TICK_MS);
    expect(pushed).toEqual([]);
  });

  it('audits drift appearing once, not each change while drifting', async () => {
    for (const [first, second] of [
      [2, 1], // none -> some: audited
      [3, 1], // some -> other: not
      [3, 3], // back in step
      [5, 3], // none -> some: audited
    ] as const) {
      members.set('lvs1', first);
      members.set('lvs2', second);
      await vi.advanceTimersByTimeAsync(TICK_MS);
    }
    expect(pushed.map((p) => p.count)).toEqual([1, 1, 0, 1]);
    expect(driftRows()).toHaveLength(2);
  });

  it('pushes a removed pair as null and counts only known drift for /metrics', async () => {
    members.set('lvs1', 2);
    await vi.advanceTimersByTimeAsync(TICK_MS);
    expect(drift.counts()).toEqual([{ pair: 'web', master: 'lvs1', backup: 'lvs2', count: 1 }]);
    drift.pairs.remove('web');
    drift.pairChanged('web');
    expect(pushed.at(-1)).toEqual({ name: 'web', count: null });
    expect(drift.counts()).toEqual([]);
  });
});
