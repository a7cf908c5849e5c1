// The drift of every pair, kept current: computed again when a member's configuration changes (its table's epoch
// and version; counters alone never do), and recorded as an audit row when drift appears or changes.
import type { PairView } from '../../lib/api/pairs';
import { computeDrift, type Drift } from '../../lib/drift';
import type { TableState } from '../../lib/ipvs';
import type { Hub } from './hub';
import type { AuditLog } from './store/audit';
import type { Pair, PairStore } from './store/pairs';

/** How many drift items an audit row keeps (a count says how many there were). */
const AUDITED_ITEMS = 50;

interface Known {
  /** The members' (epoch, version) the drift was computed for. */
  key: string;
  drift: Drift;
  /** The items as one string: an audit row is written when it changes to a non-empty one. */
  signature: string;
}

const versionOf = (s: TableState) => `${s.epoch}/${s.version}`;

export class PairDrift {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly hub: Hub,
    readonly pairs: PairStore,
    private readonly audit: Pick<AuditLog, 'begin' | 'finish'>,
  ) {
    const changed = (director: string) => {
      const pair = this.pairs.of(director);
      if (pair) this.current(pair);
    };
    hub.on('snapshot', changed);
    hub.on('delta', (director, delta) => {
      // a tick that moved only counters keeps the version: nothing to compare again
      const pair = this.pairs.of(director);
      if (pair && !this.known.get(pair.name)?.key.includes(`${delta.epoch}/${delta.version} `)) this.current(pair);
    });
  }

  /** The pair's drift now, or why it is not known. */
  view(pair: Pair): PairView {
    const base = { name: pair.name, first: pair.first, second: pair.second, mode: pair.mode };
    const why = this.missing(pair);
    if (why) return { ...base, drift: null, unknown: why };
    return { ...base, drift: this.current(pair)?.drift ?? null };
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
    const drift = computeDrift(pair.mode, a, b);
    const signature = JSON.stringify(drift.items);
    const known = { key, drift, signature };
    this.known.set(pair.name, known);
    if (drift.items.length > 0 && signature !== old?.signature) this.record(pair, drift);
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
