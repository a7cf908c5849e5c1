// The records of the netlink reader's stream (native/ipvs-dump.c, version 2: one JSON array per line, its kind first,
// then its fields in a fixed order) and what each field must hold. Checked by hand on the values of one JSON.parse,
// field by field (a zod schema copied each of the 110,000 records of a 10,000 x 10 table and ran a discriminated
// union and several checks per value, half of the decode's time). A record that fails names its first bad field.
import { parseIPv6 } from './ip';
import { ipv4Value } from './ipvsadm-order';
import { MAX_FWMARK, MAX_WEIGHT } from './model';

/** conns, inpkts, outpkts, inbytes, outbytes, then the rates: cps, inpps, outpps, inbps, outbps */
export type Counters = [number, number, number, number, number, number, number, number, number, number];
type Family = 2 | 10;

export interface HeaderRecord {
  t: 'ipvs-dump';
  version: number;
}
export interface SvcRecord {
  t: 'svc';
  af: Family;
  protocol: number;
  addr: string;
  port: number;
  fwmark: number;
  sched: string;
  flags: number;
  timeout: number;
  netmask: string;
  pe: string;
  stats: Counters;
}
export interface DestRecord {
  t: 'dest';
  af: Family;
  addr: string;
  port: number;
  fwd: number;
  weight: number;
  uthresh: number;
  lthresh: number;
  active: number;
  inactive: number;
  persist: number;
  tunType: number;
  tunPort: number;
  tunFlags: number;
  stats: Counters;
}
export interface TimeoutsRecord {
  t: 'timeouts';
  tcp: number;
  tcpfin: number;
  udp: number;
}
export interface DaemonRecord {
  t: 'daemon';
  state: number;
  ifn: string;
  syncid: number;
  maxlen?: number;
  group?: string;
  port?: number;
  ttl?: number;
}
export interface EndRecord {
  t: 'end';
  services: number;
  dests: number;
}
export type DumpRecord = HeaderRecord | SvcRecord | DestRecord | TimeoutsRecord | DaemonRecord | EndRecord;

interface Field {
  ok: (v: unknown) => boolean;
  expected: string;
  /** null stands for a value the kernel did not send */
  optional?: true;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const count: Field = { ok: isCount, expected: 'expected a non-negative integer' };
const upTo = (max: number): Field => ({
  ok: (v) => isCount(v) && v <= max,
  expected: `expected an integer from 0 to ${max}`,
});
const port = upTo(65535);
const family: Field = { ok: (v) => v === 2 || v === 10, expected: 'expected 2 (AF_INET) or 10 (AF_INET6)' };
const text: Field = { ok: (v) => typeof v === 'string', expected: 'expected a string' };
const name: Field = { ok: (v) => typeof v === 'string' && v !== '', expected: 'expected a non-empty string' };
/** The address forms ipFamily accepts (the model's ipAddress). */
const address: Field = {
  ok: (v) => typeof v === 'string' && (ipv4Value(v) >= 0 || (v.includes(':') && parseIPv6(v) !== null)),
  expected: 'not an IPv4 or IPv6 address',
};
const optional = (f: Field): Field => ({ ...f, optional: true });
const COUNTERS = ['conns', 'inpkts', 'outpkts', 'inbytes', 'outbytes', 'cps', 'inpps', 'outpps', 'inbps', 'outbps'];
const counters = COUNTERS.map((c): [string, Field] => [c, count]);

/** Each kind's fields in stream order: the order native/ipvs-dump.c prints them in. */
const FIELDS = new Map<string, [string, Field][]>([
  ['ipvs-dump', [['version', { ok: Number.isSafeInteger, expected: 'expected an integer' }]]],
  [
    'svc',
    [
      ['af', family],
      ['protocol', count],
      ['addr', address],
      ['port', port],
      ['fwmark', upTo(MAX_FWMARK)],
      ['sched', name],
      ['flags', count],
      ['timeout', count],
      ['netmask', text],
      ['pe', text],
      ...counters,
    ],
  ],
  [
    'dest',
    [
      ['af', family],
      ['addr', address],
      ['port', port],
      ['fwd', count],
      ['weight', upTo(MAX_WEIGHT)],
      ['uthresh', count],
      ['lthresh', count],
      ['active', count],
      ['inactive', count],
      ['persist', count],
      ['tunType', count],
      ['tunPort', port],
      ['tunFlags', count],
      ...counters,
    ],
  ],
  [
    'timeouts',
    [
      ['tcp', count],
      ['tcpfin', count],
      ['udp', count],
    ],
  ],
  [
    'daemon',
    [
      ['state', count],
      ['ifn', text],
      ['syncid', count],
      ['maxlen', optional(count)],
      ['group', optional(address)],
      ['port', optional(port)],
      ['ttl', optional(count)],
    ],
  ],
  [
    'end',
    [
      ['services', count],
      ['dests', count],
    ],
  ],
]);

const counterValues = (a: unknown[], from: number) => a.slice(from, from + 10) as Counters;

/** The record of a checked array, by its kind. */
/** An array checkRecord passed: each position holds what its kind's field there must. */
type Checked = Record<0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13, never>;

function toRecord(a: unknown[]): DumpRecord {
  const v = a as unknown as Checked;
  switch (a[0]) {
    case 'ipvs-dump':
      return { t: 'ipvs-dump', version: v[1] };
    case 'svc':
      return {
        t: 'svc',
        af: v[1],
        protocol: v[2],
        addr: v[3],
        port: v[4],
        fwmark: v[5],
        sched: v[6],
        flags: v[7],
        timeout: v[8],
        netmask: v[9],
        pe: v[10],
        stats: counterValues(a, 11),
      };
    case 'dest':
      return {
        t: 'dest',
        af: v[1],
        addr: v[2],
        port: v[3],
        fwd: v[4],
        weight: v[5],
        uthresh: v[6],
        lthresh: v[7],
        active: v[8],
        inactive: v[9],
        persist: v[10],
        tunType: v[11],
        tunPort: v[12],
        tunFlags: v[13],
        stats: counterValues(a, 14),
      };
    case 'timeouts':
      return { t: 'timeouts', tcp: v[1], tcpfin: v[2], udp: v[3] };
    case 'daemon': {
      const r: DaemonRecord = { t: 'daemon', state: v[1], ifn: v[2], syncid: v[3] };
      const [maxlen, group, port, ttl] = [v[4], v[5], v[6], v[7]] as (number | string | null)[];
      return Object.assign(r, {
        ...(maxlen === null ? {} : { maxlen }),
        ...(group === null ? {} : { group }),
        ...(port === null ? {} : { port }),
        ...(ttl === null ? {} : { ttl }),
      });
    }
    default:
      return { t: 'end', services: v[1], dests: v[2] };
  }
}

/** The value as a record of the stream, or what is wrong with it ("field: expected ..."). A version 1 header (an
 * object) reads as a header, so that the decoder names the version it got. */
export function checkRecord(v: unknown): DumpRecord | string {
  if (!Array.isArray(v)) {
    const o = v as { t?: unknown; version?: unknown } | null;
    if (o && typeof o === 'object' && o.t === 'ipvs-dump' && Number.isSafeInteger(o.version))
      return { t: 'ipvs-dump', version: o.version as number };
    return 'record: expected a JSON array';
  }
  const fields = typeof v[0] === 'string' ? FIELDS.get(v[0]) : undefined;
  if (!fields) return `kind: expected one of ${[...FIELDS.keys()].join(', ')}`;
  if (v.length !== fields.length + 1)
    return `record: a ${v[0] as string} record has ${fields.length} fields, this one ${v.length - 1}`;
  for (let i = 0; i < fields.length; i++) {
    const [key, field] = fields[i] as [string, Field];
    const value: unknown = v[i + 1];
    if (value === null ? !field.optional : !field.ok(value)) return `${key}: ${field.expected}`;
  }
  return toRecord(v);
}
