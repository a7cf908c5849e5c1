'use client';

import { memo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { WINDOW_MS, type Metric, type RateRing } from '@/components/realtime/ring';
import { formatClock } from '@/components/ui/format';

export type ChartPoint = { t: number } & Partial<Record<Metric, number | null>>;

export interface ChartLine {
  key: Metric;
  name: string;
  color: string;
}

/** A ring's last 5 minutes on the browser's clock (agent time + offset), NaN as null (a gap in the line). */
export function chartData(ring: RateRing | undefined, offset: number, now: number): ChartPoint[] {
  if (!ring) return [];
  return ring.samples(now - offset - WINDOW_MS).map((s) => {
    const p: ChartPoint = { t: s.t + offset };
    for (const k of ['cps', 'inPps', 'outPps', 'inBps', 'outBps', 'active'] as const)
      p[k] = Number.isNaN(s[k]) ? null : s[k];
    return p;
  });
}

interface Props {
  title: string;
  data: ChartPoint[];
  lines: ChartLine[];
  /** Right edge of the time axis (browser clock). */
  now: number;
  format: (n: number) => string;
  height?: number;
  /** Grey the lines: the director is not live. */
  stale?: boolean;
  /** Hover values (off for the small per-server charts: cheaper to redraw every second). */
  tooltip?: boolean;
  testId?: string;
  /** Width of the time axis; the live charts show the last 5 minutes. */
  windowMs?: number;
}

/** Five or six round ticks across the window, labelled in the unit that reads best for its width. */
function axis(now: number, windowMs: number): { ticks: number[]; label: (v: number) => string } {
  const units = [
    { max: 10 * 60_000, step: 60_000, unit: 60_000, suffix: 'min' },
    { max: 2 * 3600_000, step: 10 * 60_000, unit: 60_000, suffix: 'min' },
    { max: 2 * 86400_000, step: 4 * 3600_000, unit: 3600_000, suffix: 'h' },
    { max: 8 * 86400_000, step: 86400_000, unit: 86400_000, suffix: 'd' },
    { max: Infinity, step: 5 * 86400_000, unit: 86400_000, suffix: 'd' },
  ];
  const u = units.find((x) => windowMs <= x.max) ?? units[units.length - 1]!;
  const ticks: number[] = [];
  for (let back = 0; back <= windowMs; back += u.step) ticks.unshift(now - back);
  return {
    ticks,
    label: (v) => {
      const n = Math.round((now - v) / u.unit);
      return n === 0 ? 'now' : `−${n} ${u.suffix}`;
    },
  };
}

function latest(data: ChartPoint[], key: Metric): number | null {
  for (let i = data.length - 1; i >= 0; i--) {
    const v = data[i]?.[key];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

/** A line chart of the last `windowMs` (live: 5 minutes): fixed height, no animation, the time axis moving with the clock. */
export const RateChart = memo(function RateChart({
  title,
  data,
  lines,
  now,
  format,
  height = 150,
  stale,
  tooltip = true,
  testId,
  windowMs = WINDOW_MS,
}: Props) {
  const start = now - windowMs;
  let max = 0;
  for (const p of data) for (const l of lines) max = Math.max(max, p[l.key] ?? 0);
  const { ticks, label } = axis(now, windowMs);
  return (
    <figure
      className="min-w-0 rounded-md border border-zinc-200 bg-white px-3 pt-2 pb-1 dark:border-zinc-800 dark:bg-zinc-900/60"
      data-testid={testId}
    >
      <figcaption className="flex h-5 items-center justify-between gap-2 text-xs">
        <span className="truncate font-medium text-zinc-700 dark:text-zinc-300" title={title}>
          {title}
        </span>
        {/* the small charts (no tooltip) keep less room per value, so that their title is not cut at 1024 px */}
        <span className={`flex shrink-0 items-center tabular-nums ${tooltip ? 'gap-3' : 'gap-2'}`}>
          {lines.map((l) => {
            const v = latest(data, l.key);
            return (
              <span key={l.key} className="inline-flex items-center gap-1 text-zinc-600 dark:text-zinc-400">
                <span
                  aria-hidden="true"
                  className="inline-block h-0.5 w-3 rounded"
                  style={{ background: stale ? '#a1a1aa' : l.color }}
                />
                {l.name}{' '}
                <span
                  className={`${tooltip ? 'min-w-[3.5rem]' : 'min-w-[2.25rem]'} font-medium text-zinc-900 dark:text-zinc-100`}
                >
                  {v === null ? '—' : format(v)}
                </span>
              </span>
            );
          })}
        </span>
      </figcaption>
      <div className="text-zinc-500 dark:text-zinc-400" style={{ height }}>
        <LineChart
          responsive
          style={{ width: '100%', height }}
          data={data}
          margin={{ top: 6, right: 6, bottom: 0, left: 0 }}
        >
          <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            domain={[start, now]}
            ticks={ticks}
            allowDataOverflow
            tickFormatter={label}
            tick={{ fill: 'currentColor', fontSize: 10 }}
            stroke="currentColor"
            strokeOpacity={0.3}
            tickLine={false}
          />
          <YAxis
            width={48}
            tickFormatter={(v: number) => format(v)}
            tick={{ fill: 'currentColor', fontSize: 10 }}
            stroke="currentColor"
            strokeOpacity={0.3}
            tickLine={false}
            allowDecimals={false}
            domain={max > 0 ? [0, 'auto'] : [0, 1]}
          />
          {tooltip && (
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(v) => formatClock(Number(v))}
              formatter={(v) => (typeof v === 'number' ? format(v) : String(v))}
              contentStyle={{ fontSize: 12, padding: '4px 8px', borderRadius: 6 }}
            />
          )}
          {lines.map((l) => (
            <Line
              key={l.key}
              dataKey={l.key}
              name={l.name}
              type="linear"
              stroke={stale ? '#a1a1aa' : l.color}
              strokeWidth={1.5}
              dot={false}
              activeDot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
      </div>
    </figure>
  );
});
