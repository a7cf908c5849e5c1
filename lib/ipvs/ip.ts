// Address helpers that run in the browser too (no node:net): family detection, RFC 5952 formatting of IPv6 (what
// inet_ntop and so ipvsadm print), and the hex forms procfs uses. A property test holds ipFamily equal to node:net isIP.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXGROUP = /^[0-9a-fA-F]{1,4}$/;

/** 4, 6, or 0 when `s` is neither; the same answers as node:net isIP for addresses without a zone id. */
export function ipFamily(s: string): 0 | 4 | 6 {
  if (IPV4.test(s)) return 4;
  return parseIPv6(s) ? 6 : 0;
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. Accepts an embedded IPv4 tail. */
export function parseIPv6(s: string): number[] | null {
  if (s.length < 2 || s.length > 45 || s.includes('%')) return null;
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return null;
  if (s.includes('.', lastColon)) {
    // an embedded IPv4 tail (::ffff:10.0.0.1) is two groups written another way
    const v4 = s.slice(lastColon + 1);
    if (!IPV4.test(v4)) return null;
    const o = v4.split('.').map(Number) as [number, number, number, number];
    const groups = `${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
    return parseIPv6(s.slice(0, lastColon + 1) + groups);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    if (groups.some((g) => !HEXGROUP.test(g))) return null;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parse(halves[0] ?? '');
  if (!head) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const rest = parse(halves[1] ?? '');
  if (!rest) return null;
  const known = head.length + rest.length;
  if (known > 7) return null;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest];
}

/** RFC 5952 text: lower case, longest run (≥2) of zero groups as `::`, first such run on a tie. */
export function formatIPv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** The canonical text of an address (IPv6 compressed and lower-cased), or the text unchanged if it is not an IP. */
export function canonicalIP(s: string): string {
  if (!s.includes(':')) return s;
  const g = parseIPv6(s);
  return g ? formatIPv6(g) : s;
}

/** procfs prints IPv4 as 8 hex digits in network order (0A01000A = 10.1.0.10). */
export function ipv4FromHex(hex: string): string | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return null;
  const n = parseInt(hex, 16);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** procfs prints IPv6 as eight 4-digit hex groups with colons; return the RFC 5952 form. */
export function ipv6FromProc(text: string): string | null {
  const g = parseIPv6(text);
  return g ? formatIPv6(g) : null;
}

/** IPv4 dotted mask → prefix length, or null if the mask is not contiguous. */
export function maskToPrefix(mask: string): number | null {
  if (!IPV4.test(mask)) return null;
  const n = mask.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  let bits = 0;
  for (let b = 31; b >= 0 && Math.floor(n / 2 ** b) % 2 === 1; b--) bits++;
  const expected = bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits);
  return n === expected ? bits : null;
}
