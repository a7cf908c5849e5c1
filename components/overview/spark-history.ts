'use client';
// The Overview's sparklines start from the dashboard's stats history (the five minutes before the page opened), not
// from an empty line: one request per director, for the first services of its table.
import { useEffect, useState } from 'react';
import { api } from '@/components/auth/api';

/** Services whose history is asked for: the ones drawn without scrolling (the answer is ~300 points a service). */
export const HISTORY_SERVICES = 100;
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
