'use client';

import Link from 'next/link';
import { memo } from 'react';
import type { useRouter } from 'next/navigation';
import {
  DIRECT_RETURN_TITLE,
  FORWARD_LABEL,
  PROTOCOL_LABEL,
  directReturn,
  persistenceText,
  serviceAddress,
  serviceHref,
} from '@/components/ipvs/describe';
import type { RateRing } from '@/components/realtime/ring';
import { WINDOW_MS } from '@/components/realtime/ring';
import { SERIES } from '@/components/ui/colors';
import { formatBytesRate, formatCount, formatSI } from '@/components/ui/format';
import { Sparkline } from '@/components/ui/Sparkline';
import { STICKY_CELL, WIDE_ONLY } from '@/components/ui/TableHead';
import { FORWARDS, type Service } from '@/lib/ipvs';
import { withStored } from '@/components/ui/spark-series';
import type { SparkHistory } from './spark-history';
import { serviceConns } from './totals';

/** NAT, DR, TUN (or several, in that order) as the real servers are reached; '—' without real servers. */
export function forwardingText(s: Service): string {
  const used = new Set(s.destinations.map((d) => d.forward));
  return (
    FORWARDS.filter((f) => used.has(f))
      .map((f) => FORWARD_LABEL[f].short)
      .join(', ') || '—'
  );
}

/** Real servers in rotation: a shape as well as a colour (● all, ◐ some, ○ none). */
function rotation(healthy: number, total: number): { mark: string; text: string; className: string } {
  if (total === 0) return { mark: '', text: 'no real servers', className: 'text-zinc-500 dark:text-zinc-400' };
  if (healthy === 0)
    return { mark: '○', text: 'none in rotation', className: 'font-semibold text-red-700 dark:text-red-400' };
  if (healthy < total)
    return { mark: '◐', text: 'some out of rotation', className: 'font-medium text-amber-700 dark:text-amber-400' };
  return { mark: '●', text: 'all in rotation', className: 'text-zinc-800 dark:text-zinc-200' };
}

export const CELL = 'px-2 py-1';
const NUM = `${CELL} text-right tabular-nums whitespace-nowrap`;
export const SPARK_WIDTH = 120;
export const SPARK_HEIGHT = 28;

interface Props {
  director: string;
  sid: string;
  s: Service;
  ring: RateRing | undefined;
  stored: SparkHistory | undefined;
  end: number | null;
  /** The director's samples so far (DirectorEntry.tick): the ring moved when it did. */
  samples: number;
  router: ReturnType<typeof useRouter>;
}

/** One service. Its figures are drawn again only when the update changed its object (applyDelta keeps the others), its
 * sparkline when the ring took a sample or the window moved: 10,000 services take a 1 s update and the clock. */
export const ServiceRow = memo(function ServiceRow({ director, sid, s, ring, stored, end, samples, router }: Props) {
  const href = serviceHref(director, sid);
  return (
    <tr
      data-service={sid}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('a')) return;
        router.push(href);
      }}
      className="group cursor-pointer row-hover:bg-sky-50/60 dark:row-hover:bg-sky-500/5"
    >
      <ServiceCells href={href} sid={sid} s={s} />
      <td className={CELL}>
        <ServiceSparkline sid={sid} ring={ring} stored={stored} end={end} samples={samples} />
      </td>
    </tr>
  );
});

const ServiceCells = memo(function ServiceCells({ href, sid, s }: { href: string; sid: string; s: Service }) {
  const { active, inactive } = serviceConns(s);
  const healthy = s.destinations.filter((d) => d.weight > 0).length;
  const total = s.destinations.length;
  const inRotation = rotation(healthy, total);
  const persistence = persistenceText(s);
  return (
    <>
      <td
        className={`${STICKY_CELL} truncate bg-white px-2 py-1 group-row-hover:bg-[#f6fbff] dark:bg-[#0f0f11] dark:group-row-hover:bg-[#0f171c]`}
      >
        <span className="mr-1.5 inline-block w-9 rounded bg-zinc-100 py-px text-center font-mono text-[10px] font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
          {PROTOCOL_LABEL[s.protocol]}
        </span>
        {/* No prefetch: scrolling past 1,000 services would make the dashboard render a service page for each. */}
        <Link
          href={href}
          prefetch={false}
          className="rounded font-mono text-[13px] font-medium text-sky-700 hover:underline dark:text-sky-400"
          title={sid}
        >
          {serviceAddress(s)}
        </Link>
      </td>
      <td className={`${CELL} whitespace-nowrap`}>
        <span data-testid="forwarding" className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
          {forwardingText(s)}
        </span>
      </td>
      <td className={`${CELL} truncate`} title={[s.scheduler, ...s.flags, `persistence ${persistence}`].join(', ')}>
        <span className="font-mono text-[13px]">{s.scheduler}</span>
        {s.flags.length > 0 && (
          <span className="ml-1.5 text-xs text-zinc-600 dark:text-zinc-400">
            {s.flags.map((f) => f.replace(/^(sh|mh)-/, '')).join(', ')}
          </span>
        )}
        {s.ops && (
          <span className="ml-1.5 rounded bg-zinc-100 px-1 text-[10px] font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
            OPS
          </span>
        )}
        {s.persistent !== undefined && (
          <span className="ml-1.5 text-xs text-zinc-600 xl:hidden dark:text-zinc-400">· {persistence}</span>
        )}
      </td>
      <td className={`${CELL} ${WIDE_ONLY} truncate text-zinc-700 tabular-nums dark:text-zinc-300`}>{persistence}</td>
      <td
        className={`${CELL} whitespace-nowrap tabular-nums`}
        title={`${healthy} of ${total} real servers in rotation`}
      >
        <span className={inRotation.className}>
          {inRotation.mark && (
            <span aria-hidden="true" className="mr-1">
              {inRotation.mark}
            </span>
          )}
          <span data-testid="healthy">{total === 0 ? 'none' : `${healthy}/${total}`}</span>
        </span>
        <span className="sr-only">, {inRotation.text}</span>
      </td>
      <td className={NUM}>{formatCount(active)}</td>
      <td className={NUM}>{formatCount(inactive)}</td>
      <td className={NUM}>{formatSI(s.rate?.cps)}</td>
      <td className={NUM}>{formatBytesRate(s.rate?.inBps)}</td>
      <td className={NUM}>
        {directReturn(s) ? (
          <span className="text-zinc-500 dark:text-zinc-400" title={DIRECT_RETURN_TITLE}>
            direct
          </span>
        ) : (
          formatBytesRate(s.rate?.outBps)
        )}
      </td>
    </>
  );
});

// `samples` is not read: it is there so that the memo draws the line again when the ring took a sample.
const ServiceSparkline = memo(function ServiceSparkline({
  sid,
  ring,
  stored,
  end,
}: Pick<Props, 'sid' | 'ring' | 'stored' | 'end' | 'samples'>) {
  if (end === null) return <span className="block" style={{ height: SPARK_HEIGHT }} />;
  const since = end - WINDOW_MS;
  const live = (m: 'inBps' | 'outBps') => ring?.series(m, since) ?? { t: new Float64Array(), v: new Float64Array() };
  const inSeries = withStored(live('inBps'), stored && { t: stored.t, v: stored.inBps }, since);
  const outSeries = withStored(live('outBps'), stored && { t: stored.t, v: stored.outBps }, since);
  return (
    <Sparkline
      t={inSeries.t}
      end={end}
      width={SPARK_WIDTH}
      height={SPARK_HEIGHT}
      label={`in and out bytes/s of ${sid}, last 5 minutes`}
      series={[
        { v: inSeries.v, className: SERIES.in.text },
        { v: outSeries.v, className: SERIES.out.text },
      ]}
    />
  );
});
