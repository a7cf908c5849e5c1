'use client';
// The connection table as pages of rows from the agent's latest read: pages come in as they scroll into view, the
// ones in view are asked again once the agent has had time for a new read (its cadence follows the read time).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { request } from '@/components/realtime/request';
import { getSocket } from '@/components/realtime/socket';
import type { ConnectionView } from '@/lib/events';
import type { AckError } from '@/lib/errors';
import { connReadInterval, type ConnectionEntry, type SORT_KEYS } from '@/lib/ipvs';

export type SortKey = (typeof SORT_KEYS)[number];
export interface Sort {
  key: SortKey;
  desc: boolean;
}

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
/** How often the pages in view check for a newer read. */
const CHECK_MS = 2000;

export interface Page {
  rows: ConnectionEntry[];
  readAt: number;
}

export interface Meta {
  total: number;
  matched: number;
  byState: Record<string, number>;
  byDest: Record<string, number>;
  /** When the agent's read ended, in the agent's clock. */
  readAt: number;
  readMs: number;
}

/** `offset`: the browser's clock minus the agent's; `paused` holds the rows still (a new filter or sort still asks). */
export function useConnectionPages(
  director: string,
  filters: ConnFilters,
  sort: Sort,
  paused: boolean,
  offset: number,
) {
  const [pages, setPages] = useState<Map<number, Page>>(new Map());
  const [meta, setMeta] = useState<Meta | null>(null);
  const [error, setError] = useState<AckError | null>(null);
  /** Offsets of the first and the last page in view. */
  const [range, setRange] = useState<[number, number]>([0, 0]);
  const generation = useRef(0);
  const inFlight = useRef(new Set<number>());
  const latest = useRef<Meta | null>(null);
  latest.current = meta;
  const clockOffset = useRef(offset);
  clockOffset.current = offset;

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
      const [f, s] = JSON.parse(queryKey) as [ConnFilters, Sort];
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

  // Pages coming into view are fetched at once; the ones in view again once a newer read can be there.
  useEffect(() => {
    const missing = needed.filter((o) => !pages.has(o));
    if (missing.length) void fetchPages(missing);
  }, [needed, pages, fetchPages]);
  useEffect(() => {
    if (paused) return;
    const t = setInterval(() => {
      const m = latest.current;
      const next = m ? m.readAt + clockOffset.current + connReadInterval(m.readMs) : 0;
      if (Date.now() >= next) void fetchPages(needed);
    }, CHECK_MS);
    return () => clearInterval(t);
  }, [needed, fetchPages, paused]);

  // Kept to whole pages: scrolling inside the loaded pages re-renders the list only, not this whole view on every row.
  const onRange = useCallback((a: number, b: number) => {
    const [first, last] = [Math.floor(a / PAGE) * PAGE, Math.floor(b / PAGE) * PAGE];
    setRange((p) => (p[0] === first && p[1] === last ? p : [first, last]));
  }, []);

  return { pages, meta, error, onRange, queryKey };
}
