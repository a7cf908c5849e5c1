'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { useCan } from '@/components/auth/session';
import { ActivityLog } from '@/components/director/ActivityLog';
import { DirectorStatusLine } from '@/components/director/DirectorStatusLine';
import { DegradedBanner } from '@/components/director/DegradedBanner';
import { HealthBanner } from '@/components/director/HealthBanner';
import { DeleteDestinationDialog, DeleteServiceDialog } from '@/components/forms/DeleteDialogs';
import { DestinationFormDialog } from '@/components/forms/DestinationForm';
import { VIEWER_REASON } from '@/components/forms/edit';
import { ServiceFormDialog } from '@/components/forms/ServiceForm';
import {
  DIRECT_RETURN_TITLE,
  connectionsHref,
  directReturn,
  persistenceText,
  serviceTitle,
  usesWeights,
} from '@/components/ipvs/describe';
import { useDirector, useDirectorHealth, useDirectors, useNow } from '@/components/realtime/hooks';
import { destRingKey, getStore, serviceRingKey } from '@/components/realtime/store';
import { Button } from '@/components/ui/Button';
import { formatBytesRate, formatCount, formatSI, tableVersionTitle } from '@/components/ui/format';
import { destinationId, hostPort, serviceId, serviceKey, type Destination, type Service } from '@/lib/ipvs';
import { serviceConns } from '@/components/overview/totals';
import { chartData } from './RateChart';
import { ServiceCharts } from './ServiceCharts';
import { RealServerTable } from './RealServerTable';
import { computeShares } from './share';
import { useStatsHistory } from './stats-history';

type Dialog =
  | { kind: 'edit-service'; service: Service; version: number }
  | { kind: 'delete-service'; service: Service; version: number }
  | { kind: 'add-destination'; service: Service; version: number }
  | { kind: 'edit-destination'; service: Service; version: number; destination: Destination }
  | { kind: 'delete-destination'; service: Service; version: number; destination: Destination }
  | null;

function Tile({ label, value, testId, title }: { label: string; value: string; testId?: string; title?: string }) {
  return (
    <div className="min-w-0 px-4 py-2" title={title}>
      <dt className="truncate text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 truncate text-base font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function ServiceView({ director, sid }: { director: string; sid: string }) {
  const router = useRouter();
  const directors = useDirectors();
  const summary = directors?.find((d) => d.id === director);
  const entry = useDirector(director);
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
  // The five minutes before the page opened, for the share column (the rings only hold what this page has seen).
  const destKey = service?.destinations.map((d) => `${sid}|${destinationId(d)}`).join('\n') ?? '';
  const destSeries = useMemo(() => destKey.split('\n').filter(Boolean), [destKey]);
  const { data: shareHistory } = useStatsHistory(director, destSeries, '5m');
  const shares = useMemo(
    () => (service ? computeShares(store, director, sid, service, end, shareHistory) : null),
    [store, director, sid, service, end, shareHistory],
  );
  // Redrawing a dozen charts is the page's dearest work: done at low priority, so a keystroke or a click interrupts
  // it instead of waiting behind it.
  const chartService = useDeferredValue(serviceData);
  const chartDests = useDeferredValue(destData);
  const chartEnd = useDeferredValue(chartNow);
  const version = state?.version ?? 0;
  const editDestination = useCallback(
    (d: Destination) => service && setDialog({ kind: 'edit-destination', service, version, destination: d }),
    [service, version],
  );
  const removeDestination = useCallback(
    (d: Destination) => service && setDialog({ kind: 'delete-destination', service, version, destination: d }),
    [service, version],
  );

  const crumbs = (
    <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 dark:text-zinc-400">
      <Link href="/" className="hover:text-zinc-900 hover:underline dark:hover:text-zinc-100">
        Overview
      </Link>
      <span className="mx-1.5">/</span>
      <span>{director}</span>
      <span className="mx-1.5">/</span>
      <span className="font-mono text-zinc-700 dark:text-zinc-300">{sid}</span>
    </nav>
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
            onClick={() => setDialog({ kind: 'add-destination', service, version })}
            disabled={editOff !== undefined}
            title={editOff}
          >
            Add real server
          </Button>
          <Button
            onClick={() => setDialog({ kind: 'edit-service', service, version })}
            disabled={editOff !== undefined}
            title={editOff}
          >
            Edit service
          </Button>
          <Button
            variant="danger-ghost"
            onClick={() => setDialog({ kind: 'delete-service', service, version })}
            disabled={editOff !== undefined}
            title={editOff}
          >
            Delete service
          </Button>
        </div>
      </div>

      <DegradedBanner director={director} problems={state.problems} />

      <div className="relative">
        {/* Over the greyed numbers rather than above them: a flip between live and stale moves nothing. */}
        <div className="absolute inset-x-0 top-0 z-10">
          <HealthBanner director={director} health={health} />
        </div>
        <div data-stale={!live} className={`space-y-4 ${live ? '' : 'opacity-60 grayscale'}`}>
          <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/40">
            <dl className="grid grid-cols-6 divide-x divide-zinc-200 border-b border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
              <div className="px-4 py-2">
                <dt className="text-xs text-zinc-500 dark:text-zinc-400">Scheduler</dt>
                <dd className="mt-0.5 font-mono" data-testid="scheduler">
                  {service.scheduler}
                  {service.flags.length > 0 && (
                    <span className="ml-1.5 font-sans text-xs text-zinc-500 dark:text-zinc-400">
                      {service.flags.join(', ')}
                    </span>
                  )}
                </dd>
              </div>
              <div className="px-4 py-2">
                <dt className="text-xs text-zinc-500 dark:text-zinc-400">Persistence</dt>
                <dd className="mt-0.5 tabular-nums">{persistenceText(service)}</dd>
              </div>
              <div className="px-4 py-2">
                <dt className="text-xs text-zinc-500 dark:text-zinc-400">One-packet scheduling</dt>
                <dd className="mt-0.5">{service.ops ? 'on (-o)' : 'off'}</dd>
              </div>
              <div className="px-4 py-2">
                <dt className="text-xs text-zinc-500 dark:text-zinc-400">Real servers in rotation</dt>
                <dd
                  className={`mt-0.5 tabular-nums ${inRotation === 0 && service.destinations.length > 0 ? 'font-semibold text-red-600 dark:text-red-400' : ''}`}
                >
                  {inRotation} of {service.destinations.length}
                </dd>
              </div>
              <div className="px-4 py-2">
                <dt className="text-xs text-zinc-500 dark:text-zinc-400">Weights</dt>
                <dd className="mt-0.5 text-xs leading-5 text-zinc-700 dark:text-zinc-300">
                  {usesWeights(service.scheduler)
                    ? 'split new connections in proportion'
                    : 'only 0 (out) vs > 0 (in) matters'}
                </dd>
              </div>
              <div className="px-4 py-2">
                <dt className="text-xs text-zinc-500 dark:text-zinc-400">Table version</dt>
                <dd className="mt-0.5 tabular-nums" data-testid="table-version" title={tableVersionTitle(state)}>
                  v{version}
                </dd>
              </div>
            </dl>
            <dl
              className="grid grid-cols-8 divide-x divide-zinc-200 dark:divide-zinc-800"
              data-testid="service-counters"
            >
              <Tile label="Active conns" value={formatCount(active)} testId="svc-active" />
              <Tile label="Inactive conns" value={formatCount(inactive)} />
              <Tile label="New conns/s" value={formatSI(service.rate?.cps)} />
              <Tile label="In packets/s" value={formatSI(service.rate?.inPps)} />
              <Tile
                label="Out packets/s"
                value={direct ? 'direct' : formatSI(service.rate?.outPps)}
                title={direct ? DIRECT_RETURN_TITLE : undefined}
                testId="svc-out-pps"
              />
              <Tile label="In bytes/s" value={formatBytesRate(service.rate?.inBps)} />
              <Tile
                label="Out bytes/s"
                value={direct ? 'direct' : formatBytesRate(service.rate?.outBps)}
                title={direct ? DIRECT_RETURN_TITLE : undefined}
                testId="svc-out-bps"
              />
              <Tile label="Conns since zeroed" value={formatCount(service.stats?.conns)} />
            </dl>
          </div>

          <section
            aria-labelledby="rs-heading"
            className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/40"
          >
            <h2
              id="rs-heading"
              className="border-b border-zinc-200 px-4 py-2 text-sm font-semibold dark:border-zinc-800"
            >
              Real servers{' '}
              <span className="font-normal text-zinc-500 dark:text-zinc-400">({service.destinations.length})</span>
            </h2>
            {shares && (
              <RealServerTable
                director={director}
                sid={sid}
                service={service}
                version={version}
                shares={shares}
                end={end}
                live={live}
                onEdit={editDestination}
                onRemove={removeDestination}
              />
            )}
          </section>

          {clock !== null && (
            <ServiceCharts
              director={director}
              sid={sid}
              serviceData={chartService}
              destData={chartDests}
              now={chartEnd}
              live={live}
            />
          )}
        </div>
      </div>

      <ActivityLog activity={entry?.activity ?? []} sid={sid} />

      {dialog?.kind === 'edit-service' && (
        <ServiceFormDialog
          open
          onClose={() => setDialog(null)}
          director={director}
          version={dialog.version}
          service={dialog.service}
        />
      )}
      {dialog?.kind === 'delete-service' && (
        <DeleteServiceDialog
          open
          onClose={() => setDialog(null)}
          onDeleted={() => router.push('/')}
          director={director}
          version={dialog.version}
          service={dialog.service}
        />
      )}
      {dialog?.kind === 'add-destination' && (
        <DestinationFormDialog
          open
          onClose={() => setDialog(null)}
          director={director}
          version={dialog.version}
          service={dialog.service}
        />
      )}
      {dialog?.kind === 'edit-destination' && (
        <DestinationFormDialog
          open
          onClose={() => setDialog(null)}
          director={director}
          version={dialog.version}
          service={dialog.service}
          destination={dialog.destination}
        />
      )}
      {dialog?.kind === 'delete-destination' && (
        <DeleteDestinationDialog
          open
          onClose={() => setDialog(null)}
          director={director}
          version={dialog.version}
          service={dialog.service}
          destination={dialog.destination}
        />
      )}
    </div>
  );
}
