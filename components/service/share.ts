// The share of new connections each real server actually got, next to the share its weight asks for.
import { destRingKey, type DirectorStore } from '@/components/realtime/store';
import { usesWeights } from '@/components/ipvs/describe';
import { formatCount } from '@/components/ui/format';
import { destinationId, type Service } from '@/lib/ipvs';
import type { ChartPoint } from './RateChart';
import type { HistoryData } from './stats-history';

/** The actual share counts the new connections of the last five minutes (or since the weights last changed). */
export const SHARE_WINDOW_MS = 5 * 60_000;
/**
 * Fewer new connections than this cannot tell a skewed split from chance (at 200, a server due 10% gets 10% ± 2%,
 * one standard deviation): the gap is not shown as a warning.
 */
export const SHARE_MIN_SAMPLE = 200;
/** A pause between stored points longer than this is a gap (no ticks were stored), not traffic. */
const MAX_STEP_MS = 5000;

export interface Shares {
  /** Fraction of new connections per real server id; null when unknown. */
  actual: Map<string, number | null>;
  /**
   * The share the weights ask for: weight / sum of weights for schedulers that split by weight; an equal share of the
   * servers with weight > 0 for those that do not (rr, lc, dh, sh); everything to the heaviest for fo.
   */
  byWeight: Map<string, number>;
  /** How `actual` was measured, for the column's title. */
  source: string;
  /** The window `actual` covers and its sample, shown under the column's name: "last 5 min, 1,234 new conns". */
  window: string;
  /** Whether the sample is large enough for a gap between actual and by-weight to mean something. */
  meaningful: boolean;
}

const spanText = (ms: number) => {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
};

function byWeightOf(service: Service): Map<string, number> {
  const byWeight = new Map<string, number>();
  const up = service.destinations.filter((d) => d.weight > 0);
  const weightSum = up.reduce((a, d) => a + d.weight, 0);
  const top = Math.max(0, ...up.map((d) => d.weight));
  const first = up.find((d) => d.weight === top);
  for (const d of service.destinations) {
    let share = 0;
    if (d.weight > 0) {
      if (usesWeights(service.scheduler)) share = d.weight / weightSum;
      else if (service.scheduler === 'fo') share = d === first ? 1 : 0;
      else share = 1 / up.length;
    }
    byWeight.set(destinationId(d), share);
  }
  return byWeight;
}

/** New connections in [from, to) from stored per-tick rates (connections/s x seconds), and the first point's time. */
function storedCount(points: readonly ChartPoint[] | undefined, from: number, to: number) {
  let n = 0;
  let first: number | null = null;
  let prev: number | null = null;
  for (const p of points ?? []) {
    if (p.t < from || p.t >= to || p.cps === undefined || p.cps === null) continue;
    first ??= p.t;
    if (prev !== null) n += (p.cps * Math.min(p.t - prev, MAX_STEP_MS)) / 1000;
    prev = p.t;
  }
  return { n, first };
}

/**
 * The actual share over the window: the kernel's connection counters the page has seen (exact), preceded by the
 * dashboard's stats history for the part of the window before the page opened, so a fresh page does not judge a split
 * on its first few connections. The window starts at the last weight change this page saw, if it is more recent.
 */
export function computeShares(
  store: DirectorStore,
  director: string,
  sid: string,
  service: Service,
  end: number | null,
  history: HistoryData | null,
): Shares {
  const byWeight = byWeightOf(service);
  const actual = new Map<string, number | null>();
  if (end !== null) {
    const rings = service.destinations.map((d) => ({
      did: destinationId(d),
      ring: store.ring(destRingKey(director, sid, destinationId(d))),
    }));
    const changed = Math.max(-Infinity, ...rings.map((r) => r.ring?.changedAt('weight') ?? -Infinity));
    const since = Math.max(end - SHARE_WINDOW_MS, changed);
    let start = end;
    const counts = rings.map(({ did, ring }) => {
      const live = ring?.delta('conns', since);
      const liveFrom = live?.from.t ?? end;
      const stored = storedCount(history?.[`${sid}|${did}`], since, liveFrom);
      start = Math.min(start, stored.first ?? liveFrom);
      return { did, n: stored.n + (live ? Math.max(0, live.to.conns - live.from.conns) : 0) };
    });
    const total = counts.reduce((a, x) => a + x.n, 0);
    if (total > 0) {
      for (const x of counts) actual.set(x.did, x.n / total);
      const span = spanText(end - start);
      const after = since === changed ? ' since the weights changed' : '';
      return {
        actual,
        byWeight,
        source: `new connections in the last ${span}${after} (kernel counters, and the stats history before this page opened)`,
        window: `last ${span}${after}, ${formatCount(Math.round(total))} new conns`,
        meaningful: total >= SHARE_MIN_SAMPLE,
      };
    }
  }
  for (const d of service.destinations) actual.set(destinationId(d), null);
  return {
    actual,
    byWeight,
    source: 'no new connections to compare yet',
    window: 'no new conns yet',
    meaningful: false,
  };
}
