// Server-side view of a connection table: filter, sort, page, and counts per state and per real server, computed on
// the columns (a filter on an address is decided once per distinct address, not once per row). The sort order comes
// ready-made from connection-sort (built once per read), so a query is one walk over the rows in that order.
import { z } from 'zod';
import { SORT_KEYS, SLICE, destPairsOf, distinctIds, drain, sortedOrder, type Steps } from './connection-sort';
import type { ConnectionTable } from './connection-table';
import type { ConnectionEntry } from './model';
import { fwmarkAddresses, hostPort } from './model';

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

/** The query, in slices (see connection-sort): filter, count and page in one walk over the rows in sorted order. */
export function* connectionQuerySteps(table: ConnectionTable, input: ConnectionQuery): Steps<ConnectionPage> {
  const q = ConnectionQuery.parse(input);
  const values = table.text.values;
  const client = addressFilter(table, q.client);
  const virtual = addressFilter(table, q.virtual);
  const dest = addressFilter(table, q.dest);
  const stateId = yield* columnId(table, 'state', q.state);
  const protoId = yield* columnId(table, 'protocol', q.protocol);
  const order = yield* sortedOrder(table, q.sort);
  const pairs = yield* destPairsOf(table);
  const perState = new Uint32Array(65536);
  const perDest = new Uint32Array(pairs.dest.length);
  const page: number[] = [];
  const end = q.offset + q.limit;
  const n = table.length;
  let matched = 0;
  for (let s = 0; s < n; s += SLICE) {
    for (let k = s, e = Math.min(n, s + SLICE); k < e; k++) {
      const i = order[q.desc ? n - 1 - k : k] as number;
      const st = table.state[i] as number;
      if (stateId !== -2 && st !== stateId) continue;
      if (protoId !== -2 && table.protocol[i] !== protoId) continue;
      if (q.template !== undefined && (table.clientPort[i] === 0) !== q.template) continue;
      if (client && !client(table.client[i] as number, table.clientPort[i] as number)) continue;
      if (virtual && !virtual(table.virtual[i] as number, table.virtualPort[i] as number)) continue;
      if (dest && !dest(table.dest[i] as number, table.destPort[i] as number)) continue;
      if (matched >= q.offset && matched < end) page.push(i);
      matched++;
      perState[st] = (perState[st] as number) + 1;
      const d = pairs.ofRow[i] as number;
      perDest[d] = (perDest[d] as number) + 1;
    }
    yield;
  }
  const byState: Record<string, number> = {};
  for (const id of yield* distinctIds(table, 'state')) if (perState[id]) byState[values[id] ?? '?'] = perState[id];
  const byDest: Record<string, number> = {};
  perDest.forEach((c, d) => {
    if (c) byDest[hostPort(values[pairs.dest[d] as number] ?? '', pairs.port[d] as number)] = c;
  });
  return { total: n, matched, offset: q.offset, rows: page.map((i) => table.row(i)), byState, byDest };
}

/** The query straight through (tests, the CLI); the agent runs `connectionQuerySteps` in slices. */
export function queryConnections(table: ConnectionTable, input: ConnectionQuery): ConnectionPage {
  return drain(connectionQuerySteps(table, input));
}
