'use client';
// The Overview's sparklines start from the dashboard's stats history (the five minutes before the page opened), not
// from an empty line: one request per director, for the first services of its table.
import { useEffect, useState } from 'react';
import { api } from '@/components/auth/api';

/** Services whose history is asked for: the ones drawn without scrolling (the answer is ~300 points a service). */
export const HISTORY_SERVICES = 100;
/** A pause longer than this between two points breaks the line. */
const GAP_MS = 5_000;

export interface SparkHistory {
  t: Float64Array;
  inBps: Float64Array;
  outBps: Float64Array;
}

/** Stored 5-minute history of these services, by service id; empty until the answer arrives. */
export function useSparkHistory(director: string, sids: readonly string[]): ReadonlyMap<string, SparkHistory> {
  const [history, setHistory] = useState<ReadonlyMap<string, SparkHistory>>(new Map());
  const key = sids.slice(0, HISTORY_SERVICES).join('\n');
  useEffect(() => {
    if (!key) return;
    let cancelled = false;
    void api('director:stats', { director, series: key.split('\n'), range: '5m' }).then((r) => {
      if (cancelled || !r.ok) return;
      const next = new Map<string, SparkHistory>();
      for (const [sid, points] of Object.entries(r.data.series))
        next.set(sid, {
          t: Float64Array.from(points, (p) => p.t),
          inBps: Float64Array.from(points, (p) => p.inBps),
          outBps: Float64Array.from(points, (p) => p.outBps),
        });
      setHistory(next);
    });
    return () => {
      cancelled = true;
    };
  }, [director, key]);
  return history;
}

/** Stored points from before the first live one, then the live ones (NaN breaks the line across a pause). */
export function withStored(
  live: { t: Float64Array; v: Float64Array },
  stored: { t: Float64Array; v: Float64Array } | undefined,
  since: number,
): { t: Float64Array; v: Float64Array } {
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
