// The records of the netlink reader's stream (native/ipvs-dump.c, one JSON object per line) and what each field must
// hold. Checked by hand on the values of one JSON.parse, field by field: a zod schema copied each of the 110,000
// records of a 10,000 x 10 table and ran a discriminated union and several checks per value, half of the decode's
// time. A record that fails names its first bad field, as the schema's issue path did.
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
const counters: Field = {
  ok: (v) => Array.isArray(v) && v.length === 10 && v.every(isCount),
  expected: 'expected ten non-negative integer counters',
};
const optional = (f: Field): Field => ({ ...f, optional: true });

const FIELDS = new Map<string, [string, Field][]>(
  Object.entries({
    'ipvs-dump': { version: { ok: Number.isSafeInteger, expected: 'expected an integer' } },
    svc: {
      af: family,
      protocol: count,
      addr: address,
      port,
      fwmark: upTo(MAX_FWMARK),
      sched: name,
      flags: count,
      timeout: count,
      netmask: text,
      pe: text,
      stats: counters,
    },
    dest: {
      af: family,
      addr: address,
      port,
      fwd: count,
      weight: upTo(MAX_WEIGHT),
      uthresh: count,
      lthresh: count,
      active: count,
      inactive: count,
      persist: count,
      tunType: count,
      tunPort: port,
      tunFlags: count,
      stats: counters,
    },
    timeouts: { tcp: count, tcpfin: count, udp: count },
    daemon: {
      state: count,
      ifn: text,
      syncid: count,
      maxlen: optional(count),
      group: optional(address),
      port: optional(port),
      ttl: optional(count),
    },
    end: { services: count, dests: count },
  }).map(([t, fields]): [string, [string, Field][]] => [t, Object.entries(fields)]),
);

/** The value as a record of the stream, or what is wrong with it ("field: expected ..."). Fields the record type
 * does not have are left alone (the decoder never reads them). */
export function checkRecord(v: unknown): DumpRecord | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'record: expected a JSON object';
  const r = v as Record<string, unknown>;
  const fields = typeof r.t === 'string' ? FIELDS.get(r.t) : undefined;
  if (!fields) return `t: expected one of ${[...FIELDS.keys()].join(', ')}`;
  for (const [key, field] of fields) {
    const value = r[key];
    if (value === undefined ? !field.optional : !field.ok(value)) return `${key}: ${field.expected}`;
  }
  return r as unknown as DumpRecord;
}
