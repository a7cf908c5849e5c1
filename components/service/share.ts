// The share of new connections each real server actually got, next to the share its weight asks for.
import { destRingKey, type DirectorStore } from '@/components/realtime/store';
import { usesWeights } from '@/components/ipvs/describe';
import { destinationId, type Service } from '@/lib/ipvs';

export const SHARE_WINDOW_MS = 60_000;

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
}

export function computeShares(
  store: DirectorStore,
  director: string,
  sid: string,
  service: Service,
  end: number | null,
): Shares {
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

  const actual = new Map<string, number | null>();
  // Best: the kernel's connection counters over the last minute (exact, not the rate estimator's rounding), counted
  // from the last weight change on: what the current weights actually produce.
  if (end !== null) {
    const rings = service.destinations.map((d) => ({
      d,
      ring: store.ring(destRingKey(director, sid, destinationId(d))),
    }));
    const changed = Math.max(-Infinity, ...rings.map((r) => r.ring?.changedAt('weight') ?? -Infinity));
    const since = Math.max(end - SHARE_WINDOW_MS, changed);
    const deltas = rings.map(({ d, ring }) => {
      const w = ring?.delta('conns', since);
      return w ? { id: destinationId(d), n: w.to.conns - w.from.conns, span: w.to.t - w.from.t } : null;
    });
    const total = deltas.reduce((a, x) => a + (x && x.n > 0 ? x.n : 0), 0);
    if (deltas.every((x) => x !== null) && total > 0) {
      for (const x of deltas) if (x) actual.set(x.id, Math.max(0, x.n) / total);
      const span = Math.round(Math.max(...deltas.map((x) => x?.span ?? 0)) / 1000);
      const after = since === changed ? ' since the weights changed' : '';
      return { actual, byWeight, source: `new connections in the last ${span} s${after} (kernel counters)` };
    }
  }
  // Else the rate estimator's connections/s.
  const cps = service.destinations.map((d) => d.rate?.cps);
  const cpsSum = cps.reduce<number>((a, x) => a + (x ?? 0), 0);
  if (cps.every((x) => x !== undefined) && cpsSum > 0) {
    for (const d of service.destinations) actual.set(destinationId(d), (d.rate?.cps ?? 0) / cpsSum);
    return { actual, byWeight, source: 'current connections/s (kernel rate estimator)' };
  }
  for (const d of service.destinations) actual.set(destinationId(d), null);
  return { actual, byWeight, source: 'no new connections to compare yet' };
}
