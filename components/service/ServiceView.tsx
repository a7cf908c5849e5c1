'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { useCan } from '@/components/auth/session';
import { ActivityLog } from '@/components/director/ActivityLog';
import { DirectorStatusLine } from '@/components/director/DirectorStatusLine';
import { DegradedBanner } from '@/components/director/DegradedBanner';
import { DiagnosticsPanel } from '@/components/director/DiagnosticsPanel';
import { HealthBanner } from '@/components/director/HealthBanner';
import { KeepalivedBanner } from '@/components/director/KeepalivedBanner';
import { DeleteDestinationDialog, DeleteServiceDialog } from '@/components/forms/DeleteDialogs';
import { DestinationFormDialog } from '@/components/forms/DestinationForm';
import { VIEWER_REASON } from '@/components/forms/edit';
import { ServiceFormDialog } from '@/components/forms/ServiceForm';
import { HealthPanel } from '@/components/health/HealthPanel';
import {
  DIRECT_RETURN_TITLE,
  connectionsHref,
  directReturn,
  directorHref,
  persistenceText,
  serviceTitle,
  usesWeights,
} from '@/components/ipvs/describe';
import { useDirector, useDirectorHealth, useDirectors, useNow, useServiceHistory } from '@/components/realtime/hooks';
import { destRingKey, getStore, serviceRingKey } from '@/components/realtime/store';
import { Breadcrumbs } from '@/components/ui/Breadcrumbs';
import { Button } from '@/components/ui/Button';
import { Fact } from '@/components/ui/Fact';
import { Panel } from '@/components/ui/Panel';
import { formatBytesRate, formatCount, formatSI, tableVersionTitle } from '@/components/ui/format';
import {
  destinationId,
  hostPort,
  serviceId,
  serviceKey,
  type Destination,
  type Service,
  type TableId,
} from '@/lib/ipvs';
import { STATS_MAX_SERIES } from '@/lib/stats';
import { serviceConns } from '@/components/overview/totals';
import { chartData } from './RateChart';
import { ServiceCharts } from './ServiceCharts';
import { RealServerSetupDialog } from './RealServerSetupDialog';
import { RealServerTable } from './RealServerTable';
import { computeShares } from './share';
import { useStatsHistory } from './stats-history';
import { staleLook } from '@/components/ui/stale-look';

type Dialog =
  | { kind: 'edit-service'; service: Service; table: TableId }
  | { kind: 'delete-service'; service: Service; table: TableId }
  | { kind: 'add-destination'; service: Service; table: TableId }
  | { kind: 'edit-destination'; service: Service; table: TableId; destination: Destination }
  | { kind: 'delete-destination'; service: Service; table: TableId; destination: Destination }
  | { kind: 'setup-destination'; service: Service; table: TableId; destination: Destination }
  | null;

const COUNTER = 'text-base font-semibold tabular-nums';

export function ServiceView({ director, sid }: { director: string; sid: string }) {
  const directors = useDirectors();
  const summary = directors?.find((d) => d.id === director);
  const entry = useDirector(director);
  useServiceHistory(director, sid);
  const health = useDirectorHealth(director, entry, summary);
  const clock = useNow();
  const [dialog, setDialog] = useState<Dialog>(null);
  const canEdit = useCan('operator');
  const store = getStore();
  const state = entry?.state ?? null;
  const service = useMemo(() => state?.services.find((s) => serviceId(serviceKey(s)) === sid), [state, sid]);
  const live = health.status === 'live';
  // Why the change buttons are off: a viewer, or a director whose table is not live (an edit would act on old numbers).
  const editOff = !canEdit ? VIEWER_REASON : live ? undefined : `${director} is ${health.status}: ${health.reason}`;
  const offset = entry?.offset ?? 0;
  // Live charts move with the data (one render per tick); stale ones with the clock, so the gap shows.
  const chartNow = live && entry?.receivedAt ? entry.receivedAt : (clock ?? entry?.receivedAt ?? 0);
  const end = clock === null ? null : chartNow - offset;
  const tick = entry?.tick ?? 0;

  const serviceData = useMemo(
    () => chartData(store.ring(serviceRingKey(director, sid)), offset, chartNow),
    [store, director, sid, offset, chartNow, tick],
  );
  const destData = useMemo(
    () =>
      service
        ? service.destinations.map((d) => ({
            d,
            data: chartData(store.ring(destRingKey(director, sid, destinationId(d))), offset, chartNow),
          }))
        : [],
    [store, director, sid, service, offset, chartNow, tick],
  );
  // The five minutes before the page opened, for the share column and the real servers' sparklines (the rings only
  // hold what this page has seen): one request for every real server, none when the API would refuse that many.
  const destKey =
    service && service.destinations.length <= STATS_MAX_SERIES
      ? service.destinations.map((d) => `${sid}|${destinationId(d)}`).join('\n')
      : '';
  const destSeries = useMemo(() => destKey.split('\n').filter(Boolean), [destKey]);
  const { data: destHistory } = useStatsHistory(director, destSeries, '5m');
  const shares = useMemo(
    () => (service ? computeShares(store, director, sid, service, end, destHistory) : null),
    [store, director, sid, service, end, destHistory],
  );
  // Redrawing a dozen charts is the page's dearest work: done at low priority, so a keystroke or a click interrupts
  // it instead of waiting behind it.
  const chartService = useDeferredValue(serviceData);
  const chartDests = useDeferredValue(destData);
  const chartEnd = useDeferredValue(chartNow);
  const destIds = service?.destinations.map(destinationId).join(',') ?? '';
  const version = state?.version ?? 0;
  const epoch = state?.epoch ?? '';
  const editDestination = useCallback(
    (d: Destination) =>
      service && setDialog({ kind: 'edit-destination', service, table: { epoch, version }, destination: d }),
    [service, epoch, version],
  );
  const removeDestination = useCallback(
    (d: Destination) =>
      service && setDialog({ kind: 'delete-destination', service, table: { epoch, version }, destination: d }),
    [service, epoch, version],
  );
  const setupDestination = useCallback(
    (d: Destination) =>
      service && setDialog({ kind: 'setup-destination', service, table: { epoch, version }, destination: d }),
    [service, epoch, version],
  );

  const crumbs = (
    <Breadcrumbs
      steps={[
        { label: 'Overview', href: '/' },
        { label: director, href: directorHref(director) },
        { label: <span className="font-mono">{sid}</span> },
      ]}
    />
  );

  if (!state || !service) {
    return (
      <div className="space-y-4">
        {crumbs}
        <HealthBanner director={director} health={health} />
        <DegradedBanner director={director} problems={state?.problems} />
        <p className="rounded-lg border border-zinc-200 px-6 py-12 text-center text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          {!state
            ? health.status === 'loading'
              ? 'Loading the table…'
              : `No table from ${director} yet.`
            : `${director} has no virtual service ${sid} (any more).`}{' '}
          <Link href="/" className="text-sky-700 hover:underline dark:text-sky-400">
            Back to the overview
          </Link>
        </p>
      </div>
    );
  }

  const { active, inactive } = serviceConns(service);
  const inRotation = service.destinations.filter((d) => d.weight > 0).length;
  const direct = directReturn(service);
  const virtualFilter = service.protocol === 'fwmark' ? undefined : hostPort(service.address ?? '', service.port ?? 0);

  return (
    <div className="space-y-4">
      {crumbs}
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="font-mono text-xl font-semibold tracking-tight" data-testid="service-title">
          {serviceTitle(service)}
        </h1>
        <DirectorStatusLine health={health} />
        <div className="ml-auto flex items-center gap-2">
          <Link
            href={connectionsHref(director, { virtual: virtualFilter })}
            className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-sky-700 hover:bg-sky-50 dark:text-sky-400 dark:hover:bg-sky-500/10"
          >
            Connections
          </Link>
          {!canEdit && (
            <span className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="view-only">
              view only: you are a viewer
            </span>
          )}
          <Button
            onClick={() => setDialog({ kind: 'add-destination', service, table: { epoch, version } })}
            disabled={editOff !== undefined}
            title={editOff}
          >
            Add real server
          </Button>
          <Button
            onClick={() => setDialog({ kind: 'edit-service', service, table: { epoch, version } })}
            disabled={editOff !== undefined}
            title={editOff}
          >
            Edit service
          </Button>
          <Button
            variant="danger-ghost"
            onClick={() => setDialog({ kind: 'delete-service', service, table: { epoch, version } })}
            disabled={editOff !== undefined}
            title={editOff}
          >
            Delete service
          </Button>
        </div>
      </div>

      <DegradedBanner director={director} problems={state.problems} />
      <KeepalivedBanner state={state} sid={sid} />

      <div className="relative">
        {/* Over the greyed numbers rather than above them: a flip between live and stale moves nothing. */}
        <div className="absolute inset-x-0 top-0 z-10">
          <HealthBanner director={director} health={health} />
        </div>
        <div data-stale={!live} className={`space-y-4 ${staleLook(live)}`}>
          <Panel className="overflow-hidden">
            <dl className="grid grid-cols-6 divide-x divide-zinc-200 border-b border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
              <Fact label="Scheduler" wrap valueClass="font-mono" testId="scheduler">
                {service.scheduler}
                {service.flags.length > 0 && (
                  <span className="ml-1.5 font-sans text-xs text-zinc-500 dark:text-zinc-400">
                    {service.flags.join(', ')}
                  </span>
                )}
              </Fact>
              <Fact label="Persistence" wrap valueClass="tabular-nums">
                {persistenceText(service)}
              </Fact>
              <Fact label="One-packet scheduling" wrap valueClass="">
                {service.ops ? 'on (-o)' : 'off'}
              </Fact>
              <Fact
                label="Real servers in rotation"
                wrap
                valueClass={`tabular-nums ${inRotation === 0 && service.destinations.length > 0 ? 'font-semibold text-red-600 dark:text-red-400' : ''}`}
              >
                {inRotation} of {service.destinations.length}
              </Fact>
              <Fact label="Weights" wrap valueClass="text-xs leading-5 text-zinc-700 dark:text-zinc-300">
                {usesWeights(service.scheduler)
                  ? 'split new connections in proportion'
                  : 'only 0 (out) vs > 0 (in) matters'}
              </Fact>
              <Fact
                label="Table version"
                wrap
                valueClass="tabular-nums"
                testId="table-version"
                title={tableVersionTitle(state)}
              >
                v{version}
              </Fact>
            </dl>
            <dl
              className="grid grid-cols-8 divide-x divide-zinc-200 dark:divide-zinc-800"
              data-testid="service-counters"
            >
              <Fact valueClass={COUNTER} label="Active conns" testId="svc-active">
                {formatCount(active)}
              </Fact>
              <Fact valueClass={COUNTER} label="Inactive conns">
                {formatCount(inactive)}
              </Fact>
              <Fact valueClass={COUNTER} label="New conns/s">
                {formatSI(service.rate?.cps)}
              </Fact>
              <Fact valueClass={COUNTER} label="In packets/s">
                {formatSI(service.rate?.inPps)}
              </Fact>
              <Fact
                valueClass={COUNTER}
                label="Out packets/s"
                title={direct ? DIRECT_RETURN_TITLE : undefined}
                testId="svc-out-pps"
              >
                {direct ? 'direct' : formatSI(service.rate?.outPps)}
              </Fact>
              <Fact valueClass={COUNTER} label="In bytes/s">
                {formatBytesRate(service.rate?.inBps)}
              </Fact>
              <Fact
                valueClass={COUNTER}
                label="Out bytes/s"
                title={direct ? DIRECT_RETURN_TITLE : undefined}
                testId="svc-out-bps"
              >
                {direct ? 'direct' : formatBytesRate(service.rate?.outBps)}
              </Fact>
              <Fact valueClass={COUNTER} label="Total conns" title="Connections since the counters were last zeroed">
                {formatCount(service.stats?.conns)}
              </Fact>
            </dl>
          </Panel>

          <Panel
            title="Real servers"
            headingId="rs-heading"
            count={service.destinations.length}
            className="overflow-hidden"
          >
            {shares && (
              <RealServerTable
                director={director}
                sid={sid}
                service={service}
                epoch={epoch}
                version={version}
                shares={shares}
                history={destHistory}
                end={end}
                live={live}
                onEdit={editDestination}
                onRemove={removeDestination}
                onSetup={setupDestination}
              />
            )}
          </Panel>

          <HealthPanel director={director} sid={sid} service={service} editOff={editOff} now={clock} />

          {clock !== null && (
            <ServiceCharts
              director={director}
              sid={sid}
              serviceData={chartService}
              destData={chartDests}
              destIds={destIds}
              now={chartEnd}
              live={live}
            />
          )}
        </div>
      </div>

      <DiagnosticsPanel director={director} sid={sid} />

      <ActivityLog activity={entry?.activity ?? []} sid={sid} />

      {dialog && <ServiceDialog dialog={dialog} director={director} onClose={() => setDialog(null)} />}
    </div>
  );
}

/** The open dialog of the service page: a form or a delete, on the table the page showed. */
function ServiceDialog({
  dialog,
  director,
  onClose,
}: {
  dialog: NonNullable<Dialog>;
  director: string;
  onClose: () => void;
}) {
  const router = useRouter();
  const props = { director, onClose, table: dialog.table, service: dialog.service };
  switch (dialog.kind) {
    case 'edit-service':
      return <ServiceFormDialog open {...props} />;
    case 'delete-service':
      return <DeleteServiceDialog {...props} onDeleted={() => router.push('/')} />;
    case 'add-destination':
      return <DestinationFormDialog open {...props} />;
    case 'edit-destination':
      return <DestinationFormDialog open {...props} destination={dialog.destination} />;
    case 'delete-destination':
      return <DeleteDestinationDialog {...props} destination={dialog.destination} />;
    case 'setup-destination':
      return <RealServerSetupDialog service={dialog.service} destination={dialog.destination} onClose={onClose} />;
  }
}
