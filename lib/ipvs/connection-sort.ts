// Sort orders of a connection table, built once per read and kept with the table: addresses compare as bytes (IPv4
// before IPv6), ports and expiries as integers, states and protocols by their text. Each order is a stable LSD radix
// sort over 16-bit digits (a few linear passes, no comparator call per pair), so a query sorted any way is a walk
// over a ready-made array. Every builder is a generator that yields between slices of SLICE elements: the agent runs
// it in slices between its ticks, a test or the CLI runs it straight through (`drain`).
import type { ConnectionTable } from './connection-table';
import { parseIPv6 } from './ip';

export const SORT_KEYS = ['expires', 'client', 'virtual', 'dest', 'state', 'protocol'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Elements handled between two yields of a builder: a few milliseconds of work. */
export const SLICE = 1 << 16;

/** Work that yields between slices and returns T. */
export type Steps<T> = Generator<void, T, void>;

/** Runs steps straight through. */
export function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Calls `run(start, end)` over 0..n in slices, yielding after each. The loops live in plain functions, not in the
 * generators: V8 does not optimize a long loop inside a generator (no on-stack replacement there).
 */
export function* slices(n: number, run: (start: number, end: number) => void, size = SLICE): Steps<void> {
  for (let s = 0; s < n; s += size) {
    run(s, Math.min(n, s + size));
    yield;
  }
}

type Digits = Uint16Array | Uint32Array;
/** One pass of a radix sort: the digit is `(keys[i] >>> shift)` masked to `bits` bits. */
type Digit = readonly [keys: Digits, shift: number, bits: number];

/** Bits of one radix pass: 2,048 buckets keep the counts and the write heads in the CPU's caches (a 20-bit pass,
 * a million buckets, cost 8x as much per element on the bench's 1,000,000 rows). */
const PASS_BITS = 11;

/** The passes that sort by keys of at most `max`, least significant first, each of at most PASS_BITS bits. */
export function digitsOf(keys: Digits, max: number): Digit[] {
  const bits = max > 0 ? 32 - Math.clz32(max) : 1;
  const passes = Math.ceil(bits / PASS_BITS);
  const per = Math.ceil(bits / passes);
  return Array.from({ length: passes }, (_, k): Digit => [keys, k * per, Math.min(per, bits - k * per)]);
}

/**
 * 0..n-1 stably sorted by digits, least significant first. The key arrays travel with the order (each pass moves the
 * row numbers and the keys together), so every pass reads sequentially: looking keys up by row number in a permuted
 * order missed the cache on each element and cost several times the whole sort.
 */
export function* radixOrder(n: number, digits: readonly Digit[]): Steps<Uint32Array> {
  let order = new Uint32Array(n);
  yield* slices(n, (start, end) => {
    for (let i = start; i < end; i++) order[i] = i;
  });
  if (n < SMALL) return order.sort((a, b) => compareDigits(digits, a, b) || a - b);
  const sources = [...new Set(digits.map(([keys]) => keys))];
  let moving = sources.map((keys) => Uint32Array.from(keys.subarray(0, n)));
  let spare = new Uint32Array(n);
  let spareKeys = sources.map(() => new Uint32Array(n));
  for (const [pass, [source, shift, bits]] of digits.entries()) {
    const keys = moving[sources.indexOf(source)] as Uint32Array;
    const later = new Set(digits.slice(pass + 1).map(([k]) => k));
    const mask = 2 ** bits - 1;
    const count = new Uint32Array(mask + 2);
    yield* slices(n, (start, end) => histogram(keys, shift, mask, count, start, end));
    // one digit value for every element: this pass would not move anything
    if (count[(((keys[0] as number) >>> shift) & mask) + 1] === n) continue;
    prefixSums(count);
    const heads = count.slice();
    yield* slices(n, (start, end) => scatter(keys, shift, mask, heads, order, spare, start, end));
    for (const [k, from] of moving.entries()) {
      if (!later.has(sources[k] as Digits)) continue; // no later pass reads these keys: leave them behind
      const place = count.slice();
      const to = spareKeys[k] as Uint32Array;
      yield* slices(n, (start, end) => scatter(keys, shift, mask, place, from, to, start, end));
    }
    [order, spare] = [spare, order];
    [moving, spareKeys] = [spareKeys, moving];
  }
  return order;
}

function histogram(
  keys: Uint32Array,
  shift: number,
  mask: number,
  count: Uint32Array,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const d = (((keys[i] as number) >>> shift) & mask) + 1;
    count[d] = (count[d] as number) + 1;
  }
}

function prefixSums(count: Uint32Array): void {
  for (let d = 1; d < count.length; d++) count[d] = (count[d] as number) + (count[d - 1] as number);
}

/** Moves from[start..end) to its place in `to` by the digit of keys[start..end) (keys in the same order as from);
 * `heads` holds each digit's next free place. */
function scatter(
  keys: Uint32Array,
  shift: number,
  mask: number,
  heads: Uint32Array,
  from: Uint32Array,
  to: Uint32Array,
  start: number,
  end: number,
): void {
  for (let k = start; k < end; k++) {
    const d = ((keys[k] as number) >>> shift) & mask;
    const at = heads[d] as number;
    heads[d] = at + 1;
    to[at] = from[k] as number;
  }
}

/** Below this many elements a comparison sort is cheaper than counting passes. */
const SMALL = 4096;

function compareDigits(digits: readonly Digit[], a: number, b: number): number {
  for (let k = digits.length - 1; k >= 0; k--) {
    const [keys, shift, bits] = digits[k] as Digit;
    const mask = 2 ** bits - 1;
    const c = (((keys[a] as number) >>> shift) & mask) - (((keys[b] as number) >>> shift) & mask);
    if (c !== 0) return c;
  }
  return 0;
}

/** A dotted-quad IPv4 address as a 32-bit number, or -1. */
export function ipv4Number(s: string): number {
  let value = 0;
  let part = -1;
  let parts = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (part < 0 || ++parts > 3) return -1;
      value = value * 256 + part;
      part = -1;
    } else if (c >= 48 && c <= 57) {
      part = part < 0 ? c - 48 : part * 10 + c - 48;
      if (part > 255) return -1;
    } else return -1;
  }
  return parts === 3 && part >= 0 ? value * 256 + part : -1;
}

/** The eight groups of an IPv6 address in hex groups with at most one `::` (what the parsers intern), without
 * allocating per group; other forms (an embedded IPv4 tail) go to parseIPv6; null when not an address. */
export function ipv6Groups(s: string): number[] | null {
  if (s.includes('.')) return parseIPv6(s);
  const head: number[] = [];
  const tail: number[] = [];
  let groups = head;
  let value = -1;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 58;
    if (c === 58) {
      if (i < s.length && s.charCodeAt(i + 1) === 58) {
        if (groups === tail) return null;
        if (value >= 0) head.push(value);
        else if (i !== 0) return null;
        groups = tail;
        value = -1;
        i++;
        if (i === s.length - 1) break;
        continue;
      }
      if (value < 0) return null;
      groups.push(value);
      value = -1;
      digits = 0;
      continue;
    }
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0 || ++digits > 4) return null;
    value = value < 0 ? d : value * 16 + d;
    if (i + 1 <= s.length && (i + 1 === s.length || s.charCodeAt(i + 1) === 58)) digits = 0;
  }
  const known = head.length + tail.length;
  if (groups === head ? known !== 8 : known > 7) return null;
  return [...head, ...new Array<number>(8 - known).fill(0), ...tail];
}

/**
 * The rank of every dictionary entry: IPv4 addresses by their bytes, then IPv6 addresses by their bytes, then any
 * other text (states, protocols) in code-unit order.
 */
export function* dictionaryRanks(values: readonly string[]): Steps<Uint32Array> {
  const v4: number[] = [];
  const v4Value: number[] = [];
  const v6: number[] = [];
  const v6Groups: number[][] = [];
  const other: number[] = [];
  yield* slices(
    values.length,
    (start, end) => {
      for (let id = start; id < end; id++) {
        const text = values[id] as string;
        const n = ipv4Number(text);
        const groups = n < 0 && text.includes(':') ? ipv6Groups(text) : null;
        if (n >= 0) {
          v4.push(id);
          v4Value.push(n);
        } else if (groups) {
          v6.push(id);
          v6Groups.push(groups);
        } else other.push(id);
      }
    },
    SLICE / 8,
  ); // parsing IPv6 text costs more than a row
  const ranks = new Uint32Array(values.length);
  let next = 0;
  const v4Keys = Uint32Array.from(v4Value);
  const v4Order = yield* radixOrder(v4.length, digitsOf(v4Keys, 0xffffffff));
  next = assignRanks(v4Order, v4, ranks, next);
  const v6Digits = [7, 6, 5, 4, 3, 2, 1, 0].map((g): Digit => [
    Uint16Array.from(v6Groups, (a) => a[g] as number),
    0,
    16,
  ]);
  const v6Order = yield* radixOrder(v6.length, v6Digits);
  next = assignRanks(v6Order, v6, ranks, next);
  other.sort((a, b) => {
    const [x, y] = [values[a] as string, values[b] as string];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const id of other) ranks[id] = next++;
  return ranks;
}

/** ranks[ids[order[k]]] = next + k; returns the next free rank. */
function assignRanks(order: Uint32Array, ids: readonly number[], ranks: Uint32Array, next: number): number {
  for (let k = 0; k < order.length; k++) ranks[ids[order[k] as number] as number] = next + k;
  return next + order.length;
}

/** Each row's rank among the distinct values its column holds (only those are ranked: a real-server column holds a
 * few addresses of a dictionary that may hold a million client addresses). */
function* rankColumn(table: ConnectionTable, column: Digits): Steps<{ rank: Uint32Array; distinct: number }> {
  const values = table.text.values;
  const seen = new Uint8Array(values.length);
  yield* slices(table.length, (start, end) => {
    for (let i = start; i < end; i++) seen[column[i] as number] = 1;
  });
  const ids: number[] = [];
  seen.forEach((v, id) => v && ids.push(id));
  const ranks = yield* dictionaryRanks(ids.map((id) => values[id] as string));
  const rankOf = new Uint32Array(values.length);
  ids.forEach((id, k) => (rankOf[id] = ranks[k] as number));
  const out = new Uint32Array(table.length);
  yield* slices(table.length, (start, end) => {
    for (let i = start; i < end; i++) out[i] = rankOf[column[i] as number] as number;
  });
  return { rank: out, distinct: ids.length };
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
  const ids = new Map<number, number>();
  const pairs: DestPairs = { ofRow: new Uint32Array(table.length), dest: [], port: [] };
  yield* slices(table.length, (start, end) => {
    for (let i = start; i < end; i++) {
      const [d, p] = [table.dest[i] as number, table.destPort[i] as number];
      const key = d * 65536 + p;
      let id = ids.get(key);
      if (id === undefined) {
        id = pairs.dest.length;
        ids.set(key, id);
        pairs.dest.push(d);
        pairs.port.push(p);
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
  distinct: Map<'state' | 'protocol', number[]>;
}

const indexes = new WeakMap<ConnectionTable, TableIndex>();

function indexOf(table: ConnectionTable): TableIndex {
  let ix = indexes.get(table);
  if (!ix || ix.length !== table.length) {
    ix = { length: table.length, orders: new Map(), distinct: new Map() };
    indexes.set(table, ix);
  }
  return ix;
}

function sortColumns(table: ConnectionTable, key: Exclude<SortKey, 'expires'>): [Digits, Uint16Array | null] {
  if (key === 'client') return [table.client, table.clientPort];
  if (key === 'virtual') return [table.virtual, table.virtualPort];
  if (key === 'dest') return [table.dest, table.destPort];
  return [table[key], null];
}

/** The rows in ascending order of `key` (ties in row order), built on first use per table. */
export function* sortedOrder(table: ConnectionTable, key: SortKey): Steps<Uint32Array> {
  const ix = indexOf(table);
  const cached = ix.orders.get(key);
  if (cached) return cached;
  let digits: Digit[];
  if (key === 'expires') digits = digitsOf(table.expires, maxOf(table.expires.subarray(0, table.length)));
  else {
    const [column, ports] = sortColumns(table, key);
    const { rank, distinct } = yield* rankColumn(table, column);
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
