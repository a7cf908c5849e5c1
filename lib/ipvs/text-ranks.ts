// The sort order of a connection table's texts: IPv4 addresses by their bytes, then IPv6 addresses by their bytes,
// then any other text (states, protocols) in code-unit order, as one rank per text.
import { buffers } from './buffer-pool';
import { parseIPv6 } from './ip';
import { digitsOf, radixOrder, slices, SLICE, type Digit, type Steps } from './radix';

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
  buffers.give(v4Order, v6Order);
  return ranks;
}

/** ranks[ids[order[k]]] = next + k; returns the next free rank. */
function assignRanks(order: Uint32Array, ids: readonly number[], ranks: Uint32Array, next: number): number {
  for (let k = 0; k < order.length; k++) ranks[ids[order[k] as number] as number] = next + k;
  return next + order.length;
}
