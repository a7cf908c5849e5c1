// ipvsadm's order: glibc's merge sort with libipvs's comparators, which are not transitive (C's int subtraction of
// unsigned words), so the sort must be glibc's own algorithm, merge for merge.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareServices, glibcMergeSort, ipv4Value, type OrderKey } from '..';
import { ipFamily } from '../ip';

/** glibc's msort_with_tmp written as it reads (a new array per merge). */
function referenceMsort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return [...items];
  const half = Math.floor(items.length / 2);
  const left = referenceMsort(items.slice(0, half), cmp);
  const right = referenceMsort(items.slice(half), cmp);
  const out: T[] = [];
  while (left.length && right.length) out.push((cmp(left[0] as T, right[0] as T) <= 0 ? left : right).shift() as T);
  return [...out, ...left, ...right];
}

const key = (fwmark: number, w0: number, port: number, i: number): OrderKey & { i: number } => ({
  af: 2,
  w0,
  w1: 0,
  w2: 0,
  w3: 0,
  port,
  fwmark,
  protocol: fwmark ? 0 : 6,
  i,
});

describe('glibcMergeSort', () => {
  it('merges as glibc does under the non-transitive comparators (fwmarks and addresses 2^31 apart)', () => {
    const u32 = fc.oneof(fc.constantFrom(0, 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 1), fc.nat({ max: 2 ** 32 - 1 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(u32, u32, fc.nat({ max: 3 })), { maxLength: 40 }), (rows) => {
        const keys = rows.map(([fwmark, w0, port], i) => key(fwmark, w0, port, i));
        const order = (xs: { i: number }[]) => xs.map((k) => k.i);
        expect(order(glibcMergeSort(keys, compareServices))).toEqual(order(referenceMsort(keys, compareServices)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('ipv4Value', () => {
  it('reads the dotted quads ipFamily holds IPv4, and nothing else', () => {
    const quad = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
    fc.assert(
      fc.property(quad, (o) => {
        expect(ipv4Value(o.join('.'))).toBe(((o[0] * 256 + o[1]) * 256 + o[2]) * 256 + o[3]);
      }),
    );
    const text = fc.oneof(
      fc.stringMatching(/^[0-9.]{0,17}$/),
      fc.constantFrom('01.2.3.4', '1.2.3.256', '1.2.3', '1.2.3.4.', '.1.2.3', '1.2.3.4 ', '1..2.3', '2001:db8::1'),
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(ipv4Value(s) >= 0).toBe(ipFamily(s) === 4);
      }),
      { numRuns: 2000 },
    );
  });
});
