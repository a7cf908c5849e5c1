// Sort orders of a connection table, built once per read and kept with the table: addresses compare as bytes (IPv4
// before IPv6), ports and expiries as integers, states and protocols by their text. Each order is a stable LSD radix
// sort (radix.ts) over the texts' ranks (text-ranks.ts) and the numeric columns, so a query sorted any way is a walk
// over a ready-made array.
import { buffers } from './buffer-pool';
import type { ConnectionTable, DestPairs, PreparedKeys, RankedColumn } from './connection-table';
import { digitsOf, drain, radixOrder, slices, type Digit, type Steps } from './radix';
import { dictionaryRanks } from './text-ranks';

export const SORT_KEYS = ['expires', 'client', 'virtual', 'dest', 'state', 'protocol'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
/** The rank of every text of the table's dictionary, ranked on first use per table. */
export function* textRanksOf(table: ConnectionTable): Steps<Uint32Array> {
  const values = table.text.values;
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

/** Each row's dense rank in its column (a 16-bit column when it holds at most 65,536 distinct texts): from the reader
 * worker when it prepared the read (off the agent's thread), else worked out here on first use per table. */
export function* rowRanksOf(table: ConnectionTable, key: TextColumn): Steps<RankedColumn> {
  const ix = indexOf(table);
  const cached = ix.rowRanks.get(key);
  if (cached) return cached;
  const { ofText, distinct } = yield* columnRanksOf(table, key);
  const column = sortColumns(table, key)[0];
  const rank = distinct <= 0x10000 ? new Uint16Array(table.length) : new Uint32Array(table.length);
  yield* slices(table.length, (start, end) => {
    for (let i = start; i < end; i++) rank[i] = ofText[column[i] as number] as number;
  });
  const ranked = { rank, distinct };
  ix.rowRanks.set(key, ranked);
  return ranked;
}

function maxOf(keys: Uint32Array): number {
  let max = 0;
  for (let i = 0; i < keys.length; i++) if ((keys[i] as number) > max) max = keys[i] as number;
  return max;
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
  /** Sort orders, from the buffer pool: given back with the read (releaseSortOrders). */
  orders: Map<SortKey, Uint32Array>;
  pairs?: DestPairs;
  textRank?: Uint32Array;
  columnRanks: Map<TextColumn, { ofText: Uint32Array; distinct: number }>;
  rowRanks: Map<TextColumn, RankedColumn>;
  distinct: Map<'state' | 'protocol', number[]>;
}

const indexes = new WeakMap<ConnectionTable, TableIndex>();

function indexOf(table: ConnectionTable): TableIndex {
  let ix = indexes.get(table);
  if (!ix || ix.length !== table.length) {
    const prepared = table.prepared?.pairs.ofRow.length === table.length ? table.prepared : null;
    ix = {
      length: table.length,
      orders: new Map(),
      columnRanks: new Map(),
      rowRanks: new Map(prepared ? Object.entries(prepared.ranks) : []) as Map<TextColumn, RankedColumn>,
      distinct: new Map(),
      ...(prepared ? { pairs: prepared.pairs } : {}),
    };
    indexes.set(table, ix);
  }
  return ix;
}

/** Works out the read's sort keys (each row's real server and its rank in every text column) and keeps them with the
 * table: the reader worker does this right after the parse, so the agent's first sorted query does not. */
export function prepareSortKeys(table: ConnectionTable): PreparedKeys {
  const pairs = drain(destPairsOf(table));
  const rank = (key: TextColumn) => drain(rowRanksOf(table, key));
  const ranks = {
    client: rank('client'),
    virtual: rank('virtual'),
    dest: rank('dest'),
    state: rank('state'),
    protocol: rank('protocol'),
  };
  table.prepared = { pairs, ranks };
  return table.prepared;
}

/** Gives the table's sort orders back to the buffer pool and forgets them: called when a newer read replaced the
 * table and no query runs on it. A later query on it builds what it needs again. */
export function releaseSortOrders(table: ConnectionTable): void {
  const ix = indexes.get(table);
  if (!ix) return;
  indexes.delete(table);
  buffers.give(...ix.orders.values());
}

export function sortColumns(table: ConnectionTable, key: TextColumn): [Uint16Array | Uint32Array, Uint16Array | null] {
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
    const { rank, distinct } = yield* rowRanksOf(table, key);
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
