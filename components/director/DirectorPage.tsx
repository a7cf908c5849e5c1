'use client';

import { useEffect, useState } from 'react';
import { api } from '@/components/auth/api';
import { DirectorCard } from '@/components/overview/DirectorCard';
import { useDirectors } from '@/components/realtime/hooks';
import { Banner } from '@/components/ui/Banner';
import { Breadcrumbs } from '@/components/ui/Breadcrumbs';
import { PageHeader } from '@/components/ui/PageHeader';
import { Panel } from '@/components/ui/Panel';
import type { OutputOf } from '@/lib/api/types';
import type { DirectorSummary } from '@/lib/events';

type Info = OutputOf<'director:info'>;

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0 px-4 py-2">
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 truncate text-sm">{children}</dd>
    </div>
  );
}

/** One director: where its agent is, what the agent says about itself, and its live table and services. */
export function DirectorPage({ name, initial }: { name: string; initial: DirectorSummary[] | null }) {
  const directors = useDirectors(initial);
  const summary = directors?.find((d) => d.name === name);
  const [info, setInfo] = useState<Info | null>(null);
  const [error, setError] = useState<string | null>(null);
  const status = summary?.status;
  useEffect(() => {
    void api('director:info', { director: name }).then((r) => {
      if (r.ok) setInfo(r.data);
      else setError(r.error.message);
    });
  }, [name, status]);

  if (directors && !summary)
    return (
      <div className="space-y-4">
        <Breadcrumbs steps={[{ label: 'Overview', href: '/' }, { label: name }]} />
        <Banner tone="warning" title={`No director named ${name}`}>
          It is not configured (LVS_AGENTS, or Directors for admins), or it was removed.
        </Banner>
      </div>
    );
  const agent = info?.agent;
  return (
    <div className="space-y-4">
      <Breadcrumbs steps={[{ label: 'Overview', href: '/' }, { label: name }]} />
      <PageHeader title={name} description={info ? info.url : 'Director'} />
      {error && (
        <Banner tone="danger" title="Could not read the director">
          {error}
        </Banner>
      )}
      <Panel title="Agent" headingId="agent-heading" data-testid="agent-info">
        <dl className="grid grid-cols-2 divide-zinc-100 sm:grid-cols-3 lg:grid-cols-6 dark:divide-zinc-800/70">
          <Fact label="Status">{summary?.status ?? '…'}</Fact>
          <Fact label="Configured in">{info ? (info.source === 'env' ? 'LVS_AGENTS' : 'Directors (UI)') : '…'}</Fact>
          <Fact label="Agent name">{agent?.name ?? '—'}</Fact>
          <Fact label="Backend">{agent?.backend ?? '—'}</Fact>
          <Fact label="Tick">{agent ? `${agent.tickMs} ms` : '—'}</Fact>
          <Fact label="Protocol">{agent?.protocol ?? '—'}</Fact>
        </dl>
        {agent?.readError && <p className="px-4 pb-3 text-sm text-red-700 dark:text-red-400">{agent.readError}</p>}
      </Panel>
      {summary && <DirectorCard summary={summary} filter={{ text: '', protocol: '' }} />}
    </div>
  );
}
