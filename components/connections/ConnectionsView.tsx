'use client';

import { useMemo, useRef, useState, type CSSProperties } from 'react';
import { DirectorStatusLine } from '@/components/director/DirectorStatusLine';
import { HealthBanner } from '@/components/director/HealthBanner';
import { directorHref } from '@/components/ipvs/describe';
import { useDirector, useDirectorHealth, useDirectors, useNow } from '@/components/realtime/hooks';
import { Banner } from '@/components/ui/Banner';
import { Breadcrumbs } from '@/components/ui/Breadcrumbs';
import { Panel } from '@/components/ui/Panel';
import { formatAge, formatCount } from '@/components/ui/format';
import { VirtualList } from '@/components/ui/VirtualList';
import { CONN_READ, connReadInterval, destinationId, hostPort } from '@/lib/ipvs';
import { ConnectionChips, ConnectionFilters, NO_CONN_FILTERS } from './ConnectionFilters';
import { ConnectionHeader, connectionRow } from './ConnectionRows';
import { PAGE, useConnectionPages, type ConnFilters, type Meta, type Sort } from './use-connection-pages';
import { staleLook } from '@/components/ui/stale-look';

const ROW = 28;
const HEADER = 32;
const VIEW_HEIGHT = 560;
const TEXT_DEBOUNCE_MS = 300;

/** "re-read every 27 s": the agent's cadence after this read (a multiple of the read time, at least 2 s). */
function cadenceText(meta: Meta): string {
  const s = Math.round(connReadInterval(meta.readMs) / 1000);
  return `re-read every ${formatCount(s)} s (${CONN_READ.restFactor}× the read time, at least ${CONN_READ.minIntervalMs / 1000} s)`;
}

export function ConnectionsView({ director, initial }: { director: string; initial: Partial<ConnFilters> }) {
  const directors = useDirectors();
  const summary = directors?.find((d) => d.id === director);
  const entry = useDirector(director);
  const health = useDirectorHealth(director, entry, summary);
  const now = useNow();
  const offset = entry?.offset ?? 0;

  const [filters, setFilters] = useState<ConnFilters>({ ...NO_CONN_FILTERS, ...initial });
  // Text boxes apply after a pause in typing; selects and chips at once.
  const [text, setText] = useState({ client: filters.client, virtual: filters.virtual, dest: filters.dest });
  const [sort, setSort] = useState<Sort>({ key: 'expires', desc: true });
  // Hold the rows still to read them (the countdown goes on); a new filter or sort still fetches.
  const [paused, setPaused] = useState(false);
  const textTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { pages, meta, error, onRange, queryKey } = useConnectionPages(director, filters, sort, paused, offset);

  const onText = (k: 'client' | 'virtual' | 'dest', v: string) => {
    const next = { ...text, [k]: v };
    setText(next);
    clearTimeout(textTimer.current);
    textTimer.current = setTimeout(() => setFilters((f) => ({ ...f, ...next })), TEXT_DEBOUNCE_MS);
  };
  const onSet = (patch: Partial<ConnFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    if ('dest' in patch || 'virtual' in patch || 'client' in patch) setText((t) => ({ ...t, ...patch }));
  };

  const services = entry?.state?.services ?? [];
  const vips = useMemo(
    () => [
      ...new Set(services.filter((s) => s.protocol !== 'fwmark').map((s) => hostPort(s.address ?? '', s.port ?? 0))),
    ],
    [services],
  );
  const reals = useMemo(
    () => [...new Set(services.flatMap((s) => s.destinations.map((d) => destinationId(d))))],
    [services],
  );

  const count = meta?.matched ?? 0;
  const live = health.status === 'live';

  const renderRow = (i: number, style: CSSProperties) => {
    const page = pages.get(Math.floor(i / PAGE) * PAGE);
    const age = now === null || !page ? 0 : Math.max(0, (now - (page.readAt + offset)) / 1000);
    return connectionRow(i, style, page, age);
  };
  const header = <ConnectionHeader sort={sort} onSort={setSort} />;

  return (
    <div className="space-y-4">
      <Breadcrumbs
        steps={[
          { label: 'Overview', href: '/' },
          { label: director, href: directorHref(director) },
          { label: 'connections' },
        ]}
      />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-xl font-semibold tracking-tight">Connections on {director}</h1>
        <DirectorStatusLine health={health} />
        <span className="ml-auto text-xs text-zinc-600 tabular-nums dark:text-zinc-400" data-testid="read-info">
          {meta ? (
            <>
              {formatCount(meta.matched)} of {formatCount(meta.total)} entries · read{' '}
              {now === null ? '' : formatAge(meta.readAt + offset, now)} · the read took {formatCount(meta.readMs)} ms ·{' '}
              {paused ? (
                <span className="font-medium text-amber-700 dark:text-amber-400">paused</span>
              ) : (
                cadenceText(meta)
              )}
            </>
          ) : (
            'Reading the connection table…'
          )}
        </span>
        <button
          type="button"
          onClick={() => setPaused(!paused)}
          aria-pressed={paused}
          className="h-7 rounded-md px-2 text-xs font-medium text-sky-700 ring-1 ring-zinc-300 ring-inset hover:bg-zinc-50 dark:text-sky-400 dark:ring-zinc-700 dark:hover:bg-zinc-800"
          title="Stop refreshing the rows (expiry keeps counting down) to read them"
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
      </div>
      <HealthBanner director={director} health={health} />
      {error && (
        <Banner tone="danger" title="The connection table could not be read">
          {error.message}
        </Banner>
      )}

      <ConnectionFilters
        filters={filters}
        text={text}
        onText={onText}
        onSet={onSet}
        vips={vips}
        reals={reals}
        byState={meta?.byState ?? {}}
      />
      <ConnectionChips filters={filters} onSet={onSet} byState={meta?.byState ?? {}} byDest={meta?.byDest ?? {}} />

      <Panel data-stale={!live} className={`relative overflow-x-auto ${staleLook(live)}`}>
        <div className="min-w-[53rem]">
          {meta && count === 0 ? (
            <>
              {header}
              <p
                className="px-4 py-12 text-center text-sm text-zinc-600 dark:text-zinc-400"
                style={{ height: VIEW_HEIGHT - HEADER }}
              >
                {meta.total === 0 ? 'The connection table is empty.' : 'No connection matches the filters.'}
              </p>
            </>
          ) : (
            <VirtualList
              label={`Connections on ${director}`}
              count={meta ? count : 0}
              rowHeight={ROW}
              height={VIEW_HEIGHT}
              header={header}
              headerHeight={HEADER}
              renderRow={renderRow}
              onRange={onRange}
              resetKey={queryKey}
            />
          )}
        </div>
      </Panel>
    </div>
  );
}
