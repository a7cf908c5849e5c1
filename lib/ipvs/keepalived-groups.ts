// keepalived.conf virtual_server_group blocks: each entry is `ADDRESS PORT`, a range `10.0.0.1-5 80` (the last part
// of the address runs from its value to the number after the dash; for IPv6 the last group, in hex) or `fwmark N`.
// A virtual_server naming the group becomes one of our services per address (or fwmark) of the group.
import { ParseError } from './parse-error';
import { formatIPv6, ipFamily, parseIPv6 } from './ip';
import type { ConfStatement } from './keepalived-conf';

export interface GroupMember {
  /** The statement that names it (the group entry or the virtual_server header), for errors. */
  st: ConfStatement;
  address?: string;
  port?: number;
  fwmark?: number;
}

/** The most services one range may stand for (a /24 worth): larger ranges are refused, not expanded. */
const MAX_RANGE = 256;

function rangeAddresses(word: string): string[] | string {
  const dash = word.lastIndexOf('-');
  if (dash < 0) return [word];
  const start = word.slice(0, dash);
  const endText = word.slice(dash + 1);
  const family = ipFamily(start);
  if (family === 4) {
    const parts = start.split('.').map(Number);
    const first = parts[3] ?? 0;
    const last = /^\d+$/.test(endText) ? Number(endText) : NaN;
    if (!(last >= first && last <= 255)) return `range end ${JSON.stringify(endText)} is not ${first}..255`;
    return Array.from({ length: last - first + 1 }, (_, i) => [...parts.slice(0, 3), first + i].join('.'));
  }
  const groups = family === 6 ? parseIPv6(start) : null;
  if (!groups) return `${JSON.stringify(start)} is not an IP address`;
  const first = groups[7] ?? 0;
  const last = /^[0-9a-fA-F]{1,4}$/.test(endText) ? parseInt(endText, 16) : NaN;
  if (!(last >= first)) return `range end ${JSON.stringify(endText)} is below the start`;
  if (last - first >= MAX_RANGE) return `a range of more than ${MAX_RANGE} addresses`;
  return Array.from({ length: last - first + 1 }, (_, i) => formatIPv6([...groups.slice(0, 7), first + i]));
}

/** Every virtual_server_group by name, expanded to its members; entries it cannot read are reported to `skip`. */
export function expandGroups(
  statements: readonly ConfStatement[],
  skip: (s: { line: number; reason: string }) => void,
  maxMembers: number,
): Map<string, GroupMember[]> {
  const groups = new Map<string, GroupMember[]>();
  let total = 0;
  for (const st of statements) {
    if (st.words[0] !== 'virtual_server_group') continue;
    const members: GroupMember[] = [];
    for (const e of st.block ?? []) {
      const [first, second] = e.words;
      if (first === 'fwmark') {
        members.push({ st: e, fwmark: /^\d+$/.test(second ?? '') ? Number(second) : -1 });
        continue;
      }
      const addresses = rangeAddresses(first ?? '');
      if (typeof addresses === 'string') {
        skip({ line: e.line, reason: `virtual_server_group entry: ${addresses}` });
        continue;
      }
      const port = second === undefined ? 0 : /^\d+$/.test(second) ? Number(second) : -1;
      total += addresses.length;
      if (total > maxMembers)
        throw new ParseError(e.line, e.words.join(' '), `groups of more than ${maxMembers} services`);
      for (const address of addresses) members.push({ st: e, address, port });
    }
    if (!members.length) skip({ line: st.line, reason: 'virtual_server_group with no entries (keepalived drops it)' });
    else groups.set(st.words[1] ?? '', members);
  }
  return groups;
}
