// Sort orders of a connection table, built once per read and kept with the table: addresses compare as bytes (IPv4
// before IPv6), ports and expiries as integers, states and protocols by their text. Each order is a stable LSD radix
// sort (radix.ts) over the texts' ranks (text-ranks.ts) and the numeric columns, so a query sorted any way is a walk
// over a ready-made array.
import type { ConnectionTable } from './connection-table';
import { digitsOf, radixOrder, slices, type Digit, type Digits, type Steps } from './radix';
import { dictionaryRanks } from './text-ranks';

export const SORT_KEYS = ['expires', 'client', 'virtual', 'dest', 'state', 'protocol'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
/** The rank of every text of the table's dictionary: from the reader worker when it ranked them right after the
 * parse (off the agent's thread), else ranked here on first use per table. */
export function* textRanksOf(table: ConnectionTable): Steps<Uint32Array> {
  const values = table.text.values;
  if (table.textRank?.length === values.length) return table.textRank;
  const ix = indexOf(table);
  if (ix.textRank?.length !== values.length) ix.textRank = yield* dictionaryRanks(values);
  return ix.textRank;
}
export type TextColumn = Exclude<SortKey, 'expires'>;

/** Dense ranks of the texts a column holds (a real-server column holds a few addresses of a dictionary that may hold
 * a million client addresses: fewer radix passes); indexed by text id, built on first use per table. */
export function* columnRanksOf(
  table: ConnectionTable,
  key: TextColumn,
): Steps<{ ofText: Uint32Array; distinct: number }> {
  const ix = indexOf(table);
  const cached = ix.columnRanks.get(key);
  if (cached) return cached;
  const global = yield* textRanksOf(table);
  const column = sortColumns(table, key)[0];
  const seen = new Uint8Array(global.length);
  yield* slices(table.length, (start, end) => {
    for (let i = start; i < end; i++) seen[column[i] as number] = 1;
  });
  const used = new Uint32Array(global.length);
  yield* slices(seen.length, (start, end) => {
    for (let id = start; id < end; id++) if (seen[id]) used[global[id] as number] = 1;
  });
  let distinct = 0;
  yield* slices(used.length, (start, end) => {
    for (let r = start; r < end; r++) if (used[r]) used[r] = distinct++;
  });
  const ofText = new Uint32Array(global.length);
  yield* slices(seen.length, (start, end) => {
    for (let id = start; id < end; id++) if (seen[id]) ofText[id] = used[global[id] as number] as number;
  });
  const ranks = { ofText, distinct };
  ix.columnRanks.set(key, ranks);
  return ranks;
}

/** Each row's dense rank in its column. */
function* rankColumn(table: ConnectionTable, key: TextColumn): Steps<{ rank: Uint32Array; distinct: number }> {
  const { ofText, distinct } = yield* columnRanksOf(table, key);
  const column = sortColumns(table, key)[0];
  const out = new Uint32Array(table.length);
  yield* slices(table.length, (start, end) => {
    for (let i = start; i < end; i++) out[i] = ofText[column[i] as number] as number;
  });
  return { rank: out, distinct };
}

function maxOf(keys: Digits): number {
  let max = 0;
  for (let i = 0; i < keys.length; i++) if ((keys[i] as number) > max) max = keys[i] as number;
  return max;
}

/** Rows per distinct real server (`dest` id and port): a pair id per row and each pair's address id and port. */
export interface DestPairs {
  ofRow: Uint32Array;
  dest: number[];
  port: number[];
}

function* destPairs(table: ConnectionTable): Steps<DestPairs> {
  // most real servers have one port: the pair of (address id, its first port) is a typed-array lookup, other ports
  // go through a map
  const firstPort = new Int32Array(table.text.values.length).fill(-1);
  const firstPair = new Uint32Array(table.text.values.length);
  const others = new Map<number, number>();
  const pairs: DestPairs = { ofRow: new Uint32Array(table.length), dest: [], port: [] };
  const add = (d: number, p: number): number => {
    pairs.dest.push(d);
    pairs.port.push(p);
    return pairs.dest.length - 1;
  };
  yield* slices(table.length, (start, end) => {
    for (let i = start; i < end; i++) {
      const [d, p] = [table.dest[i] as number, table.destPort[i] as number];
      let id: number;
      if (firstPort[d] === p) id = firstPair[d] as number;
      else if (firstPort[d] === -1) {
        firstPort[d] = p;
        id = firstPair[d] = add(d, p);
      } else {
        const key = d * 65536 + p;
        id = others.get(key) ?? add(d, p);
        others.set(key, id);
      }
      pairs.ofRow[i] = id;
    }
  });
  return pairs;
}

interface TableIndex {
  /** Rows of the table when this was built: a table only grows, so another length means another table. */
  length: number;
  orders: Map<SortKey, Uint32Array>;
  pairs?: DestPairs;
  textRank?: Uint32Array;
  columnRanks: Map<TextColumn, { ofText: Uint32Array; distinct: number }>;
  distinct: Map<'state' | 'protocol', number[]>;
}

const indexes = new WeakMap<ConnectionTable, TableIndex>();

function indexOf(table: ConnectionTable): TableIndex {
  let ix = indexes.get(table);
  if (!ix || ix.length !== table.length) {
    ix = { length: table.length, orders: new Map(), columnRanks: new Map(), distinct: new Map() };
    indexes.set(table, ix);
  }
  return ix;
}

export function sortColumns(table: ConnectionTable, key: TextColumn): [Digits, Uint16Array | null] {
  if (key === 'client') return [table.client, table.clientPort];
  if (key === 'virtual') return [table.virtual, table.virtualPort];
  if (key === 'dest') return [table.dest, table.destPort];
  return [table[key], null];
}

/** The order of `key` if it was built for this table. */
export function builtOrder(table: ConnectionTable, key: SortKey): Uint32Array | undefined {
  return indexOf(table).orders.get(key);
}

/** The rows in ascending order of `key` (ties in row order), built on first use per table. */
export function* sortedOrder(table: ConnectionTable, key: SortKey): Steps<Uint32Array> {
  const ix = indexOf(table);
  const cached = ix.orders.get(key);
  if (cached) return cached;
  let digits: Digit[];
  if (key === 'expires') digits = digitsOf(table.expires, maxOf(table.expires.subarray(0, table.length)));
  else {
    const ports = sortColumns(table, key)[1];
    const { rank, distinct } = yield* rankColumn(table, key);
    digits = [...(ports ? digitsOf(ports, 0xffff) : []), ...digitsOf(rank, distinct - 1)];
  }
  const order = yield* radixOrder(table.length, digits);
  ix.orders.set(key, order);
  return order;
}

/** Each row's real server as a pair id, built on first use per table. */
export function* destPairsOf(table: ConnectionTable): Steps<DestPairs> {
  const ix = indexOf(table);
  ix.pairs ??= yield* destPairs(table);
  return ix.pairs;
}

/** The distinct ids of the state or protocol column (a handful), found on first use per table. */
export function* distinctIds(table: ConnectionTable, column: 'state' | 'protocol'): Steps<number[]> {
  const ix = indexOf(table);
  const cached = ix.distinct.get(column);
  if (cached) return cached;
  const values = table[column];
  const seen = new Uint8Array(65536);
  yield* slices(table.length, (start, end) => {
    for (let i = start; i < end; i++) seen[values[i] as number] = 1;
  });
  const ids: number[] = [];
  seen.forEach((v, id) => v && ids.push(id));
  ix.distinct.set(column, ids);
  return ids;
}
