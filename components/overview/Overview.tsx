'use client';

import { useMemo, useState } from 'react';
import { useDirectors } from '@/components/realtime/hooks';
import { useConnection } from '@/components/realtime/useConnection';
import { Banner } from '@/components/ui/Banner';
import { controlClass } from '@/components/ui/Field';
import type { DirectorSummary } from '@/lib/events';
import { DirectorCard, type ServiceFilter } from './DirectorCard';
import { NoDirectors } from './NoDirectors';
import { PairsPanel } from './PairsPanel';
import { usePairs } from './use-pairs';
import { PageHeader } from '@/components/ui/PageHeader';

/** Every director the dashboard server watches, each with its totals and its services: pairs first, as groups with
 * their members side by side, then the directors in no pair. */
export function Overview({ initial }: { initial: DirectorSummary[] | null }) {
  const directors = useDirectors(initial);
  const connection = useConnection();
  const [filter, setFilter] = useState<ServiceFilter>({ text: '', protocol: '' });
  const { pairs, reload } = usePairs();
  const byName = useMemo(() => new Map((directors ?? []).map((d) => [d.name, d])), [directors]);
  const paired = useMemo(() => new Set((pairs ?? []).flatMap((p) => [p.first, p.second])), [pairs]);

  return (
    <div className="space-y-4">
      <PageHeader
        title="Overview"
        description={
          <>
            {directors === null
              ? 'Connecting…'
              : `${directors.length} ${directors.length === 1 ? 'director' : 'directors'}`}{' '}
            · rates are per second, bytes as IPVS counts them
          </>
        }
      >
        <div className="flex items-center gap-2" role="search">
          <label htmlFor="service-search" className="sr-only">
            Search services
          </label>
          <input
            id="service-search"
            type="search"
            placeholder="Search VIP, port, scheduler, real server…"
            value={filter.text}
            onChange={(e) => setFilter({ ...filter, text: e.target.value })}
            className={controlClass(null, 'w-80')}
          />
          <label htmlFor="protocol-filter" className="sr-only">
            Protocol
          </label>
          <select
            id="protocol-filter"
            value={filter.protocol}
            onChange={(e) => setFilter({ ...filter, protocol: e.target.value as ServiceFilter['protocol'] })}
            className={controlClass(null, 'w-36')}
          >
            <option value="">All protocols</option>
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
            <option value="sctp">SCTP</option>
            <option value="fwmark">fwmark</option>
          </select>
        </div>
      </PageHeader>

      {connection === 'lost' && (
        <Banner
          tone="warning"
          title="Lost the connection to the dashboard server: nothing on this page is live. Reconnecting…"
        />
      )}

      <PairsPanel pairs={pairs ?? []} reload={reload} directors={byName} filter={filter} />

      {directors === null ? (
        <p className="rounded-lg border border-zinc-200 px-6 py-12 text-center text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          Connecting to the dashboard server…
        </p>
      ) : directors.length === 0 ? (
        <NoDirectors />
      ) : (
        directors.filter((d) => !paired.has(d.name)).map((d) => <DirectorCard key={d.id} summary={d} filter={filter} />)
      )}
    </div>
  );
}
