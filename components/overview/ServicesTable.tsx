'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { serviceAddress, PROTOCOL_LABEL, persistenceText, serviceHref } from '@/components/ipvs/describe';
import { getStore, serviceRingKey } from '@/components/realtime/store';
import { SERIES } from '@/components/ui/colors';
import { formatBytesRate, formatCount, formatSI } from '@/components/ui/format';
import { Sparkline } from '@/components/ui/Sparkline';
import { TableHead, type Column } from '@/components/ui/TableHead';
import { WINDOW_MS } from '@/components/realtime/ring';
import { serviceId, serviceKey, type Service } from '@/lib/ipvs';
import { LazyRows } from './LazyRows';
import { serviceConns } from './totals';

interface Props {
  director: string;
  services: Service[];
  /** Right edge of the sparklines in the agent's clock; null while rendering on the server. */
  end: number | null;
}

const SERVICE_COLUMNS: readonly Column[] = [
  { label: 'Proto', width: 'w-16' },
  { label: 'Virtual service' },
  { label: 'Scheduler', width: 'w-40' },
  { label: 'Persistence', width: 'w-32' },
  { label: 'Real servers', width: 'w-28', title: 'Real servers in rotation (weight > 0) / all real servers' },
  { label: 'Active', width: 'w-24', align: 'right' },
  { label: 'Inactive', width: 'w-24', align: 'right' },
  { label: 'CPS', width: 'w-20', align: 'right', title: 'New connections per second' },
  { label: 'In', width: 'w-24', align: 'right' },
  { label: 'Out', width: 'w-24', align: 'right' },
  {
    label: (
      <>
        <span className="sr-only">Bytes per second in and out, last 5 minutes</span>
        <span aria-hidden="true">
          <span className={SERIES.in.text}>in</span>/<span className={SERIES.out.text}>out</span> 5 min
        </span>
      </>
    ),
    width: 'w-[7.5rem]',
  },
];

/** DR and TUN services: the director forwards requests only, so its "out" bytes stay 0 whatever the traffic. */
function directReturn(s: Service): boolean {
  return (
    s.destinations.length > 0 &&
    s.destinations.every((d) => d.forward === 'route' || d.forward === 'tunnel') &&
    !s.rate?.outBps
  );
}
const num = 'px-3 py-1 text-right tabular-nums whitespace-nowrap';
const tbody = 'divide-y divide-zinc-100 dark:divide-zinc-800/70';
const COLUMNS = 11;
/** Up to this many services every row is drawn (the browser's find-in-page sees them all); beyond, blocks of BLOCK
 * services are drawn only near the screen. */
const DRAW_ALL_UP_TO = 100;
const BLOCK = 25;
const ROW_PX = 31;

export function ServicesTable({ director, services, end }: Props) {
  const router = useRouter();
  const store = getStore();
  const row = (s: Service) => {
    const sid = serviceId(serviceKey(s));
    const href = serviceHref(director, sid);
    const { active, inactive } = serviceConns(s);
    const healthy = s.destinations.filter((d) => d.weight > 0).length;
    const total = s.destinations.length;
    const ring = store.ring(serviceRingKey(director, sid));
    const series = ring && end !== null ? ring.series('inBps', end - WINDOW_MS) : null;
    const out = ring && end !== null ? ring.series('outBps', end - WINDOW_MS) : null;
    return (
      <tr
        key={sid}
        data-service={sid}
        onClick={(e) => {
          if ((e.target as HTMLElement).closest('a')) return;
          router.push(href);
        }}
        className="cursor-pointer hover:bg-sky-50/60 dark:hover:bg-sky-500/5"
      >
        <td className="px-3 py-1">
          <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
            {PROTOCOL_LABEL[s.protocol]}
          </span>
        </td>
        <td className="truncate px-3 py-1 font-mono text-[13px]">
          {/* No prefetch: scrolling past 1,000 services would make the dashboard render a service page for each. */}
          <Link
            href={href}
            prefetch={false}
            className="font-medium text-sky-700 hover:underline dark:text-sky-400"
            title={sid}
          >
            {serviceAddress(s)}
          </Link>
        </td>
        <td className="truncate px-3 py-1" title={s.flags.join(', ')}>
          <span className="font-mono text-[13px]">{s.scheduler}</span>
          {s.flags.length > 0 && (
            <span className="ml-1.5 text-xs text-zinc-500 dark:text-zinc-400">
              {s.flags.map((f) => f.replace(/^(sh|mh)-/, '')).join(', ')}
            </span>
          )}
          {s.ops && (
            <span className="ml-1.5 rounded bg-zinc-100 px-1 text-[10px] font-semibold text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
              OPS
            </span>
          )}
        </td>
        <td className="truncate px-3 py-1 text-zinc-700 tabular-nums dark:text-zinc-300">{persistenceText(s)}</td>
        <td className="px-3 py-1 tabular-nums">
          <span
            data-testid="healthy"
            className={
              total === 0
                ? 'text-zinc-400 dark:text-zinc-500'
                : healthy === 0
                  ? 'font-semibold text-red-600 dark:text-red-400'
                  : healthy < total
                    ? 'font-medium text-amber-700 dark:text-amber-400'
                    : 'text-zinc-800 dark:text-zinc-200'
            }
          >
            {total === 0 ? 'none' : `${healthy}/${total}`}
          </span>
          {total > 0 && healthy < total && (
            <span className="ml-1 text-xs text-zinc-500 dark:text-zinc-400">in rotation</span>
          )}
        </td>
        <td className={num}>{formatCount(active)}</td>
        <td className={num}>{formatCount(inactive)}</td>
        <td className={num}>{formatSI(s.rate?.cps)}</td>
        <td className={num}>{formatBytesRate(s.rate?.inBps)}</td>
        <td className={num}>
          {directReturn(s) ? (
            <span
              className="text-zinc-400 dark:text-zinc-500"
              title="Direct routing / tunnel: replies go from the real servers straight to the clients, the director never sees them"
            >
              direct
            </span>
          ) : (
            formatBytesRate(s.rate?.outBps)
          )}
        </td>
        <td className="px-3 py-1">
          {series && out && end !== null ? (
            <Sparkline
              t={series.t}
              end={end}
              label={`in and out bytes/s of ${sid}, last 5 minutes`}
              series={[
                { v: series.v, className: SERIES.in.text },
                { v: out.v, className: SERIES.out.text },
              ]}
            />
          ) : (
            <span className="block h-[22px]" />
          )}
        </td>
      </tr>
    );
  };
  return (
    <table className="w-full table-fixed text-left text-sm" data-testid={`services-${director}`}>
      <TableHead columns={SERVICE_COLUMNS} />
      {services.length <= DRAW_ALL_UP_TO ? (
        <tbody className={tbody}>{services.map((s) => row(s))}</tbody>
      ) : (
        Array.from({ length: Math.ceil(services.length / BLOCK) }, (_, b) => {
          const block = services.slice(b * BLOCK, (b + 1) * BLOCK);
          return (
            <LazyRows
              key={b}
              rows={block.length}
              columns={COLUMNS}
              estimateRowPx={ROW_PX}
              eager={b < 2}
              className={`${tbody} border-t border-zinc-100 dark:border-zinc-800/70`}
            >
              {() => block.map((s) => row(s))}
            </LazyRows>
          );
        })
      )}
    </table>
  );
}
