// The order ipvsadm lists services and real servers in, so that a table read another way (the netlink reader) lists
// them as the ipvsadm listings do. ipvsadm 1.31 sorts with libipvs's ipvs_cmp_services / ipvs_cmp_dests through
// glibc's qsort, which (glibc <= 2.36, Debian 12) is a top-down merge sort. The comparators subtract unsigned 32-bit
// values into an int, so a difference of 2^31 or more flips sign: a fwmark >= 2^31 compares below fwmark 0, 10.0.0.1
// above 200.0.0.1. That order is not transitive, so the result depends on the algorithm and on the input order (the
// kernel's dump order, which both readers get): both are reproduced here.

/** What the comparators read of an entry: address family (2 or 10), the address as four big-endian 32-bit words
 * w0..w3 (IPv4: the address, then zeros), the port; services also their fwmark and IP protocol number (0 for real
 * servers). Plain fields, not an array: a 10,000 x 10 table sorts 110,000 of them every tick. */
export interface OrderKey {
  af: number;
  w0: number;
  w1: number;
  w2: number;
  w3: number;
  port: number;
  fwmark: number;
  protocol: number;
}

/** An IPv4 address's 32-bit value, or -1 when the text is not one (the dotted quad ipFamily accepts: 0-255 each,
 * no leading zeros). */
export function ipv4Value(s: string): number {
  let value = 0;
  let octets = 0;
  let i = 0;
  while (octets < 4) {
    const start = i;
    let octet = 0;
    for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i)) octet = octet * 10 + c - 48;
    const digits = i - start;
    if (digits === 0 || digits > 3 || octet > 255 || (digits > 1 && s.charCodeAt(start) === 48)) return -1;
    value = value * 256 + octet;
    if (++octets < 4 && s.charCodeAt(i++) !== 46) return -1;
  }
  return i === s.length ? value : -1;
}

/** C's `int r = (u32)a - (u32)b`. */
const diff = (a: number, b: number) => (a - b) | 0;

function compareAddresses(a: OrderKey, b: OrderKey): number {
  // the first entry's family decides how many words are compared
  if (a.af === 10) return diff(a.w0, b.w0) || diff(a.w1, b.w1) || diff(a.w2, b.w2) || diff(a.w3, b.w3);
  return diff(a.w0, b.w0);
}

/** libipvs ipvs_cmp_services */
export function compareServices(a: OrderKey, b: OrderKey): number {
  return (
    diff(a.fwmark, b.fwmark) || a.af - b.af || a.protocol - b.protocol || compareAddresses(a, b) || a.port - b.port
  );
}

/** libipvs ipvs_cmp_dests */
export function compareDestinations(a: OrderKey, b: OrderKey): number {
  return compareAddresses(a, b) || a.port - b.port;
}

/** glibc's msort_with_tmp: halves of n/2 and n - n/2, merged taking the left one while cmp(left, right) <= 0. Sorts a
 * copy in place through one buffer, as glibc does. */
export function glibcMergeSort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  const sorted = items.slice();
  if (sorted.length > 1) msort(sorted, 0, sorted.length, new Array<T>(sorted.length), cmp);
  return sorted;
}

function msort<T>(a: T[], from: number, n: number, tmp: T[], cmp: (a: T, b: T) => number): void {
  if (n <= 1) return;
  const n1 = n >>> 1;
  msort(a, from, n1, tmp, cmp);
  msort(a, from + n1, n - n1, tmp, cmp);
  const leftEnd = from + n1;
  const end = from + n;
  let i = from;
  let j = leftEnd;
  let k = 0;
  while (i < leftEnd && j < end) tmp[k++] = cmp(a[i] as T, a[j] as T) <= 0 ? (a[i++] as T) : (a[j++] as T);
  while (i < leftEnd) tmp[k++] = a[i++] as T;
  // what is left of the right half is already in place
  for (let m = 0; m < k; m++) a[from + m] = tmp[m] as T;
}
