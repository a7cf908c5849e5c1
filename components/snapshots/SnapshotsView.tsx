'use client';

import { useCallback, useEffect, useState } from 'react';
import { api } from '@/components/auth/api';
import { useCan } from '@/components/auth/session';
import { NoDirectors } from '@/components/overview/NoDirectors';
import { Banner } from '@/components/ui/Banner';
import { Button } from '@/components/ui/Button';
import { controlClass } from '@/components/ui/Field';
import type { DirectorSummary } from '@/lib/events';
import type { AckError } from '@/lib/errors';
import { ImportPanel } from './ImportPanel';
import { LiveTablePanel } from './LiveTablePanel';
import { listSnapshots, type SnapshotMeta } from './requests';
import { SnapshotList } from './SnapshotList';
import { PageHeader } from '@/components/ui/PageHeader';
import { Panel } from '@/components/ui/Panel';

interface Props {
  initialDirectors: DirectorSummary[] | null;
  /** ?director= of the page URL. */
  requested: string | null;
}

/** One director's rule snapshots: export the live table, save, list, preview and restore, import. */
export function SnapshotsView({ initialDirectors, requested }: Props) {
  const isAdmin = useCan('admin');
  const [directors, setDirectors] = useState<DirectorSummary[] | null>(initialDirectors);
  const [chosen, setChosen] = useState<string | null>(requested);
  const [snapshots, setSnapshots] = useState<SnapshotMeta[] | null>(null);
  /** Older snapshots exist than the last one listed. */
  const [more, setMore] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<AckError | null>(null);
  const director = chosen ?? directors?.[0]?.id ?? null;

  useEffect(() => {
    void api('directors:list', {}).then((r) => {
      if (r.ok) setDirectors(r.data.directors);
    });
  }, []);

  /** Resolves once the list on screen is the new one, so what is shown below it can be placed after it moved. */
  const reload = useCallback(async () => {
    if (!director) return;
    const r = await listSnapshots(director);
    if (r.ok) {
      setSnapshots(r.data.snapshots);
      setMore(r.data.more);
      setError(null);
    } else setError(r.error);
  }, [director]);

  async function showOlder() {
    const last = snapshots?.at(-1);
    if (!director || !last) return;
    setLoadingOlder(true);
    const r = await listSnapshots(director, last.id);
    setLoadingOlder(false);
    if (r.ok) {
      setSnapshots((shown) => [...(shown ?? []), ...r.data.snapshots]);
      setMore(r.data.more);
    } else setError(r.error);
  }

  useEffect(() => {
    setSnapshots(null);
    void reload();
  }, [reload]);

  function choose(id: string) {
    setChosen(id);
    const url = new URL(window.location.href);
    url.searchParams.set('director', id);
    window.history.replaceState(window.history.state, '', url);
  }

  const ids = directors?.map((d) => d.id) ?? [];
  const unknown = director !== null && directors !== null && !ids.includes(director);
  return (
    <div className="space-y-4">
      <PageHeader
        title="Snapshots"
        description="Save and export a director's rules, compare them with the live table, restore or import them."
      >
        {directors && directors.length > 0 && (
          <div className="flex items-center gap-2">
            <label htmlFor="snapshot-director" className="text-sm text-zinc-600 dark:text-zinc-400">
              Director
            </label>
            <select
              id="snapshot-director"
              value={director ?? ''}
              onChange={(e) => choose(e.target.value)}
              className={controlClass(null, 'w-44')}
            >
              {ids.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
              {unknown && <option value={director}>{director} (unknown)</option>}
            </select>
          </div>
        )}
      </PageHeader>

      {directors !== null && directors.length === 0 ? (
        <NoDirectors />
      ) : director === null ? (
        <p className="py-12 text-center text-sm text-zinc-500 dark:text-zinc-400">Loading the directors…</p>
      ) : (
        <>
          {unknown && (
            <Banner tone="warning" title={`The dashboard knows no director named ${director}`}>
              Choose another one above.
            </Banner>
          )}
          <LiveTablePanel
            key={`live-${director}`}
            director={director}
            summary={directors?.find((d) => d.id === director)}
            onSaved={reload}
          />
          <Panel
            title="Saved snapshots"
            headingId="saved-heading"
            count={snapshots ? (more ? `${snapshots.length}+` : snapshots.length) : null}
            className="overflow-hidden"
            aside={
              !isAdmin && (
                <span className="text-xs text-zinc-500 dark:text-zinc-400">
                  Restore and delete need the admin role.
                </span>
              )
            }
          >
            {error ? (
              <div className="p-4">
                <Banner tone="danger" title="Could not load the snapshots">
                  {error.message}
                </Banner>
              </div>
            ) : (
              <>
                <SnapshotList snapshots={snapshots} onChanged={reload} />
                {more && (
                  <div className="flex items-center justify-between gap-3 border-t border-zinc-200 px-4 py-2 text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
                    <span>The newest {snapshots?.length} are listed; older ones exist.</span>
                    <Button size="sm" onClick={() => void showOlder()} disabled={loadingOlder}>
                      {loadingOlder ? 'Loading…' : 'Show older snapshots'}
                    </Button>
                  </div>
                )}
              </>
            )}
          </Panel>
          <ImportPanel key={`import-${director}`} director={director} onApplied={reload} />
        </>
      )}
    </div>
  );
}
