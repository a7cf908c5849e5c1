'use client';

import Link from 'next/link';
import { memo, useMemo, useRef, useState } from 'react';
import { useCan } from '@/components/auth/session';
import { errorText, sendEdit, VIEWER_REASON } from '@/components/forms/edit';
import { connectionsHref, FORWARD_LABEL, tunnelText, usesWeights } from '@/components/ipvs/describe';
import { useServiceHistory } from '@/components/realtime/hooks';
import { WINDOW_MS } from '@/components/realtime/ring';
import { destRingKey, getStore } from '@/components/realtime/store';
import { Button } from '@/components/ui/Button';
import { SERIES } from '@/components/ui/colors';
import { formatBytesRate, formatCount, formatSI } from '@/components/ui/format';
import { Sparkline } from '@/components/ui/Sparkline';
import { sparkPointsOf, withStored, type SparkPoints } from '@/components/ui/spark-series';
import { STICKY_CELL, TableHead, WIDE_ONLY } from '@/components/ui/TableHead';
import type { AckError } from '@/lib/errors';
import { destinationId, serviceKey, type Destination, type Service, type TableId } from '@/lib/ipvs';
import type { Shares } from './share';
import type { HistoryData } from './stats-history';
import { useWeightsBeforeDrain } from './drained';
import { DrainFinish } from './DrainFinish';
import { ShareBar } from './ShareBar';
import { WeightControl } from './WeightControl';

interface Props {
  director: string;
  sid: string;
  service: Service;
  /** The table the page shows (its agent run and version): edits are made against it. */
  epoch: string;
  version: number;
  shares: Shares;
  /** The stored five minutes before the page opened, by `${sid}|${did}` (null until it answers): where the sparklines
   * start, since the real servers' rings hold only what this page has seen. */
  history: HistoryData | null;
  /** Right edge of sparklines, agent clock; null on the server. */
  end: number | null;
  live: boolean;
  onEdit: (d: Destination) => void;
  onRemove: (d: Destination) => void;
  /** Opens "Set up this real server" (its setup script); for everyone, it changes nothing. */
  onSetup: (d: Destination) => void;
}

const num = 'px-3 py-2 text-right tabular-nums whitespace-nowrap';
const NO_POINTS: SparkPoints = { t: new Float64Array(), v: new Float64Array() };

function DrainButton({
  director,
  service,
  d,
  previous,
  table,
  onError,
}: {
  director: string;
  service: Service;
  d: Destination;
  previous: number | undefined;
  table: TableId;
  onError: (e: AckError | null) => void;
}) {
  const canEdit = useCan('operator');
  const [pending, setPending] = useState(false);
  const drained = d.weight === 0;
  async function run() {
    setPending(true);
    onError(null);
    const key = serviceKey(service);
    const dest = { address: d.address, port: d.port };
    // cancelling a drain puts back the weight the agent kept (the one shown), whoever drained it
    const reply = drained
      ? await sendEdit(director, { kind: 'undrain', service: key, destination: dest }, table)
      : await sendEdit(director, { kind: 'drain', service: key, destination: dest }, table);
    setPending(false);
    if (!reply.ok) onError(reply.error);
  }
  return (
    <Button
      size="sm"
      variant={drained ? 'secondary' : 'ghost'}
      onClick={run}
      disabled={pending || !canEdit}
      title={
        !canEdit
          ? VIEWER_REASON
          : drained
            ? `Put back in rotation with weight ${previous ?? 1}`
            : 'Weight 0: no new connections; existing ones finish'
      }
    >
      {pending
        ? drained
          ? 'Restoring…'
          : 'Draining…'
        : drained
          ? previous === undefined
            ? 'Set weight 1'
            : `Restore (w ${previous})`
          : 'Drain'}
    </Button>
  );
}

/** Memoised: the page's renders that change none of its props (the clock while live) leave the rows alone. */
export const RealServerTable = memo(function RealServerTable({
  director,
  sid,
  service,
  epoch,
  version,
  shares,
  history,
  end,
  live,
  onEdit,
  onRemove,
  onSetup,
}: Props) {
  useServiceHistory(director, sid);
  const store = getStore();
  const canEdit = useCan('operator');
  // The weight a drained server had, to offer putting it back: the server's record (audit history), else the last
  // weight this page saw.
  const before = useRef(new Map<string, number>());
  const recorded = useWeightsBeforeDrain(director, sid, service, version);
  const [errors, setErrors] = useState<Record<string, AckError | null>>({});
  for (const d of service.destinations) if (d.weight > 0) before.current.set(destinationId(d), d.weight);
  const weighted = usesWeights(service.scheduler);
  // converted once per answer, not per row and tick
  const storedActive = useMemo(
    () => new Map(Object.entries(history ?? {}).map(([key, points]) => [key, sparkPointsOf(points, (p) => p.active)])),
    [history],
  );

  if (service.destinations.length === 0) {
    return (
      <p className="px-4 py-8 text-center text-sm text-zinc-500 dark:text-zinc-400">
        No real servers: this service drops every new connection.
      </p>
    );
  }
  // Below 1280 px the thresholds, inactive and byte-rate columns give way (the thresholds then show under the address,
  // the byte rates in the charts below), and a table still wider than its frame scrolls in it, its first column fixed.
  return (
    <div className="overflow-x-auto" data-testid="real-servers-frame">
      <table className="w-full table-fixed text-left text-sm" data-testid="real-servers">
        <TableHead
          columns={[
            { label: 'Real server', width: 'w-36 xl:w-40', sticky: true },
            { label: 'Method', width: 'w-24' },
            { label: 'Weight', width: 'w-[16rem] xl:w-[17.5rem]' },
            {
              label: 'Thresholds',
              width: 'w-20',
              title: 'Upper (-x) / lower (-y) connection thresholds',
              wideOnly: true,
            },
            { label: 'Active', width: 'w-28', align: 'right' },
            { label: 'Inactive', width: 'w-20', align: 'right', wideOnly: true },
            { label: 'CPS', width: 'w-14', align: 'right', title: 'New connections per second' },
            { label: 'In / out B/s', width: 'w-24', align: 'right', wideOnly: true },
            {
              label: (
                <>
                  Share: actual <span className="font-normal">vs</span> {weighted ? 'by weight' : 'expected'}
                  {!weighted && <span className="ml-1 font-normal">({service.scheduler})</span>}
                  <span
                    className="block text-[11px] font-normal whitespace-normal normal-case"
                    data-testid="share-window"
                  >
                    {shares.window}
                    {!shares.meaningful && shares.window !== 'no new conns yet' && ': too few to judge'}
                  </span>
                </>
              ),
              title: `Bar: ${shares.source}. Marker: ${weighted ? 'weight / sum of weights' : service.scheduler === 'fo' ? 'fo sends everything to the heaviest server' : `${service.scheduler} does not split by weight: an equal share for every server with weight > 0`}.`,
            },
            { label: '', width: 'w-48 xl:w-52' },
          ]}
        />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {service.destinations.map((d) => {
            const did = destinationId(d);
            const draining = d.weight === 0 && d.activeConns > 0;
            const since = end === null ? 0 : end - WINDOW_MS;
            const activeSeries =
              draining && end !== null
                ? withStored(
                    store.ring(destRingKey(director, sid, did))?.series('active', since) ?? NO_POINTS,
                    storedActive.get(`${sid}|${did}`),
                    since,
                  )
                : null;
            const err = errors[did] ?? null;
            // unchanged (a keystroke clears an error that is not there): no new object, so the page does not re-render
            const setErr = (e: AckError | null) => setErrors((p) => ((p[did] ?? null) === e ? p : { ...p, [did]: e }));
            return (
              <tr key={did} data-dest={did} className="align-middle">
                <td className={`${STICKY_CELL} truncate bg-white px-3 py-2 font-mono text-[13px] dark:bg-[#0f0f11]`}>
                  <Link
                    href={connectionsHref(director, { dest: did })}
                    className="font-medium text-zinc-900 hover:text-sky-700 hover:underline dark:text-zinc-100 dark:hover:text-sky-400"
                    title={`Connections to ${did}`}
                  >
                    {did}
                  </Link>
                  {d.weight === 0 && (
                    <div className="mt-0.5 font-sans">
                      <span
                        className={`rounded px-1.5 py-px text-[10px] font-semibold uppercase ${draining ? 'bg-amber-100 text-amber-800 dark:bg-amber-500/15 dark:text-amber-300' : 'bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300'}`}
                      >
                        {draining ? 'draining' : 'out of rotation'}
                      </span>
                      <DrainFinish
                        director={director}
                        sid={sid}
                        service={service}
                        d={d}
                        drain={recorded.drains.get(did)}
                        table={{ epoch, version }}
                        end={end}
                      />
                    </div>
                  )}
                  {(d.upperThreshold ?? 0) + (d.lowerThreshold ?? 0) > 0 && (
                    <div className="mt-0.5 font-sans text-xs text-zinc-600 tabular-nums xl:hidden dark:text-zinc-400">
                      thresholds {thresholdText(d)}
                    </div>
                  )}
                </td>
                <td
                  className="px-3 py-2"
                  title={`${FORWARD_LABEL[d.forward].long}${d.forward === 'tunnel' ? `: ${tunnelText(d)}` : ''}`}
                >
                  <div>{FORWARD_LABEL[d.forward].short}</div>
                  {d.forward === 'tunnel' && (
                    <div className="truncate text-xs text-zinc-500 dark:text-zinc-400">{tunnelText(d)}</div>
                  )}
                </td>
                <td className="px-3 py-1.5">
                  <WeightControl
                    director={director}
                    service={serviceKey(service)}
                    destination={d}
                    weight={d.weight}
                    epoch={epoch}
                    version={version}
                    disabled={!live}
                  />
                </td>
                <td className={`${WIDE_ONLY} px-3 py-2 text-xs tabular-nums text-zinc-600 dark:text-zinc-400`}>
                  {d.upperThreshold || d.lowerThreshold ? (
                    <>
                      <div>upper {d.upperThreshold ? formatCount(d.upperThreshold) : '—'}</div>
                      <div>lower {d.lowerThreshold ? formatCount(d.lowerThreshold) : '—'}</div>
                    </>
                  ) : (
                    'none'
                  )}
                </td>
                <td className={num}>
                  <div className="flex items-center justify-end gap-2">
                    {activeSeries && end !== null && (
                      <Sparkline
                        t={activeSeries.t}
                        end={end}
                        width={56}
                        height={18}
                        label={`active connections of ${did}, last 5 minutes`}
                        series={[{ v: activeSeries.v, className: SERIES.active.text }]}
                      />
                    )}
                    <span data-testid="active">{formatCount(d.activeConns)}</span>
                  </div>
                  {d.persistConns !== undefined && (service.persistent !== undefined || d.persistConns > 0) && (
                    <div className="text-xs text-zinc-500 dark:text-zinc-400">
                      {formatCount(d.persistConns)} templates
                    </div>
                  )}
                </td>
                <td className={`${num} ${WIDE_ONLY}`}>{formatCount(d.inactiveConns)}</td>
                <td className={num}>{formatSI(d.rate?.cps)}</td>
                <td className={`${num} ${WIDE_ONLY} text-xs leading-5`}>
                  <div>{formatBytesRate(d.rate?.inBps)}</div>
                  <div className="text-zinc-500 dark:text-zinc-400">{formatBytesRate(d.rate?.outBps)}</div>
                </td>
                <td className="px-3 py-2">
                  <ShareBar
                    actual={shares.actual.get(did) ?? null}
                    byWeight={shares.byWeight.get(did) ?? 0}
                    meaningful={shares.meaningful}
                    label={`${did}: actual share of new connections vs the share its weight asks for`}
                  />
                </td>
                <td className="px-3 py-1.5">
                  <div className="flex items-center justify-end gap-1">
                    <DrainButton
                      director={director}
                      service={service}
                      d={d}
                      previous={recorded.weights.get(did) ?? before.current.get(did)}
                      table={{ epoch, version }}
                      onError={setErr}
                    />
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => onSetup(d)}
                      title="The script that sets this real server up for its forwarding method"
                    >
                      Set up
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => onEdit(d)}
                      disabled={!canEdit}
                      title={canEdit ? undefined : VIEWER_REASON}
                    >
                      Edit
                    </Button>
                    <Button
                      size="sm"
                      variant="danger-ghost"
                      onClick={() => onRemove(d)}
                      disabled={!canEdit}
                      title={canEdit ? undefined : VIEWER_REASON}
                    >
                      Remove
                    </Button>
                  </div>
                  {err && (
                    <p role="alert" className="mt-1 text-right text-xs text-red-600 dark:text-red-400">
                      {errorText(err)}
                    </p>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});

const thresholdText = (d: Destination) =>
  `upper ${d.upperThreshold ? formatCount(d.upperThreshold) : '—'} · lower ${d.lowerThreshold ? formatCount(d.lowerThreshold) : '—'}`;
