// A sparkline's line: the live ring's samples, preceded by the dashboard's stored history from before the page
// opened (the rings only hold what the page has seen), so a line drawn on a fresh page does not start empty.

export interface SparkPoints {
  t: Float64Array;
  v: Float64Array;
}

/** A pause longer than this between two points breaks the line. */
const GAP_MS = 5_000;

/** One value of stored points as a line (a missing value is NaN: a break). */
export function sparkPointsOf<P extends { t: number }>(
  points: readonly P[],
  value: (p: P) => number | null | undefined,
): SparkPoints {
  return {
    t: Float64Array.from(points, (p) => p.t),
    v: Float64Array.from(points, (p) => value(p) ?? NaN),
  };
}

/** Stored points from before the first live one, then the live ones (NaN breaks the line across a pause). */
export function withStored(live: SparkPoints, stored: SparkPoints | undefined, since: number): SparkPoints {
  if (!stored) return live;
  const first = live.t.length ? (live.t[0] as number) : Infinity;
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < stored.t.length; i++) {
    const tt = stored.t[i] as number;
    if (tt < since || tt >= first - 500) continue;
    t.push(tt);
    v.push(stored.v[i] as number);
  }
  if (!t.length) return live;
  const last = t[t.length - 1] as number;
  if (first !== Infinity && first - last > GAP_MS) {
    t.push(last + 1);
    v.push(NaN);
  }
  const outT = new Float64Array(t.length + live.t.length);
  const outV = new Float64Array(t.length + live.t.length);
  outT.set(t);
  outT.set(live.t, t.length);
  outV.set(v);
  outV.set(live.v, t.length);
  return { t: outT, v: outV };
}
