'use client';

import { useRouter } from 'next/navigation';
import { memo, useRef } from 'react';
import { getStore, serviceRingKey } from '@/components/realtime/store';
import { TableHead, type Column } from '@/components/ui/TableHead';
import { useStillFlag } from '@/components/ui/use-still-flag';
import { serviceId, serviceKey, type Service } from '@/lib/ipvs';
import { LazyRows } from './LazyRows';
import { ServiceRow } from './ServiceRow';
import type { SparkHistory } from './spark-history';

interface Props {
  director: string;
  services: Service[];
  /** Right edge of the sparklines in the agent's clock; null while rendering on the server. */
  end: number | null;
  /** The director's samples so far (DirectorEntry.tick): the rate rings moved when it did. */
  samples: number;
  /** Stored rates from before the page opened, by service id. */
  history: ReadonlyMap<string, SparkHistory>;
}

/** The sparklines' series names in darker shades of their line colours: legible text on the header's grey. */
const LEGEND = { in: 'text-sky-700 dark:text-sky-400', out: 'text-purple-700 dark:text-purple-400' };

// Widths hold the whole table within a 1024 px window (the virtual service takes the rest, at least 12.5rem); the
// persistence column joins the scheduler's cell below 1280 px. From 1280 px the scheduler (with its flags and OPS) and
// the persistence (timeout, netmask, engine) get room for their longest values: the virtual service has plenty. Narrower, the table scrolls sideways in its frame with
// the virtual service fixed on the left.
const SERVICE_COLUMNS: readonly Column[] = [
  { label: 'Virtual service', sticky: true },
  {
    label: 'Forward',
    width: 'w-16',
    title: 'How real servers are reached: NAT (masquerading), DR (direct routing), TUN',
  },
  { label: 'Scheduler', width: 'w-28 xl:w-44' },
  { label: 'Persistence', width: 'w-24 xl:w-32', wideOnly: true },
  { label: 'Servers', width: 'w-16', title: 'Real servers in rotation (weight > 0) / all real servers' },
  { label: 'Active', width: 'w-[4.5rem]', align: 'right', title: 'Active connections' },
  { label: 'Inactive', width: 'w-[4.5rem]', align: 'right', title: 'Inactive connections' },
  { label: 'CPS', width: 'w-14', align: 'right', title: 'New connections per second' },
  { label: 'In', width: 'w-[5.5rem]', align: 'right', title: 'Bytes per second to the real servers' },
  { label: 'Out', width: 'w-[5.5rem]', align: 'right', title: 'Bytes per second to the clients' },
  {
    label: (
      <>
        <span className="sr-only">Bytes per second in and out, last 5 minutes</span>
        <span aria-hidden="true">
          <span className={LEGEND.in}>in</span>/<span className={LEGEND.out}>out</span> 5 min
        </span>
      </>
    ),
    width: 'w-[8.5rem]',
  },
];
const tbody = 'divide-y divide-zinc-100 dark:divide-zinc-800/70';
const COLUMNS = SERVICE_COLUMNS.length;
/** Up to this many services every row is drawn (the browser's find-in-page sees them all); beyond, blocks of BLOCK
 * services are drawn only near the screen. */
const DRAW_ALL_UP_TO = 100;
const BLOCK = 25;
const ROW_PX = 37;

const sidOf = (s: Service | undefined) => (s ? serviceId(serviceKey(s)) : '');
/** A block's rows by their services: the first, the last and how many (a service added, removed or filtered out
 * within a block shifts its last one, or its length at the end of the table). */
const blockShape = (block: readonly Service[]) => `${block.length} ${sidOf(block[0])} ${sidOf(block.at(-1))}`;

/** Memoised: the overview's card renders every second for its clock, the table only when one of these changed. */
export const ServicesTable = memo(function ServicesTable({ director, services, end, samples, history }: Props) {
  const router = useRouter();
  const store = getStore();
  const frame = useRef<HTMLDivElement>(null);
  useStillFlag(frame);
  const row = (s: Service) => {
    const sid = serviceId(serviceKey(s));
    return (
      <ServiceRow
        key={sid}
        director={director}
        sid={sid}
        s={s}
        ring={store.ring(serviceRingKey(director, sid))}
        stored={history.get(sid)}
        end={end}
        samples={samples}
        router={router}
      />
    );
  };
  return (
    // relative: the screen-reader-only labels (absolutely placed) stay inside the frame instead of widening the page.
    <div ref={frame} data-still="" className="relative overflow-x-auto" data-testid={`services-frame-${director}`}>
      <table
        className="w-full min-w-[59.5rem] table-fixed text-left text-sm xl:min-w-[71.5rem]"
        data-testid={`services-${director}`}
      >
        <TableHead columns={SERVICE_COLUMNS} dense />
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
                shape={blockShape(block)}
              >
                {() => block.map((s) => row(s))}
              </LazyRows>
            );
          })
        )}
      </table>
    </div>
  );
});
