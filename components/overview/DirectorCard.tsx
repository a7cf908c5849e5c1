'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { DirectorStatusLine } from '@/components/director/DirectorStatusLine';
import { DegradedBanner } from '@/components/director/DegradedBanner';
import { HealthBanner } from '@/components/director/HealthBanner';
import { connectionsHref, directorHref } from '@/components/ipvs/describe';
import { useCan } from '@/components/auth/session';
import { VIEWER_REASON } from '@/components/forms/edit';
import { ServiceFormDialog } from '@/components/forms/ServiceForm';
import { useDirector, useDirectorHealth, useNow } from '@/components/realtime/hooks';
import { Button } from '@/components/ui/Button';
import { formatBytesRate, formatCount, formatSI, tableVersionTitle } from '@/components/ui/format';
import type { DirectorSummary } from '@/lib/events';
import { destinationId, serviceId, serviceKey, type Service } from '@/lib/ipvs';
import { ServicesTable } from './ServicesTable';
import { HISTORY_SERVICES, useSparkHistory } from './spark-history';
import { tableTotals } from './totals';
import { staleLook } from '@/components/ui/stale-look';
import { STALE_AFTER_MS } from '@/lib/staleness';

export interface ServiceFilter {
  text: string;
  protocol: Service['protocol'] | '';
}

function matches(s: Service, f: ServiceFilter): boolean {
  if (f.protocol && s.protocol !== f.protocol) return false;
  const q = f.text.trim().toLowerCase();
  if (!q) return true;
  const hay = [serviceId(serviceKey(s)), s.scheduler, ...s.flags, ...s.destinations.map((d) => destinationId(d))]
    .join(' ')
    .toLowerCase();
  return q.split(/\s+/).every((w) => hay.includes(w));
}

function Stat({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="min-w-0 px-4 py-2.5">
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 truncate text-lg font-semibold tabular-nums">
        {value}
        {sub && <span className="ml-1.5 text-xs font-normal text-zinc-500 dark:text-zinc-400">{sub}</span>}
      </dd>
    </div>
  );
}

/**
 * The sparklines' right edge (browser clock): the last update's arrival while updates keep coming (the page's own
 * watchdog calls the director stale after STALE_AFTER_MS without one), so the rows are drawn once per update and not
 * again by the clock a moment later (the window moves 0.4 px a second); the clock once they stop, so the lines move
 * left and the pause shows.
 */
function sparklineEnd(now: number, receivedAt: number | null): number {
  return receivedAt !== null && now - receivedAt <= STALE_AFTER_MS ? receivedAt : now;
}

export function DirectorCard({ summary, filter }: { summary: DirectorSummary; filter: ServiceFilter }) {
  const id = summary.id;
  const entry = useDirector(id);
  const health = useDirectorHealth(id, entry, summary);
  const now = useNow();
  const [adding, setAdding] = useState(false);
  const canEdit = useCan('operator');
  const state = entry?.state ?? null;
  const totals = useMemo(() => (state ? tableTotals(state) : null), [state]);
  const shown = useMemo(() => (state ? state.services.filter((s) => matches(s, filter)) : []), [state, filter]);
  const live = health.status === 'live';
  const end = now === null || !entry ? null : sparklineEnd(now, entry.receivedAt) - entry.offset;
  const sids = useMemo(
    () => (state ? state.services.slice(0, HISTORY_SERVICES).map((s) => serviceId(serviceKey(s))) : []),
    [state],
  );
  const history = useSparkHistory(id, sids);

  return (
    <section
      aria-labelledby={`director-${id}`}
      data-testid={`director-${id}`}
      className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/40"
    >
      <header className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
        <h2 id={`director-${id}`} className="text-base font-semibold">
          <Link href={`/directors/${encodeURIComponent(id)}`} prefetch={false} className="hover:underline">
            {summary.name}
          </Link>
        </h2>
        <DirectorStatusLine health={health} />
        {state && (
          <span className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400" title={tableVersionTitle(state)}>
            table v{state.version} · {state.services.length} services
          </span>
        )}
        <div className="ml-auto flex items-center gap-2">
          <Link
            href={directorHref(id)}
            className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-sky-700 hover:bg-sky-50 dark:text-sky-400 dark:hover:bg-sky-500/10"
          >
            Settings
          </Link>
          <Link
            href={connectionsHref(id)}
            className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-sky-700 hover:bg-sky-50 dark:text-sky-400 dark:hover:bg-sky-500/10"
          >
            Connections
          </Link>
          <Button
            size="md"
            onClick={() => setAdding(true)}
            disabled={!state || !canEdit || !live}
            title={
              !canEdit ? VIEWER_REASON : live ? undefined : `${summary.name} is ${health.status}: ${health.reason}`
            }
          >
            Add service
          </Button>
        </div>
      </header>

      {(health.status === 'stale' || health.status === 'unreachable') && (
        <div className="border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
          <HealthBanner director={summary.name} health={health} />
        </div>
      )}
      {(state?.problems ?? summary.problems)?.length ? (
        <div className="border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
          <DegradedBanner director={summary.name} problems={state?.problems ?? summary.problems} />
        </div>
      ) : null}
      {state && state.owners.length > 0 && (
        <p className="border-b border-zinc-200 bg-amber-50/60 px-4 py-1.5 text-xs text-amber-900 dark:border-zinc-800 dark:bg-amber-500/5 dark:text-amber-200">
          Also managed by {state.owners.join(', ')}: its next reload overwrites changes made here.
        </p>
      )}

      <div data-stale={!live} className={staleLook(live)}>
        <dl
          className="grid grid-cols-4 divide-x divide-zinc-200 border-b border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
          data-testid="totals"
        >
          <Stat
            label="Connections (active / inactive)"
            value={totals ? formatCount(totals.active) : '—'}
            sub={totals ? `/ ${formatCount(totals.inactive)}` : undefined}
          />
          <Stat label="New connections/s" value={totals ? formatSI(totals.cps) : '—'} />
          <Stat label="In (to real servers)" value={totals ? formatBytesRate(totals.inBps) : '—'} />
          <Stat label="Out (to clients)" value={totals ? formatBytesRate(totals.outBps) : '—'} />
        </dl>
        {!state ? (
          <p className="px-4 py-8 text-center text-sm text-zinc-500 dark:text-zinc-400">
            {health.status === 'loading' ? 'Loading the table…' : 'No table received from this director yet.'}
          </p>
        ) : shown.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-zinc-500 dark:text-zinc-400">
            {state.services.length === 0 ? 'No virtual services on this director.' : 'No service matches the filter.'}
          </p>
        ) : (
          <ServicesTable director={id} services={shown} end={end} samples={entry?.tick ?? 0} history={history} />
        )}
      </div>
      {state && <ServiceFormDialog open={adding} onClose={() => setAdding(false)} director={id} table={state} />}
    </section>
  );
}
