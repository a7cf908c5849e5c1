// Server-side view of a connection table: filter, sort, page, and counts per state and per real server, computed on
// the columns (a filter on an address is decided once per distinct address, not once per row). The sort order comes
// ready-made from connection-sort (built once per read), so a query is one walk over the rows in that order.
import { z } from 'zod';
import { selectPage } from './connection-select';
import { buffers } from './buffer-pool';
import {
  SORT_KEYS,
  builtOrder,
  destPairsOf,
  distinctIds,
  prepareSortKeys,
  releaseSortOrders,
  sortedOrder,
} from './connection-sort';
import { SLICE, drain, slices, type Steps } from './radix';
import type { ConnectionTable, DestPairs, PreparedKeys } from './connection-table';
import type { ConnectionEntry } from './model';
import { fwmarkAddresses, hostPort } from './model';

/** The agent re-reads the connection table while someone watches it: `restFactor` times the last read's duration
 * after it ended, and never sooner than `minIntervalMs` (the kernel's file is quadratic to read). */
export const CONN_READ = { minIntervalMs: 2000, restFactor: 4 } as const;

/** Milliseconds between the end of one read and the start of the next, after a read that took `readMs`. */
export function connReadInterval(readMs: number): number {
  return Math.max(CONN_READ.minIntervalMs, readMs * CONN_READ.restFactor);
}

export const ConnectionQuery = z
  .object({
    /** Substring matches on the address text, or `address:port` exact. */
    client: z.string().max(64).optional(),
    virtual: z.string().max(64).optional(),
    dest: z.string().max(64).optional(),
    state: z.string().max(32).optional(),
    protocol: z.string().max(8).optional(),
    template: z.boolean().optional(),
    sort: z.enum(SORT_KEYS).default('expires'),
    desc: z.boolean().default(false),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();
export type ConnectionQuery = z.input<typeof ConnectionQuery>;

export interface ConnectionPage {
  total: number;
  matched: number;
  offset: number;
  rows: ConnectionEntry[];
  byState: Record<string, number>;
  /** Matched entries per real server (`address:port`). */
  byDest: Record<string, number>;
}

type AddressTest = (addr: number, port: number) => boolean;

function addressFilter(table: ConnectionTable, text: string | undefined): AddressTest | null {
  if (!text) return null;
  const t = text.trim().toLowerCase();
  const dict = table.text;
  const mark = /^fwmark\s*(\d+)$/.exec(t);
  if (mark) {
    // fwmark templates carry the mark as their virtual address (see connectionFwmark)
    const n = Number(mark[1]);
    if (n > 0xffffffff) return () => false;
    const ids = fwmarkAddresses(n).map((a) => dict.find(a) ?? -1);
    return (a) => ids.includes(a);
  }
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(t);
  if (m && m[1] && (m[1].includes('.') || t.startsWith('['))) {
    const [id, p] = [dict.find(m[1]) ?? -1, Number(m[2])];
    return (a, port) => a === id && port === p;
  }
  const values = dict.values;
  const decided = new Uint8Array(values.length); // 0: not yet, 1: matches, 2: does not
  return (a) => {
    let v = decided[a];
    if (v === 0) {
      v = (values[a] ?? '').toLowerCase().includes(t) ? 1 : 2;
      decided[a] = v;
    }
    return v === 1;
  };
}

/** The id of the state or protocol named `name` (case-insensitive), -1 if none, -2 when not asked. */
function* columnId(table: ConnectionTable, column: 'state' | 'protocol', name: string | undefined): Steps<number> {
  if (!name) return -2;
  const want = name.toLowerCase();
  const ids = yield* distinctIds(table, column);
  return ids.find((id) => table.text.values[id]?.toLowerCase() === want) ?? -1;
}

interface RowTest {
  stateId: number;
  protoId: number;
  template: boolean | undefined;
  client: AddressTest | null;
  virtual: AddressTest | null;
  dest: AddressTest | null;
}

interface Tally {
  matched: number;
  perState: Uint32Array;
  perDest: Uint32Array;
}

/** Tests rows start..end in table order (sequential reads), marking matches and counting them. */
function scanRows(
  table: ConnectionTable,
  t: RowTest,
  ofRow: Uint32Array,
  hits: Uint8Array | null,
  tally: Tally,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const st = table.state[i] as number;
    if (hits) {
      if (t.stateId !== -2 && st !== t.stateId) continue;
      if (t.protoId !== -2 && table.protocol[i] !== t.protoId) continue;
      if (t.template !== undefined && (table.clientPort[i] === 0) !== t.template) continue;
      if (t.client && !t.client(table.client[i] as number, table.clientPort[i] as number)) continue;
      if (t.virtual && !t.virtual(table.virtual[i] as number, table.virtualPort[i] as number)) continue;
      if (t.dest && !t.dest(table.dest[i] as number, table.destPort[i] as number)) continue;
      hits[i] = 1;
    }
    tally.matched++;
    tally.perState[st] = (tally.perState[st] as number) + 1;
    const d = ofRow[i] as number;
    tally.perDest[d] = (tally.perDest[d] as number) + 1;
  }
}

/** Walks sorted positions start..end, collecting the matching rows that fall on the page; returns matches seen. */
function pickRows(
  order: Uint32Array,
  desc: boolean,
  hits: Uint8Array,
  seen: number,
  page: number[],
  from: number,
  to: number,
  start: number,
  end: number,
): number {
  const n = order.length;
  for (let k = start; k < end && seen < to; k++) {
    const i = order[desc ? n - 1 - k : k] as number;
    if (hits[i] !== 1) continue;
    if (seen >= from) page.push(i);
    seen++;
  }
  return seen;
}

interface Matches {
  /** 1 for each matching row; null when nothing is filtered (every row matches). */
  hits: Uint8Array | null;
  tally: Tally;
  pairs: DestPairs;
}

function* countRows(table: ConnectionTable, test: RowTest, pairs: DestPairs, hits: Uint8Array | null): Steps<Tally> {
  const tally: Tally = { matched: 0, perState: new Uint32Array(65536), perDest: new Uint32Array(pairs.dest.length) };
  yield* slices(table.length, (start, end) => scanRows(table, test, pairs.ofRow, hits, tally, start, end));
  return tally;
}

const NO_FILTER: RowTest = { stateId: -2, protoId: -2, template: undefined, client: null, virtual: null, dest: null };

/** The reader worker's work right after the parse: the read's sort keys (connection-sort.ts) and the whole table's
 * counts, which a query without a filter answers with; the agent's thread then does none of it. */
export function prepareRead(table: ConnectionTable): PreparedKeys {
  const keys = prepareSortKeys(table);
  const { perState, perDest } = drain(countRows(table, NO_FILTER, keys.pairs, null));
  keys.counts = { perState, perDest };
  return keys;
}

/** The last few filters' matches per table: paging or re-sorting one filter does not filter again. */
const recentMatches = new WeakMap<ConnectionTable, { length: number; byFilter: Map<string, Matches> }>();
const KEPT_FILTERS = 4;

function* matchesOf(table: ConnectionTable, q: z.output<typeof ConnectionQuery>, test: RowTest): Steps<Matches> {
  const key = JSON.stringify([q.client, q.virtual, q.dest, q.state, q.protocol, q.template]);
  let recent = recentMatches.get(table);
  if (!recent || recent.length !== table.length) {
    recent = { length: table.length, byFilter: new Map() };
    recentMatches.set(table, recent);
  }
  const kept = recent.byFilter.get(key);
  if (kept) {
    recent.byFilter.delete(key);
    recent.byFilter.set(key, kept);
    return kept;
  }
  const pairs = yield* destPairsOf(table);
  const filtered =
    test.stateId !== -2 ||
    test.protoId !== -2 ||
    test.template !== undefined ||
    !!(test.client || test.virtual || test.dest);
  const counts = table.prepared?.pairs === pairs ? table.prepared.counts : undefined;
  let hits: Uint8Array | null = null;
  let tally: Tally;
  // nothing filtered: the counts of the whole table, from the reader worker when it prepared the read
  if (!filtered && counts) tally = { matched: table.length, ...counts };
  else {
    hits = filtered ? buffers.u8(table.length, true) : null;
    tally = yield* countRows(table, test, pairs, hits);
  }
  const found = { hits, tally, pairs };
  recent.byFilter.set(key, found);
  if (recent.byFilter.size > KEPT_FILTERS) recent.byFilter.delete(recent.byFilter.keys().next().value as string);
  return found;
}

/** Gives the buffers of a read's queries (sort orders, filters' marks) back for the next read's: for the owner of the
 * read, once a newer read replaced it and no query runs on it. */
export function releaseQueryBuffers(table: ConnectionTable): void {
  for (const m of recentMatches.get(table)?.byFilter.values() ?? []) buffers.give(m.hits);
  recentMatches.delete(table);
  releaseSortOrders(table);
}

/**
 * The query, in slices (see radix.ts): one pass in table order filters and counts (kept for the next pages of the same
 * filter), then the page comes from the read's sorted order when it is built (directly when nothing is filtered, else
 * by walking it until the page is full), else by selection (connection-select): the first query sorted by a key after
 * a read does not wait for the whole order, which `nextPagesSteps` builds afterwards.
 */
export function* connectionQuerySteps(table: ConnectionTable, input: ConnectionQuery): Steps<ConnectionPage> {
  const q = ConnectionQuery.parse(input);
  const values = table.text.values;
  const test: RowTest = {
    stateId: yield* columnId(table, 'state', q.state),
    protoId: yield* columnId(table, 'protocol', q.protocol),
    template: q.template,
    client: addressFilter(table, q.client),
    virtual: addressFilter(table, q.virtual),
    dest: addressFilter(table, q.dest),
  };
  const n = table.length;
  const { hits, tally, pairs } = yield* matchesOf(table, q, test);
  const order = builtOrder(table, q.sort);
  let page: number[] = [];
  const end = Math.min(q.offset + q.limit, tally.matched);
  if (!order) page = yield* selectPage(table, q.sort, hits, tally.matched, q.offset, q.limit, q.desc);
  else if (!hits) for (let k = q.offset; k < end; k++) page.push(order[q.desc ? n - 1 - k : k] as number);
  else {
    let seen = 0;
    for (let s = 0; s < n && seen < end; s += SLICE) {
      seen = pickRows(order, q.desc, hits, seen, page, q.offset, end, s, Math.min(n, s + SLICE));
      yield;
    }
  }
  const byState: Record<string, number> = {};
  // the counts name the states that occur: no pass over the rows to find them
  tally.perState.forEach((c, id) => {
    if (c) byState[values[id] ?? '?'] = c;
  });
  const byDest: Record<string, number> = {};
  tally.perDest.forEach((c, d) => {
    if (c) byDest[hostPort(values[pairs.dest[d] as number] ?? '', pairs.port[d] as number)] = c;
  });
  return { total: n, matched: tally.matched, offset: q.offset, rows: page.map((i) => table.row(i)), byState, byDest };
}

/** What the next pages of the query read: the sort order of its key, built once per read. */
export function* nextPagesSteps(table: ConnectionTable, input: ConnectionQuery): Steps<void> {
  yield* sortedOrder(table, ConnectionQuery.parse(input).sort);
}

/** The query straight through (tests, the CLI); the agent runs `connectionQuerySteps` in slices. */
export function queryConnections(table: ConnectionTable, input: ConnectionQuery): ConnectionPage {
  return drain(connectionQuerySteps(table, input));
}
