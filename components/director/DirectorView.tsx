'use client';

import Link from 'next/link';
import { connectionsHref } from '@/components/ipvs/describe';
import { useDirector, useDirectorHealth, useDirectors } from '@/components/realtime/hooks';
import { DirectorCard } from '@/components/overview/DirectorCard';
import { Banner } from '@/components/ui/Banner';
import { Breadcrumbs } from '@/components/ui/Breadcrumbs';
import type { DirectorSummary } from '@/lib/events';
import { AgentPanel } from './AgentPanel';
import { DegradedBanner } from './DegradedBanner';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { DirectorSettings } from './DirectorSettings';
import { DirectorStatusLine } from './DirectorStatusLine';
import { HealthBanner } from './HealthBanner';
import { KeepalivedBanner } from './KeepalivedBanner';

/** One director's own page: its agent, its services, its table-wide settings and its diagnostics. */
export function DirectorView({ director, initial }: { director: string; initial: DirectorSummary[] | null }) {
  const directors = useDirectors(initial);
  const summary = directors?.find((d) => d.id === director);
  const entry = useDirector(director);
  const health = useDirectorHealth(director, entry, summary);
  const state = entry?.state ?? null;
  const live = health.status === 'live';
  if (directors && !summary)
    return (
      <div className="space-y-4">
        <Breadcrumbs steps={[{ label: 'Overview', href: '/' }, { label: director }]} />
        <Banner tone="warning" title={`No director named ${director}`}>
          It is not configured (LVS_AGENTS, or Directors for admins), or it was removed.
        </Banner>
      </div>
    );
  return (
    <div className="space-y-4">
      <Breadcrumbs steps={[{ label: 'Overview', href: '/' }, { label: director }]} />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-xl font-semibold tracking-tight" data-testid="director-title">
          {summary?.name ?? director}
        </h1>
        <DirectorStatusLine health={health} />
        <Link
          href={connectionsHref(director)}
          className="ml-auto inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-sky-700 hover:bg-sky-50 dark:text-sky-400 dark:hover:bg-sky-500/10"
        >
          Connections
        </Link>
      </div>
      <HealthBanner director={director} health={health} />
      <DegradedBanner director={director} problems={state?.problems} />
      <KeepalivedBanner state={state} />
      <AgentPanel director={director} status={summary?.status} />
      {summary && <DirectorCard summary={summary} filter={{ text: '', protocol: '' }} />}
      {state ? (
        <DirectorSettings director={director} state={state} live={live} />
      ) : (
        <p className="rounded-lg border border-zinc-200 px-6 py-12 text-center text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          {health.status === 'loading' ? 'Loading the table…' : `No table from ${director} yet.`}
        </p>
      )}
      <DiagnosticsPanel director={director} />
    </div>
  );
}
