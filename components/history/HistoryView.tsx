'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '@/components/auth/api';
import { useDirectors } from '@/components/realtime/hooks';
import { getStore } from '@/components/realtime/store';
import { Banner } from '@/components/ui/Banner';
import { Button } from '@/components/ui/Button';
import { Panel } from '@/components/ui/Panel';
import { formatClock } from '@/components/ui/format';
import type { DirectorSummary } from '@/lib/events';
import type { AckError } from '@/lib/errors';
import { serviceId, serviceKey } from '@/lib/ipvs';
import {
  auditParams,
  filterSearch,
  mergeNewest,
  NO_FILTER,
  PAGE_SIZE,
  type AuditEntry,
  type AuditFilter,
} from './audit';
import { AuditTable } from './AuditTable';
import { ExportLinks, HistoryFilters } from './HistoryFilters';
import { useLiveRefresh } from './useLiveRefresh';
import { PageHeader } from '@/components/ui/PageHeader';

/** Typing in a filter box asks the server once the typing pauses. */
const TYPING_MS = 300;

type Rows = { entries: AuditEntry[]; more: boolean; at: number };

function fetchPage(filter: AuditFilter, before?: number) {
  return api('audit:query', { ...auditParams(filter), limit: PAGE_SIZE, ...(before === undefined ? {} : { before }) });
}

/** Every change made to the directors' tables, newest first, filtered, pageable and refreshed as changes happen. */
export function HistoryView({
  initialFilter,
  directors: initialDirectors,
}: {
  initialFilter: AuditFilter;
  directors: DirectorSummary[] | null;
}) {
  const directorList = useDirectors(initialDirectors);
  const directors = useMemo(() => (directorList ?? []).map((d) => d.id), [directorList]);
  const [filter, setFilter] = useState(initialFilter);
  const [query, setQuery] = useState(initialFilter);
  const [rows, setRows] = useState<Rows | null>(null);
  const [loading, setLoading] = useState(true);
  const [olderLoading, setOlderLoading] = useState(false);
  const [error, setError] = useState<AckError | null>(null);
  const sequence = useRef(0);

  // Typing settles before the query moves; selects and dates apply at once.
  useEffect(() => {
    const typed = filter.service !== query.service || filter.user !== query.user;
    const t = setTimeout(() => setQuery(filter), typed ? TYPING_MS : 0);
    return () => clearTimeout(t);
  }, [filter, query]);

  useEffect(() => {
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${filterSearch(query)}`);
  }, [query]);

  const load = useCallback(async (f: AuditFilter, mode: 'replace' | 'refresh') => {
    const mine = ++sequence.current;
    if (mode === 'replace') setLoading(true);
    const r = await fetchPage(f);
    if (mine !== sequence.current) return; // a newer query is on its way
    setLoading(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    const fresh = r.data.entries;
    setRows((prev) => {
      const full = fresh.length === PAGE_SIZE;
      if (mode === 'replace' || !prev) return { entries: fresh, more: full, at: Date.now() };
      // More new rows than a page since the last look: start over from the newest page.
      const oldest = fresh.at(-1);
      const newest = prev.entries[0];
      if (full && oldest && newest && oldest.id > newest.id) return { entries: fresh, more: true, at: Date.now() };
      return { entries: mergeNewest(prev.entries, fresh), more: prev.more, at: Date.now() };
    });
  }, []);

  useEffect(() => {
    void load(query, 'replace');
  }, [query, load]);

  useLiveRefresh(() => {
    if (!loading && !olderLoading) void load(query, 'refresh');
  });

  async function loadOlder() {
    const last = rows?.entries.at(-1);
    if (!last) return;
    setOlderLoading(true);
    const mine = sequence.current;
    const r = await fetchPage(query, last.id);
    setOlderLoading(false);
    if (mine !== sequence.current) return;
    if (!r.ok) return setError(r.error);
    setRows(
      (prev) =>
        prev && {
          entries: mergeNewest(prev.entries, r.data.entries),
          more: r.data.entries.length === PAGE_SIZE,
          at: prev.at,
        },
    );
  }

  const store = getStore();
  const serviceIds = directors.flatMap((d) => store.get(d)?.state?.services.map((s) => serviceId(serviceKey(s))) ?? []);
  const users = [...new Set([...(rows?.entries.map((e) => e.user) ?? []), 'external'])].sort();
  const entries = rows?.entries ?? [];

  return (
    <div className="space-y-4">
      <PageHeader
        title="History"
        description="Every change to the directors' tables: through the dashboard, its API, imports and restores, and changes seen from outside. Click a row for before/after and the ipvsadm commands."
      />

      <HistoryFilters
        filter={filter}
        onChange={setFilter}
        onClear={() => {
          setFilter(NO_FILTER);
          setQuery(NO_FILTER);
        }}
        directors={directors}
        serviceIds={serviceIds}
        users={users}
      />

      {error && (
        <Banner tone="danger" title="Could not load the history" testId="history-error">
          {error.message}
        </Banner>
      )}

      <Panel className="overflow-hidden">
        <div className="flex h-10 items-center justify-between border-b border-zinc-200 px-4 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          <span data-testid="history-count" aria-live="polite">
            {rows === null
              ? 'Loading…'
              : `${entries.length} ${entries.length === 1 ? 'change' : 'changes'}${rows.more ? ' (more below)' : ''} · newest first`}
          </span>
          <span className="flex items-center gap-4">
            <span className="tabular-nums">
              {loading && rows !== null
                ? 'Updating…'
                : rows
                  ? `refreshed ${formatClock(rows.at)} · every 10 s and on each change`
                  : ''}
            </span>
            <ExportLinks filter={filter} />
          </span>
        </div>
        <div
          className={`transition-opacity ${rows === null ? 'min-h-64' : ''} ${loading && rows !== null ? 'opacity-60' : ''}`}
        >
          {rows !== null && entries.length === 0 ? (
            <p className="px-4 py-16 text-center text-sm text-zinc-500 dark:text-zinc-400" data-testid="history-empty">
              {filterSearch(query) ? 'No change matches these filters.' : 'No change recorded yet.'}
            </p>
          ) : (
            <AuditTable entries={entries} />
          )}
        </div>
        {rows?.more && (
          <div className="border-t border-zinc-200 px-4 py-2 text-center dark:border-zinc-800">
            <Button onClick={loadOlder} disabled={olderLoading} data-testid="load-older">
              {olderLoading ? 'Loading…' : `Load ${PAGE_SIZE} older`}
            </Button>
          </div>
        )}
      </Panel>
    </div>
  );
}
