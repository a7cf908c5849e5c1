'use client';
// The service page's charts: the whole service and each real server, for the live five minutes (seeded with the
// stored minutes before the page opened) or a longer range from the dashboard's stats history.
import { memo, useMemo, useState } from 'react';
import { InView } from '@/components/ui/InView';
import { SERIES } from '@/components/ui/colors';
import { formatSI } from '@/components/ui/format';
import { destinationId, type Destination } from '@/lib/ipvs';
import { RateChart, type ChartLine, type ChartPoint } from './RateChart';
import { CHART_RANGES, useStatsHistory, withHistory, type ChartRange } from './stats-history';

const CPS: ChartLine[] = [{ key: 'cps', name: 'conns/s', color: SERIES.cps.color }];
const PPS: ChartLine[] = [
  { key: 'inPps', name: 'in', color: SERIES.in.color },
  { key: 'outPps', name: 'out', color: SERIES.out.color },
];
const BPS: ChartLine[] = [
  { key: 'inBps', name: 'in', color: SERIES.in.color },
  { key: 'outBps', name: 'out', color: SERIES.out.color },
];
const si = (n: number) => formatSI(n);
const bytes = (n: number) => formatSI(n, 'B');
// Chart plot heights, and the height of their boxes (caption and padding included): fixed, so nothing moves.
const SERVICE_CHART = 150;
const SERVICE_CHART_BOX = SERVICE_CHART + 38;
const DEST_CHART = 110;
const DEST_CHART_BOX = DEST_CHART + 38;

interface Props {
  director: string;
  sid: string;
  /** Live points from the browser's rings (last 5 minutes). */
  serviceData: ChartPoint[];
  destData: { d: Destination; data: ChartPoint[] }[];
  /** The table's real servers (ids joined by ","), not deferred like the data: their rows hold their places while
   * the charts catch up, so the page below does not jump when they arrive. */
  destIds: string;
  now: number;
  live: boolean;
}

function ChartRow({
  data,
  now,
  live,
  height,
  windowMs,
  tooltip,
}: {
  data: ChartPoint[];
  now: number;
  live: boolean;
  height: number;
  windowMs: number;
  tooltip: boolean;
}) {
  const common = { data, now, stale: !live, height, windowMs, tooltip };
  return (
    <>
      <RateChart title="New connections/s" lines={CPS} format={si} {...common} />
      <RateChart title="Packets/s" lines={PPS} format={si} {...common} />
      <RateChart title="Bytes/s" lines={BPS} format={bytes} {...common} />
    </>
  );
}

/** Memoised, and its lines built once per data change: the page's other renders (the clock, a keystroke in a weight
 * box) leave the charts alone, and Recharts redraws only when a line or the time axis moved. */
export const ServiceCharts = memo(function ServiceCharts({
  director,
  sid,
  serviceData,
  destData,
  destIds,
  now,
  live,
}: Props) {
  const [range, setRange] = useState<ChartRange>('5m');
  const spec = CHART_RANGES.find((r) => r.id === range)!;
  const rows = useMemo(() => destIds.split(',').filter(Boolean), [destIds]);
  // keyed by the ids, not the destData array (new every tick), so the history is not fetched again each second
  const series = useMemo(() => [sid, ...rows.map((id) => `${sid}|${id}`)], [sid, rows]);
  const { data: stored, error } = useStatsHistory(director, series, range);
  const isLive = range === '5m';
  const { serviceLine, destLines } = useMemo(() => {
    const pick = (key: string, livePoints: ChartPoint[]) =>
      isLive ? withHistory(livePoints, stored?.[key]) : (stored?.[key] ?? []);
    return {
      serviceLine: pick(sid, serviceData),
      destLines: new Map(
        destData.map(({ d, data }) => [destinationId(d), { d, data: pick(`${sid}|${destinationId(d)}`, data) }]),
      ),
    };
  }, [isLive, stored, sid, serviceData, destData]);
  const label = isLive ? 'Last 5 minutes' : `Last ${spec.label}`;

  return (
    <section aria-labelledby="charts-heading" className="space-y-3">
      <div className="flex items-center justify-between gap-3">
        <h2 id="charts-heading" className="text-sm font-semibold">
          {label} <span className="font-normal text-zinc-500 dark:text-zinc-400">· whole service</span>
          {!isLive && stored === null && <span className="ml-2 font-normal text-zinc-500">loading…</span>}
          {error && <span className="ml-2 font-normal text-red-700 dark:text-red-400">history: {error}</span>}
        </h2>
        <div
          role="radiogroup"
          aria-label="Chart range"
          className="flex rounded-md ring-1 ring-zinc-300 ring-inset dark:ring-zinc-700"
          data-testid="chart-range"
        >
          {CHART_RANGES.map((r) => (
            <button
              key={r.id}
              type="button"
              role="radio"
              aria-checked={range === r.id}
              onClick={() => setRange(r.id)}
              className="px-2.5 py-1 text-xs font-medium text-zinc-600 first:rounded-l-md last:rounded-r-md hover:bg-zinc-100 aria-checked:bg-sky-700 aria-checked:text-white dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-checked:bg-sky-500 dark:aria-checked:text-zinc-950"
            >
              {r.label}
            </button>
          ))}
        </div>
      </div>
      <InView height={SERVICE_CHART_BOX}>
        <div className="grid grid-cols-3 gap-3" data-testid="service-charts" data-range={range}>
          <ChartRow
            data={serviceLine}
            now={now}
            live={live || !isLive}
            height={SERVICE_CHART}
            windowMs={spec.windowMs}
            tooltip
          />
        </div>
      </InView>
      {rows.length > 0 && (
        <>
          <h2 className="pt-2 text-sm font-semibold">
            Per real server{' '}
            <span className="font-normal text-zinc-500 dark:text-zinc-400">· {label.toLowerCase()}</span>
          </h2>
          <div className="space-y-3" data-testid="dest-charts">
            {rows.map((id) => {
              const line = destLines.get(id);
              return (
                <InView
                  key={id}
                  height={DEST_CHART_BOX}
                  className="grid grid-cols-[9rem_1fr_1fr_1fr] items-center gap-3"
                >
                  <div className="min-w-0 font-mono text-[13px]">
                    <div className="truncate font-medium">{id}</div>
                    <div className="font-sans text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
                      {line && `weight ${line.d.weight}`}
                    </div>
                  </div>
                  {line && (
                    <ChartRow
                      data={line.data}
                      now={now}
                      live={live || !isLive}
                      height={DEST_CHART}
                      windowMs={spec.windowMs}
                      tooltip={false}
                    />
                  )}
                </InView>
              );
            })}
          </div>
        </>
      )}
    </section>
  );
});
