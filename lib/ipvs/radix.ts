// Stable LSD radix sorting over typed arrays of keys, run as generators that yield between slices of work: the agent
// runs them in slices between its ticks, a test or the CLI straight through (`drain`).
import { buffers } from './buffer-pool';

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

export type Digits = Uint16Array | Uint32Array;
/** One pass of a radix sort: the digit is `(keys[i] >>> shift)` masked to `bits` bits. */
export type Digit = readonly [keys: Digits, shift: number, bits: number];

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
  // the order comes from the pool (its owner gives it back with the read), the scratch goes back at the end
  let order = buffers.u32(n);
  yield* slices(n, (start, end) => {
    for (let i = start; i < end; i++) order[i] = i;
  });
  if (n < SMALL) return order.sort((a, b) => compareDigits(digits, a, b) || a - b);
  const sources = [...new Set(digits.map(([keys]) => keys))];
  let moving = sources.map((keys) => {
    const copy = buffers.u32(n);
    copy.set(keys.subarray(0, n));
    return copy;
  });
  let spare = buffers.u32(n);
  let spareKeys = sources.map(() => buffers.u32(n));
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
  buffers.give(spare, ...moving, ...spareKeys);
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

export function prefixSums(count: Uint32Array): void {
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
