// The order ipvsadm lists services and real servers in, so that a table read another way (the netlink reader) lists
// them as the ipvsadm listings do. ipvsadm 1.31 sorts with libipvs's ipvs_cmp_services / ipvs_cmp_dests through
// glibc's qsort, which (glibc <= 2.36, Debian 12) is a top-down merge sort. The comparators subtract unsigned 32-bit
// values into an int, so a difference of 2^31 or more flips sign: a fwmark >= 2^31 compares below fwmark 0, 10.0.0.1
// above 200.0.0.1. That order is not transitive, so the result depends on the algorithm and on the input order (the
// kernel's dump order, which both readers get): both are reproduced here.
import { parseIPv6 } from './ip';

/** What the comparators read of an entry: address family (2 or 10), the address as four big-endian 32-bit words
 * (IPv4: the address, then zeros), the port; services also their fwmark and IP protocol number. */
export interface OrderKey {
  af: number;
  words: readonly number[];
  port: number;
  fwmark?: number;
  protocol?: number;
}

/** The address as libipvs holds it in its union nf_inet_addr: four 32-bit words in host order after ntohl. */
export function addressWords(address: string): number[] {
  const g = parseIPv6(address);
  if (g) return [0, 2, 4, 6].map((i) => ((g[i] ?? 0) * 65536 + (g[i + 1] ?? 0)) >>> 0);
  const v4 = address.split('.').reduce((n, p) => n * 256 + Number(p), 0);
  return [v4 >>> 0, 0, 0, 0];
}

/** C's `int r = (u32)a - (u32)b`. */
const diff = (a: number, b: number) => (a - b) | 0;

function compareAddresses(a: OrderKey, b: OrderKey): number {
  // the first entry's family decides how many words are compared
  if (a.af === 10) {
    let r = 0;
    for (let i = 0; !r && i < 4; i++) r = diff(a.words[i] ?? 0, b.words[i] ?? 0);
    return r;
  }
  return diff(a.words[0] ?? 0, b.words[0] ?? 0);
}

/** libipvs ipvs_cmp_services */
export function compareServices(a: OrderKey, b: OrderKey): number {
  return (
    diff(a.fwmark ?? 0, b.fwmark ?? 0) ||
    a.af - b.af ||
    (a.protocol ?? 0) - (b.protocol ?? 0) ||
    compareAddresses(a, b) ||
    a.port - b.port
  );
}

/** libipvs ipvs_cmp_dests */
export function compareDestinations(a: OrderKey, b: OrderKey): number {
  return compareAddresses(a, b) || a.port - b.port;
}

/** glibc's msort_with_tmp: halves of n/2 and n - n/2, merged taking the left one while cmp(left, right) <= 0. */
export function glibcMergeSort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return [...items];
  const half = Math.floor(items.length / 2);
  const left = glibcMergeSort(items.slice(0, half), cmp);
  const right = glibcMergeSort(items.slice(half), cmp);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length)
    out.push(cmp(left[i] as T, right[j] as T) <= 0 ? (left[i++] as T) : (right[j++] as T));
  while (i < left.length) out.push(left[i++] as T);
  while (j < right.length) out.push(right[j++] as T);
  return out;
}
