'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { DirectorStatusLine } from '@/components/director/DirectorStatusLine';
import { HealthBanner } from '@/components/director/HealthBanner';
import { useDirector, useDirectorHealth, useDirectors, useNow } from '@/components/realtime/hooks';
import { request } from '@/components/realtime/request';
import { getSocket } from '@/components/realtime/socket';
import { Banner } from '@/components/ui/Banner';
import { controlClass, Field, Suggestions } from '@/components/ui/Field';
import { formatAge, formatCount, formatDuration } from '@/components/ui/format';
import { VirtualList } from '@/components/ui/VirtualList';
import type { AckError, ConnectionView } from '@/lib/events';
import { connectionVirtual, destinationId, hostPort, type ConnectionEntry, type SORT_KEYS } from '@/lib/ipvs';

type SortKey = (typeof SORT_KEYS)[number];

export interface ConnFilters {
  client: string;
  virtual: string;
  dest: string;
  state: string;
  protocol: string;
  templates: boolean;
}

/** Rows per conns:query page. */
export const PAGE = 200;
const ROW = 28;
const HEADER = 32;
const VIEW_HEIGHT = 560;
const REFRESH_MS = 2000;
const TEXT_DEBOUNCE_MS = 300;

const stateRank = (s: string) => {
  const i = STATES.indexOf(s);
  return i < 0 ? STATES.length : i;
};
const STATES = [
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'SYNACK',
  'NONE',
  'UDP',
  'ICMP',
  'ASSURED',
];

interface Page {
  rows: ConnectionEntry[];
  readAt: number;
}

interface Meta {
  total: number;
  matched: number;
  byState: Record<string, number>;
  byDest: Record<string, number>;
  readAt: number;
  readMs: number;
}

const COLUMNS: { key: SortKey | null; label: string; align?: 'right' }[] = [
  { key: 'protocol', label: 'Proto' },
  { key: 'client', label: 'Client' },
  { key: 'virtual', label: 'Virtual service' },
  { key: 'dest', label: 'Real server' },
  { key: 'state', label: 'State' },
  { key: 'expires', label: 'Expires', align: 'right' },
  { key: null, label: 'Persistence engine' },
];
const GRID =
  'grid grid-cols-[4.5rem_minmax(12rem,1.2fr)_minmax(12rem,1fr)_minmax(12rem,1fr)_9rem_6.5rem_minmax(8rem,0.8fr)] items-center';

const STATE_TONE: Record<string, string> = {
  ESTABLISHED: 'text-emerald-700 dark:text-emerald-400',
  SYN_RECV: 'text-amber-700 dark:text-amber-400',
  SYN_SENT: 'text-amber-700 dark:text-amber-400',
};

function Chip({
  label,
  count,
  active,
  onClick,
  testId,
}: {
  label: string;
  count: number;
  active: boolean;
  onClick: () => void;
  testId?: string;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-pressed={active}
      data-testid={testId}
      className={`inline-flex h-7 items-center gap-1.5 rounded-md px-2 font-mono text-xs ring-1 ring-inset transition-colors ${
        active
          ? 'bg-sky-600 text-white ring-sky-600 dark:bg-sky-500 dark:text-zinc-950'
          : 'bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50 dark:bg-zinc-900 dark:text-zinc-200 dark:ring-zinc-700 dark:hover:bg-zinc-800'
      }`}
    >
      {label}
      <span className={`tabular-nums ${active ? '' : 'text-zinc-500 dark:text-zinc-400'}`}>{formatCount(count)}</span>
    </button>
  );
}

export function ConnectionsView({ director, initial }: { director: string; initial: Partial<ConnFilters> }) {
  const directors = useDirectors();
  const summary = directors?.find((d) => d.id === director);
  const entry = useDirector(director);
  const health = useDirectorHealth(director, entry, summary);
  const now = useNow();
  const offset = entry?.offset ?? 0;

  const [filters, setFilters] = useState<ConnFilters>({
    client: '',
    virtual: '',
    dest: '',
    state: '',
    protocol: '',
    templates: false,
    ...initial,
  });
  // Text boxes apply after a pause in typing; selects and chips at once.
  const [text, setText] = useState({ client: filters.client, virtual: filters.virtual, dest: filters.dest });
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'expires', desc: true });
  const [pages, setPages] = useState<Map<number, Page>>(new Map());
  const [meta, setMeta] = useState<Meta | null>(null);
  const [error, setError] = useState<AckError | null>(null);
  /** Offsets of the first and the last page in view. */
  const [range, setRange] = useState<[number, number]>([0, 0]);
  // Hold the rows still to read them (the countdown goes on); a new filter or sort still fetches.
  const [paused, setPaused] = useState(false);
  const generation = useRef(0);
  const inFlight = useRef(new Set<number>());
  const textTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const queryKey = JSON.stringify([filters, sort]);

  // Read the connection table only while this page is open.
  useEffect(() => {
    const socket = getSocket();
    const watch = () => void request('conns:watch', [{ director, on: true }]);
    watch();
    socket.on('connect', watch);
    return () => {
      socket.off('connect', watch);
      void request('conns:watch', [{ director, on: false }]);
    };
  }, [director]);

  const fetchPages = useCallback(
    async (offsets: number[]) => {
      const gen = generation.current;
      const [f, s] = JSON.parse(queryKey) as [ConnFilters, { key: SortKey; desc: boolean }];
      const query = {
        ...(f.client.trim() ? { client: f.client.trim() } : {}),
        ...(f.virtual.trim() ? { virtual: f.virtual.trim() } : {}),
        ...(f.dest.trim() ? { dest: f.dest.trim() } : {}),
        ...(f.state ? { state: f.state } : {}),
        ...(f.protocol ? { protocol: f.protocol } : {}),
        ...(f.templates ? { template: true } : {}),
        sort: s.key,
        desc: s.desc,
        limit: PAGE,
      };
      await Promise.all(
        offsets
          .filter((o) => !inFlight.current.has(o))
          .map(async (o) => {
            inFlight.current.add(o);
            const reply = await request('conns:query', [{ director, query: { ...query, offset: o } }], 20_000);
            inFlight.current.delete(o);
            if (gen !== generation.current) return; // the filter changed meanwhile
            if (!reply.ok) return setError(reply.error);
            const v: ConnectionView = reply.data;
            setError(null);
            setPages((prev) => new Map(prev).set(o, { rows: v.rows, readAt: v.readAt }));
            setMeta((prev) =>
              prev && prev.readAt > v.readAt
                ? prev
                : {
                    total: v.total,
                    matched: v.matched,
                    byState: v.byState,
                    byDest: v.byDest,
                    readAt: v.readAt,
                    readMs: v.readMs,
                  },
            );
          }),
      );
    },
    [director, queryKey],
  );

  // A new filter or sort: forget the pages of the last one.
  useEffect(() => {
    generation.current++;
    inFlight.current.clear();
    setPages(new Map());
    setMeta(null);
  }, [queryKey]);

  const needed = useMemo(() => {
    const out: number[] = [];
    for (let o = Math.floor(range[0] / PAGE) * PAGE; o <= range[1]; o += PAGE) out.push(o);
    return out.length ? out : [0];
  }, [range]);

  // Pages coming into view are fetched at once; the ones in view are refreshed every 2 s.
  useEffect(() => {
    const missing = needed.filter((o) => !pages.has(o));
    if (missing.length) void fetchPages(missing);
  }, [needed, pages, fetchPages]);
  useEffect(() => {
    if (paused) return;
    const t = setInterval(() => void fetchPages(needed), REFRESH_MS);
    return () => clearInterval(t);
  }, [needed, fetchPages, paused]);

  // Kept to whole pages: scrolling inside the loaded pages re-renders the list only, not this whole view on every row.
  const onRange = useCallback((a: number, b: number) => {
    const [first, last] = [Math.floor(a / PAGE) * PAGE, Math.floor(b / PAGE) * PAGE];
    setRange((p) => (p[0] === first && p[1] === last ? p : [first, last]));
  }, []);

  const setText1 = (k: 'client' | 'virtual' | 'dest', v: string) => {
    const next = { ...text, [k]: v };
    setText(next);
    clearTimeout(textTimer.current);
    textTimer.current = setTimeout(() => setFilters((f) => ({ ...f, ...next })), TEXT_DEBOUNCE_MS);
  };
  const setNow = (patch: Partial<ConnFilters>) => {
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
  // Chips keep a stable order (by name, not by count) so they do not swap places on every refresh.
  const byState = Object.entries(meta?.byState ?? {}).sort(
    (a, b) => stateRank(a[0]) - stateRank(b[0]) || a[0].localeCompare(b[0]),
  );
  const byDest = Object.entries(meta?.byDest ?? {}).sort(
    (a, b) =>
      Number(a[0].startsWith('[')) - Number(b[0].startsWith('[')) || a[0].localeCompare(b[0], 'en', { numeric: true }),
  );

  const live = health.status === 'live';

  const renderRow = (i: number, style: CSSProperties) => {
    const page = pages.get(Math.floor(i / PAGE) * PAGE);
    const c = page?.rows[i % PAGE];
    if (!c || !page) {
      return (
        <div
          key={i}
          role="row"
          style={style}
          className={`${GRID} border-b border-zinc-100 px-3 dark:border-zinc-800/60`}
        >
          <div role="cell" className="col-span-7 h-2.5 w-1/2 rounded bg-zinc-100 dark:bg-zinc-800" />
        </div>
      );
    }
    const age = now === null ? 0 : Math.max(0, (now - (page.readAt + offset)) / 1000);
    const left = c.expires - age;
    return (
      <div
        key={i}
        role="row"
        aria-rowindex={i + 2}
        style={style}
        data-testid="conn-row"
        className={`${GRID} border-b border-zinc-100 px-3 font-mono text-[13px] hover:bg-zinc-50 dark:border-zinc-800/60 dark:hover:bg-zinc-800/40`}
      >
        <div role="cell" className="text-xs font-semibold text-zinc-600 uppercase dark:text-zinc-400">
          {c.protocol}
        </div>
        <div role="cell" className="truncate">
          {hostPort(c.clientAddress, c.clientPort)}
          {c.template && (
            <span className="ml-2 rounded bg-violet-100 px-1 font-sans text-[10px] font-semibold text-violet-800 uppercase dark:bg-violet-500/15 dark:text-violet-300">
              template
            </span>
          )}
        </div>
        <div role="cell" className="truncate">
          {connectionVirtual(c)}
        </div>
        <div role="cell" className="truncate" data-testid="conn-dest">
          {hostPort(c.destAddress, c.destPort)}
        </div>
        <div role="cell" className={`truncate text-xs ${STATE_TONE[c.state] ?? 'text-zinc-700 dark:text-zinc-300'}`}>
          {c.state}
        </div>
        <div role="cell" className={`text-right tabular-nums ${left <= 0 ? 'text-zinc-400 dark:text-zinc-500' : ''}`}>
          {formatDuration(left)}
        </div>
        <div role="cell" className="truncate pl-3 text-xs text-zinc-500 dark:text-zinc-400">
          {c.peName ? `${c.peName} ${c.peData ?? ''}` : ''}
        </div>
      </div>
    );
  };

  const header = (
    <div
      role="row"
      className={`${GRID} h-8 border-b border-zinc-200 bg-zinc-50 px-3 text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400`}
    >
      {COLUMNS.map((col) => {
        const on = col.key !== null && sort.key === col.key;
        return (
          <div
            key={col.label}
            role="columnheader"
            aria-sort={on ? (sort.desc ? 'descending' : 'ascending') : undefined}
            className={col.align === 'right' ? 'text-right' : ''}
          >
            {col.key ? (
              <button
                type="button"
                onClick={() =>
                  setSort((s) => ({
                    key: col.key as SortKey,
                    desc: s.key === col.key ? !s.desc : col.key === 'expires',
                  }))
                }
                className={`inline-flex items-center gap-1 hover:text-zinc-900 dark:hover:text-zinc-100 ${on ? 'text-zinc-900 dark:text-zinc-100' : ''}`}
              >
                {col.label}
                <span aria-hidden="true" className="w-2">
                  {on ? (sort.desc ? '↓' : '↑') : ''}
                </span>
              </button>
            ) : (
              <span className="pl-3">{col.label}</span>
            )}
          </div>
        );
      })}
    </div>
  );

  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href="/" className="hover:text-zinc-900 hover:underline dark:hover:text-zinc-100">
          Overview
        </Link>
        <span className="mx-1.5">/</span>
        <span>{director}</span>
        <span className="mx-1.5">/</span>
        <span className="text-zinc-700 dark:text-zinc-300">connections</span>
      </nav>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-xl font-semibold tracking-tight">Connections on {director}</h1>
        <DirectorStatusLine health={health} />
        <span className="ml-auto text-xs text-zinc-500 tabular-nums dark:text-zinc-400" data-testid="read-info">
          {meta ? (
            <>
              {formatCount(meta.matched)} of {formatCount(meta.total)} entries · read{' '}
              {now === null ? '' : formatAge(meta.readAt + offset, now)} · the read took {formatCount(meta.readMs)} ms ·{' '}
              {paused ? (
                <span className="font-medium text-amber-700 dark:text-amber-400">paused</span>
              ) : (
                `refreshed every ${REFRESH_MS / 1000} s`
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

      <div className="grid grid-cols-[repeat(3,minmax(0,1fr))_10rem_8rem_auto] items-end gap-2" role="search">
        <Field id="f-client" label="Client">
          <input
            id="f-client"
            className={controlClass()}
            placeholder="address or address:port"
            value={text.client}
            onChange={(e) => setText1('client', e.target.value)}
            spellCheck={false}
          />
        </Field>
        <Field id="f-virtual" label="Virtual service">
          <input
            id="f-virtual"
            list="vips"
            className={controlClass()}
            placeholder="VIP or VIP:port"
            value={text.virtual}
            onChange={(e) => setText1('virtual', e.target.value)}
            spellCheck={false}
          />
          <Suggestions id="vips" values={vips} />
        </Field>
        <Field id="f-dest" label="Real server">
          <input
            id="f-dest"
            list="reals"
            className={controlClass()}
            placeholder="address or address:port"
            value={text.dest}
            onChange={(e) => setText1('dest', e.target.value)}
            spellCheck={false}
          />
          <Suggestions id="reals" values={reals} />
        </Field>
        <Field id="f-state" label="State">
          <select
            id="f-state"
            className={controlClass()}
            value={filters.state}
            onChange={(e) => setNow({ state: e.target.value })}
          >
            <option value="">any state</option>
            {[...new Set([...STATES, ...Object.keys(meta?.byState ?? {})])].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field id="f-protocol" label="Protocol">
          <select
            id="f-protocol"
            className={controlClass()}
            value={filters.protocol}
            onChange={(e) => setNow({ protocol: e.target.value })}
          >
            <option value="">any</option>
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
            <option value="sctp">SCTP</option>
          </select>
        </Field>
        <div className="flex h-[34px] items-center gap-3">
          <label className="inline-flex items-center gap-2 text-sm whitespace-nowrap">
            <input
              type="checkbox"
              className="size-4 accent-sky-600"
              checked={filters.templates}
              onChange={(e) => setNow({ templates: e.target.checked })}
            />
            Templates only
          </label>
          <button
            type="button"
            className="text-sm text-sky-700 hover:underline disabled:text-zinc-400 disabled:no-underline dark:text-sky-400"
            disabled={
              !filters.client &&
              !filters.virtual &&
              !filters.dest &&
              !filters.state &&
              !filters.protocol &&
              !filters.templates
            }
            onClick={() => setNow({ client: '', virtual: '', dest: '', state: '', protocol: '', templates: false })}
          >
            Clear
          </button>
        </div>
      </div>

      <div className="space-y-1.5 text-xs">
        <div className="flex min-h-7 flex-wrap items-center gap-1.5" data-testid="by-state">
          <span className="w-24 shrink-0 text-zinc-500 dark:text-zinc-400">By state</span>
          {byState.length === 0 && <span className="text-zinc-400">—</span>}
          {byState.map(([s, n]) => (
            <Chip
              key={s}
              label={s}
              count={n}
              active={filters.state === s}
              onClick={() => setNow({ state: filters.state === s ? '' : s })}
              testId={`state-${s}`}
            />
          ))}
        </div>
        {/* At most two rows of real servers, scrolling beyond: the table below stays where it is. */}
        <div
          className="flex max-h-[3.875rem] min-h-7 flex-wrap items-center gap-1.5 overflow-y-auto"
          data-testid="by-dest"
        >
          <span className="w-24 shrink-0 text-zinc-500 dark:text-zinc-400">By real server</span>
          {byDest.length === 0 && <span className="text-zinc-400">—</span>}
          {byDest.map(([d, n]) => (
            <Chip
              key={d}
              label={d}
              count={n}
              active={filters.dest === d}
              onClick={() => setNow({ dest: filters.dest === d ? '' : d })}
              testId={`dest-${d}`}
            />
          ))}
        </div>
      </div>

      <div
        data-stale={!live}
        className={`overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/40 ${live ? '' : 'opacity-60 grayscale'}`}
      >
        {meta && count === 0 ? (
          <>
            {header}
            <p
              className="px-4 py-12 text-center text-sm text-zinc-500 dark:text-zinc-400"
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
    </div>
  );
}
