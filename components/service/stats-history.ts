'use client';
// Chart history from the dashboard's stats store (GET /api/v1/directors/{d}/stats): the ranges beyond the live five
// minutes, and the five minutes before the page was opened (so the live charts do not start empty).
import { useEffect, useState } from 'react';
import { api } from '@/components/auth/api';
import type { StatsPoint } from '@/lib/stats';
import type { ChartPoint } from './RateChart';

export const CHART_RANGES = [
  { id: '5m', label: '5 min', windowMs: 5 * 60_000, refreshMs: 0 },
  { id: '1h', label: '1 h', windowMs: 3600_000, refreshMs: 15_000 },
  { id: '24h', label: '24 h', windowMs: 86400_000, refreshMs: 60_000 },
  { id: '7d', label: '7 d', windowMs: 7 * 86400_000, refreshMs: 300_000 },
  { id: '30d', label: '30 d', windowMs: 30 * 86400_000, refreshMs: 600_000 },
] as const;
export type ChartRange = (typeof CHART_RANGES)[number]['id'];

export type HistoryData = Record<string, ChartPoint[]>;

const toChart = (p: StatsPoint): ChartPoint => ({
  t: p.t,
  cps: p.cps,
  inPps: p.inPps,
  outPps: p.outPps,
  inBps: p.inBps,
  outBps: p.outBps,
  active: p.activeConns,
});

/** The series' history for a range, refreshed while shown; null until the first answer. */
export function useStatsHistory(
  director: string,
  series: readonly string[],
  range: ChartRange,
): { data: HistoryData | null; error: string | null } {
  const [data, setData] = useState<HistoryData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = series.join('\n');
  useEffect(() => {
    setData(null);
    if (!key) return; // no series yet (the table has not arrived): nothing to ask for
    let cancelled = false;
    const spec = CHART_RANGES.find((r) => r.id === range)!;
    const load = async () => {
      const r = await api('director:stats', { director, series: key.split('\n').filter(Boolean), range });
      if (cancelled) return;
      if (r.ok) {
        setData(Object.fromEntries(Object.entries(r.data.series).map(([k, v]) => [k, v.map(toChart)])));
        setError(null);
      } else setError(r.error.message);
    };
    void load();
    const timer = spec.refreshMs ? setInterval(() => void load(), spec.refreshMs) : undefined;
    return () => {
      cancelled = true;
      if (timer) clearInterval(timer);
    };
  }, [director, key, range]);
  return { data, error };
}

/** Live points, preceded by the stored points from before the first live one (a gap where neither has data). */
export function withHistory(live: ChartPoint[], stored: ChartPoint[] | undefined): ChartPoint[] {
  if (!stored?.length) return live;
  const first = live[0]?.t ?? Infinity;
  const before = stored.filter((p) => p.t < first - 500);
  if (!before.length) return live;
  const last = before[before.length - 1]!;
  // a pause longer than a few ticks between history and live data breaks the line
  const gap: ChartPoint[] = first - last.t > 5_000 && first !== Infinity ? [{ t: last.t + 1 }] : [];
  return [...before, ...gap, ...live];
}
