// The drift of every pair, pushed: when a member's configuration changes (its table's epoch and version; counters
// alone never do), the pair's drift is computed again, at most once per member tick however many deltas arrive, and
// each change is emitted for the browsers. Drift appearing (none -> some) is one audit row.
import { EventEmitter } from 'node:events';
import type { PairView } from '../../lib/api/pairs';
import { computeDrift, type Drift } from '../../lib/drift';
import type { TableState } from '../../lib/ipvs';
import type { PairDriftReading } from '../../lib/metrics/pair-drift';
import type { Hub } from './hub';
import type { AuditLog } from './store/audit';
import type { Pair, PairStore } from './store/pairs';

/** How many drift items an audit row keeps (a count says how many there were). */
const AUDITED_ITEMS = 50;
/** The agents' tick when a member has not said its own. */
const DEFAULT_TICK_MS = 1000;

interface Known {
  /** The members' (epoch, version) the drift was computed for. */
  key: string;
  drift: Drift;
}

export interface PairDriftEvents {
  /** A pair's drift changed (or it became known or unknown); `pair` null: the pair was removed. */
  changed: [{ name: string; pair: PairView | null }];
}

const versionOf = (s: TableState) => `${s.epoch}/${s.version}`;

export class PairDrift extends EventEmitter<PairDriftEvents> {
  private readonly known = new Map<string, Known>();
  /** What was last emitted per pair (items and why unknown), so that only changes are pushed. */
  private readonly pushed = new Map<string, string>();
  /** Pairs with a recomputation waiting, and when each was last computed. */
  private readonly scheduled = new Map<string, NodeJS.Timeout>();
  private readonly lastRun = new Map<string, number>();
  private computations = 0;

  constructor(
    private readonly hub: Hub,
    readonly pairs: PairStore,
    private readonly audit: Pick<AuditLog, 'begin' | 'finish'>,
    private readonly now: () => number = Date.now,
  ) {
    super();
    hub.on('snapshot', (director) => this.schedule(this.pairs.of(director)));
    hub.on('delta', (director, delta) => {
      const pair = this.pairs.of(director);
      // a tick that moved only counters keeps the version: nothing to compare again
      if (pair && !this.known.get(pair.name)?.key.includes(`${delta.epoch}/${delta.version} `)) this.schedule(pair);
    });
    // a member connecting or going away makes the drift known or unknown
    hub.on('directors', () => {
      for (const p of this.pairs.list()) this.schedule(p);
    });
  }

  /** How many times a drift was computed (each is a full comparison of the two tables). */
  get computed(): number {
    return this.computations;
  }

  /** The pair's drift now, or why it is not known. */
  view(pair: Pair): PairView {
    const base = { name: pair.name, first: pair.first, second: pair.second, mode: pair.mode };
    const why = this.missing(pair);
    if (why) return { ...base, drift: null, unknown: why };
    return { ...base, drift: this.current(pair)?.drift ?? null };
  }

  /** Each pair's drift count, for /metrics (pairs whose drift is not known are left out). */
  counts(): PairDriftReading[] {
    return this.pairs.list().flatMap((p) => {
      const drift = this.view(p).drift;
      return drift ? [{ pair: p.name, master: p.first, backup: p.second, count: drift.items.length }] : [];
    });
  }

  /** Pushes a pair that was just set or removed (by its name) at once. */
  pairChanged(name: string): void {
    const pair = this.pairs.get(name);
    if (pair) return this.push(pair);
    this.known.delete(name);
    this.pushed.delete(name);
    this.lastRun.delete(name);
    clearTimeout(this.scheduled.get(name));
    this.scheduled.delete(name);
    this.emit('changed', { name, pair: null });
  }

  close(): void {
    for (const t of this.scheduled.values()) clearTimeout(t);
    this.scheduled.clear();
    this.removeAllListeners();
  }

  /** Coalesces: one recomputation per pair waiting at a time, no sooner than a member tick after the last. */
  private schedule(pair: Pair | undefined): void {
    if (!pair || this.scheduled.has(pair.name)) return;
    const last = this.lastRun.get(pair.name);
    const wait = last === undefined ? 0 : Math.max(0, last + this.tickOf(pair) - this.now());
    const timer = setTimeout(() => {
      this.scheduled.delete(pair.name);
      const still = this.pairs.get(pair.name);
      if (still) this.push(still);
    }, wait);
    timer.unref();
    this.scheduled.set(pair.name, timer);
  }

  private tickOf(pair: Pair): number {
    const ticks = [pair.first, pair.second].map((d) => this.hub.link(d)?.agentInfo?.tickMs ?? DEFAULT_TICK_MS);
    return Math.min(...ticks);
  }

  private push(pair: Pair): void {
    this.lastRun.set(pair.name, this.now());
    const view = this.view(pair);
    const signature = JSON.stringify([view.drift?.items ?? null, view.unknown ?? null, pair.first, pair.second]);
    if (this.pushed.get(pair.name) === signature) return;
    this.pushed.set(pair.name, signature);
    this.emit('changed', { name: pair.name, pair: view });
  }

  private missing(pair: Pair): string | undefined {
    for (const d of [pair.first, pair.second]) {
      const link = this.hub.link(d);
      if (!link) return `${d} is not a configured director`;
      if (!link.state) return `${d} has not sent its table (${link.status})`;
    }
    return undefined;
  }

  private current(pair: Pair): Known | undefined {
    const a = this.hub.link(pair.first)?.state;
    const b = this.hub.link(pair.second)?.state;
    if (!a || !b) return undefined;
    const key = `${versionOf(a)} ${versionOf(b)} ${pair.mode}`;
    const old = this.known.get(pair.name);
    if (old?.key === key) return old;
    this.computations++;
    const drift = computeDrift(pair.mode, a, b);
    const known = { key, drift };
    this.known.set(pair.name, known);
    if (drift.items.length > 0 && !old?.drift.items.length) this.record(pair, drift);
    return known;
  }

  private record(pair: Pair, drift: Drift): void {
    const id = this.audit.begin({
      user: 'drift-check',
      source: 'external',
      director: pair.second,
      operation: 'drift-detected',
      target: `pair ${pair.name}`,
      before: null,
      after: { count: drift.items.length, items: drift.items.slice(0, AUDITED_ITEMS) },
      argv: drift.diff.plan.slice(0, AUDITED_ITEMS).map((p) => ['ipvsadm', ...p]),
    });
    this.audit.finish(id, { ok: true });
  }
}
