// The rows at some positions of a sort order, without building the whole order: the first query sorted by a key after
// a read is answered this way (a few linear passes), and the order itself is built afterwards for the next pages.
// MSD radix selection: count the rows per most significant digit, keep only the rows of the buckets that hold the
// asked positions, and go on with the next digit over those; the rows are kept in table order throughout, so rows
// whose keys are all equal are already in the order's tie order (table order). Same order as sortedOrder.
import { buffers } from './buffer-pool';
import { rowRanksOf, sortColumns, type SortKey } from './connection-sort';
import type { ConnectionTable } from './connection-table';
import { prefixSums, slices, type Digits, type Steps } from './radix';

/** One digit of the key, most significant first: `(keys[row] >>> shift) & mask`. */
interface Level {
  keys: Digits;
  shift: number;
  mask: number;
}

const LEVEL_BITS = 11;

/** Below this many candidate rows, a comparison sort over the remaining digits. */
const SMALL = 2048;

function levelsOf(keys: Digits, max: number): Level[] {
  const bits = max > 0 ? 32 - Math.clz32(max) : 1;
  const count = Math.ceil(bits / LEVEL_BITS);
  const per = Math.ceil(bits / count);
  const levels: Level[] = [];
  for (let k = count - 1; k >= 0; k--) {
    const width = Math.min(per, bits - k * per);
    levels.push({ keys, shift: k * per, mask: 2 ** width - 1 });
  }
  return levels;
}

function maxOf(keys: Digits, n: number): number {
  let max = 0;
  for (let i = 0; i < n; i++) if ((keys[i] as number) > max) max = keys[i] as number;
  return max;
}

function* keyLevels(table: ConnectionTable, key: SortKey): Steps<Level[]> {
  if (key === 'expires') return levelsOf(table.expires, maxOf(table.expires, table.length));
  const { rank, distinct } = yield* rowRanksOf(table, key);
  const ports = sortColumns(table, key)[1];
  const levels = levelsOf(rank, distinct - 1);
  return ports ? [...levels, ...levelsOf(ports, 0xffff)] : levels;
}

function digit(l: Level, row: number): number {
  return ((l.keys[row] as number) >>> l.shift) & l.mask;
}

/** Counts rows[start..end) (or, with rows null, the table's rows start..end that `hits` marks) per digit, noting
 * each one's digit in `noted` (the collecting pass then reads them in sequence instead of looking the keys up again). */
function countDigits(
  l: Level,
  rows: Uint32Array | null,
  hits: Uint8Array | null,
  count: Uint32Array,
  noted: Uint16Array,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const row = rows ? (rows[i] as number) : i;
    if (!rows && hits && hits[row] !== 1) continue;
    const d = digit(l, row);
    noted[i] = d;
    count[d + 1] = (count[d + 1] as number) + 1;
  }
}

/** Moves the rows whose digit is within lo..hi to `into`, grouped by digit, in their order. */
function collect(
  noted: Uint16Array,
  rows: Uint32Array | null,
  hits: Uint8Array | null,
  lo: number,
  hi: number,
  heads: Uint32Array,
  into: Uint32Array,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const row = rows ? (rows[i] as number) : i;
    if (!rows && hits && hits[row] !== 1) continue;
    const d = noted[i] as number;
    if (d < lo || d > hi) continue;
    const at = heads[d] as number;
    heads[d] = at + 1;
    into[at] = row;
  }
}

function compareFrom(levels: readonly Level[], from: number, a: number, b: number): number {
  for (let k = from; k < levels.length; k++) {
    const l = levels[k] as Level;
    const c = digit(l, a) - digit(l, b);
    if (c !== 0) return c;
  }
  return a - b;
}

/**
 * Positions from..to of `rows` (table order; null: the `size` rows that `hits` marks, or all) sorted by
 * levels[level..], appended to `out` in order.
 */
function* select(
  levels: readonly Level[],
  level: number,
  rows: Uint32Array | null,
  hits: Uint8Array | null,
  size: number,
  from: number,
  to: number,
  out: number[],
): Steps<void> {
  if (from >= to) return;
  if (!rows && level === levels.length) {
    // every matching row has the same key: table order
    let seen = 0;
    yield* slices(size, (start, end) => {
      for (let i = start; i < end && seen < to; i++) {
        if (hits && hits[i] !== 1) continue;
        if (seen >= from) out.push(i);
        seen++;
      }
    });
    return;
  }
  if (rows && (level === levels.length || rows.length <= SMALL)) {
    const sorted = level === levels.length ? rows : rows.slice().sort((a, b) => compareFrom(levels, level, a, b));
    for (let k = from; k < to; k++) out.push(sorted[k] as number);
    return;
  }
  const l = levels[level] as Level;
  const scan = rows ? rows.length : size;
  const count = new Uint32Array(l.mask + 2);
  const noted = buffers.u16(scan);
  yield* slices(scan, (start, end) => countDigits(l, rows, hits, count, noted, start, end));
  prefixSums(count); // count[d]: the first position of digit d, count[d + 1]: the one after its last
  let lo = 0;
  while ((count[lo + 1] as number) <= from) lo++;
  let hi = lo;
  while ((count[hi + 1] as number) < to) hi++;
  // one digit for every row: nothing to leave out at this level
  if (lo === hi && count[lo] === 0 && count[hi + 1] === count[l.mask + 1]) {
    buffers.give(noted);
    yield* select(levels, level + 1, rows, hits, size, from, to, out);
    return;
  }
  const base = count[lo] as number;
  const picked = buffers.u32((count[hi + 1] as number) - base);
  const heads = count.map((c) => c - base);
  yield* slices(scan, (start, end) => collect(noted, rows, hits, lo, hi, heads, picked, start, end));
  buffers.give(noted);
  for (let d = lo; d <= hi; d++) {
    const [first, after] = [count[d] as number, count[d + 1] as number];
    const bucket = picked.subarray(first - base, after - base);
    yield* select(levels, level + 1, bucket, null, 0, Math.max(from, first) - first, Math.min(to, after) - first, out);
  }
  buffers.give(picked);
}

/**
 * The matching rows at positions offset..offset+limit of the table sorted by `key` (descending: of the reversed
 * order), `matched` being how many rows `hits` marks (null: every row).
 */
export function* selectPage(
  table: ConnectionTable,
  key: SortKey,
  hits: Uint8Array | null,
  matched: number,
  offset: number,
  limit: number,
  desc: boolean,
): Steps<number[]> {
  const end = Math.min(offset + limit, matched);
  if (offset >= end) return [];
  const [from, to] = desc ? [matched - end, matched - offset] : [offset, end];
  const levels = yield* keyLevels(table, key);
  const out: number[] = [];
  yield* select(levels, 0, null, hits, table.length, from, to, out);
  return desc ? out.reverse() : out;
}
