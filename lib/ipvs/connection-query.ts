// Server-side view of a connection table: filter, sort, page, and counts per state and per real server, computed on
// the columns (a filter on an address is decided once per distinct address, not once per row).
import { z } from 'zod';
import type { ConnectionTable } from './connection-table';
import type { ConnectionEntry } from './model';
import { fwmarkAddresses, hostPort } from './model';

/** The agent re-reads the connection table while someone watches it: `restFactor` times the last read's duration
 * after it ended, and never sooner than `minIntervalMs` (the kernel's file is quadratic to read). */
export const CONN_READ = { minIntervalMs: 2000, restFactor: 4 } as const;

/** Milliseconds between the end of one read and the start of the next, after a read that took `readMs`. */
export function connReadInterval(readMs: number): number {
  return Math.max(CONN_READ.minIntervalMs, readMs * CONN_READ.restFactor);
}

export const SORT_KEYS = ['expires', 'client', 'virtual', 'dest', 'state', 'protocol'] as const;

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

function addressFilter(
  table: ConnectionTable,
  text: string | undefined,
): ((addr: number, port: number) => boolean) | null {
  if (!text) return null;
  const t = text.trim().toLowerCase();
  const values = table.text.values;
  const mark = /^fwmark\s*(\d+)$/.exec(t);
  if (mark) {
    // fwmark templates carry the mark as their virtual address (see connectionFwmark)
    const n = Number(mark[1]);
    if (n > 0xffffffff) return () => false;
    const addrs = fwmarkAddresses(n);
    return (a) => addrs.includes(values[a] ?? '');
  }
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(t);
  if (m && m[1] && (m[1].includes('.') || t.startsWith('['))) {
    const [addr, p] = [m[1], Number(m[2])];
    return (a, port) => values[a] === addr && port === p;
  }
  const cache = new Map<number, boolean>();
  return (a) => {
    let hit = cache.get(a);
    if (hit === undefined) {
      hit = (values[a] ?? '').toLowerCase().includes(t);
      cache.set(a, hit);
    }
    return hit;
  };
}

export function queryConnections(table: ConnectionTable, input: ConnectionQuery): ConnectionPage {
  const q = ConnectionQuery.parse(input);
  const values = table.text.values;
  const client = addressFilter(table, q.client);
  const virtual = addressFilter(table, q.virtual);
  const dest = addressFilter(table, q.dest);
  const stateId = q.state ? values.findIndex((v) => v.toLowerCase() === q.state?.toLowerCase()) : -2;
  const protoId = q.protocol ? values.findIndex((v) => v === q.protocol?.toLowerCase()) : -2;
  const matched: number[] = [];
  const byState = new Map<number, number>();
  const byDest = new Map<string, number>();
  for (let i = 0; i < table.length; i++) {
    if (stateId !== -2 && table.state[i] !== stateId) continue;
    if (protoId !== -2 && table.protocol[i] !== protoId) continue;
    if (q.template !== undefined && (table.clientPort[i] === 0) !== q.template) continue;
    if (client && !client(table.client[i] as number, table.clientPort[i] as number)) continue;
    if (virtual && !virtual(table.virtual[i] as number, table.virtualPort[i] as number)) continue;
    if (dest && !dest(table.dest[i] as number, table.destPort[i] as number)) continue;
    matched.push(i);
    const s = table.state[i] as number;
    byState.set(s, (byState.get(s) ?? 0) + 1);
    const d = hostPort(values[table.dest[i] as number] ?? '', table.destPort[i] as number);
    byDest.set(d, (byDest.get(d) ?? 0) + 1);
  }
  const idx = Uint32Array.from(matched);
  const text = (col: Uint32Array | Uint16Array, ports?: Uint16Array) => (a: number, b: number) => {
    const c = (values[col[a] as number] ?? '').localeCompare(values[col[b] as number] ?? '', 'en', { numeric: true });
    return c !== 0 || !ports ? c : (ports[a] as number) - (ports[b] as number);
  };
  const cmp: Record<(typeof SORT_KEYS)[number], (a: number, b: number) => number> = {
    expires: (a, b) => (table.expires[a] as number) - (table.expires[b] as number),
    client: text(table.client, table.clientPort),
    virtual: text(table.virtual, table.virtualPort),
    dest: text(table.dest, table.destPort),
    state: text(table.state),
    protocol: text(table.protocol),
  };
  const by = cmp[q.sort];
  idx.sort(q.desc ? (a, b) => by(b, a) || a - b : (a, b) => by(a, b) || a - b);
  const rows: ConnectionEntry[] = [];
  for (let k = q.offset; k < Math.min(idx.length, q.offset + q.limit); k++) rows.push(table.row(idx[k] as number));
  return {
    total: table.length,
    matched: idx.length,
    offset: q.offset,
    rows,
    byState: Object.fromEntries([...byState].map(([s, n]) => [values[s] ?? '?', n])),
    byDest: Object.fromEntries(byDest),
  };
}
