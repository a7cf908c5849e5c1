// The stream of the netlink table reader (native/ipvs-dump.c: one JSON object per line, values as the kernel holds
// them) -> the same model the ipvsadm listings give once parsed and merged (parse-list.ts, services.ts): the agent may
// read the table either way and the dashboard cannot tell which. Where ipvsadm formats a kernel value (flag names,
// the persistence mask, tunnel info), the mapping here follows what ipvsadm 1.31 prints, checked against it on the
// real kernel (lab/tests/netlink.lab.test.ts) and on captures of both from one moment (__fixtures__/lab/netlink/).
import { z } from 'zod';
import { ParseError, type ParseProblem } from './parse-error';
import { canonicalIP } from './ip';
import { addressWords, compareDestinations, compareServices, glibcMergeSort, type OrderKey } from './ipvsadm-order';
import {
  MAX_FWMARK,
  MAX_WEIGHT,
  SyncDaemon,
  ipAddress,
  serviceId,
  serviceKey,
  type Destination,
  type Service,
  type Timeouts,
} from './model';

/** The stream version this decoder reads (the helper's first line). */
export const IPVS_DUMP_VERSION = 1;

export interface IpvsDump {
  services: Service[];
  /** Records that did not map to the model (an unknown protocol, forwarding method or tunnel type): skipped and named,
   * like the unreadable lines of a lenient listing parse; a service's real servers go with it. */
  problems: ParseProblem[];
  timeouts: Timeouts;
  daemons: SyncDaemon[];
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
// One check per value, not zod's three (number, int, min) per number and per array element: at 10,000 x 10 a tick
// decodes 110,000 records of 22 numbers each.
const count = z.custom<number>(isCount, 'expected a non-negative integer');
/** conns, inpkts, outpkts, inbytes, outbytes, then the rates: cps, inpps, outpps, inbps, outbps */
const counters = z.custom<number[]>(
  (v) => Array.isArray(v) && v.length === 10 && v.every(isCount),
  'expected ten non-negative integer counters',
);
const upTo = (max: number) =>
  z.custom<number>((v) => isCount(v) && (v as number) <= max, `expected an integer from 0 to ${max}`);
const port = upTo(65535);
const AF_INET = 2;
const AF_INET6 = 10;
const family = z.union([z.literal(AF_INET), z.literal(AF_INET6)]);

const DumpRecord = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ipvs-dump'), version: z.number().int() }),
  z.object({
    t: z.literal('svc'),
    af: family,
    protocol: count,
    addr: ipAddress,
    port,
    fwmark: z.number().int().min(0).max(MAX_FWMARK),
    sched: z.string().min(1),
    flags: count,
    timeout: count,
    netmask: z.string(),
    pe: z.string(),
    stats: counters,
  }),
  z.object({
    t: z.literal('dest'),
    af: family,
    addr: ipAddress,
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
  }),
  z.object({ t: z.literal('timeouts'), tcp: count, tcpfin: count, udp: count }),
  z.object({
    t: z.literal('daemon'),
    state: count,
    ifn: z.string(),
    syncid: count,
    maxlen: count.optional(),
    group: ipAddress.optional(),
    port: port.optional(),
    ttl: count.optional(),
  }),
  z.object({ t: z.literal('end'), services: count, dests: count }),
]);
type DumpRecord = z.infer<typeof DumpRecord>;
type SvcRecord = Extract<DumpRecord, { t: 'svc' }>;
type DestRecord = Extract<DumpRecord, { t: 'dest' }>;
type DaemonRecord = Extract<DumpRecord, { t: 'daemon' }>;
type EndRecord = Extract<DumpRecord, { t: 'end' }>;

const PROTOCOL_BY_NUMBER: Readonly<{ [n: number]: 'tcp' | 'udp' | 'sctp' | undefined }> = {
  6: 'tcp',
  17: 'udp',
  132: 'sctp',
};
/** IP_VS_CONN_F_MASQ 0, _LOCALNODE 1, _TUNNEL 2, _DROUTE 3, _BYPASS 4 */
const FORWARD_BY_NUMBER: readonly Destination['forward'][] = ['masq', 'local', 'tunnel', 'route', 'bypass'];
const SVC_F_PERSISTENT = 0x1;
const SVC_F_ONEPACKET = 0x4;
/** IP_VS_SVC_F_SCHED1..3, in the order ipvsadm lists them */
const SCHED_FLAG_BITS = [0x8, 0x10, 0x20] as const;
const TUN_FLAG_CSUM = 0x1;
const TUN_FLAG_REMCSUM = 0x2;

/** What ipvsadm calls the scheduler flags: sh and mh name their two, any other scheduler's are flag-1..3. */
export function schedulerFlagNames(scheduler: string, bits: number): string[] {
  const names =
    scheduler === 'sh' || scheduler === 'mh'
      ? [`${scheduler}-fallback`, `${scheduler}-port`, 'flag-3']
      : ['flag-1', 'flag-2', 'flag-3'];
  return SCHED_FLAG_BITS.flatMap((bit, i) => (bits & bit ? [names[i] as string] : []));
}

function stats(c: readonly number[]): Pick<Service, 'stats' | 'rate'> {
  const [conns, inPkts, outPkts, inBytes, outBytes, cps, inPps, outPps, inBps, outBps] = c as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { stats: { conns, inPkts, outPkts, inBytes, outBytes }, rate: { cps, inPps, outPps, inBps, outBps } };
}

/** The service of a record, or the reason it does not map. */
function toService(r: SvcRecord): Service | string {
  const flags = schedulerFlagNames(r.sched, r.flags);
  const persistent = (r.flags & SVC_F_PERSISTENT) !== 0;
  let key: Pick<Service, 'protocol' | 'address' | 'port' | 'fwmark' | 'ipv6'>;
  if (r.fwmark > 0)
    key =
      r.af === AF_INET6
        ? { protocol: 'fwmark', fwmark: r.fwmark, ipv6: true }
        : { protocol: 'fwmark', fwmark: r.fwmark };
  else {
    const protocol = PROTOCOL_BY_NUMBER[r.protocol];
    if (!protocol) return `protocol: unknown IP protocol ${r.protocol}`;
    key = { protocol, address: canonicalIP(r.addr), port: r.port };
  }
  const svc: Service = { ...key, scheduler: r.sched, flags, ops: (r.flags & SVC_F_ONEPACKET) !== 0, destinations: [] };
  // ipvsadm shows the timeout and the mask of persistent services only, the mask when it is not the whole address
  if (persistent) {
    if (r.timeout < 1) return `persistent: timeout ${r.timeout} of a persistent service`;
    svc.persistent = r.timeout;
    const whole = r.af === AF_INET6 ? '128' : '255.255.255.255';
    if (r.netmask !== whole) svc.netmask = r.netmask;
  }
  if (r.pe) svc.pe = r.pe;
  return Object.assign(svc, stats(r.stats));
}

/** The real server of a record, or the reason it does not map. */
function toDestination(r: DestRecord): Destination | string {
  const forward = FORWARD_BY_NUMBER[r.fwd];
  if (!forward) return `forward: unknown forwarding method ${r.fwd}`;
  const d: Destination = {
    address: canonicalIP(r.addr),
    port: r.port,
    forward,
    weight: r.weight,
    activeConns: r.active,
    inactiveConns: r.inactive,
    persistConns: r.persist,
    upperThreshold: r.uthresh,
    lowerThreshold: r.lthresh,
  };
  if (forward === 'tunnel') {
    const checksum = r.tunFlags & TUN_FLAG_REMCSUM ? 'remcsum' : r.tunFlags & TUN_FLAG_CSUM ? 'csum' : 'nocsum';
    if (r.tunType === 0) d.tunnelType = 'ipip';
    else if (r.tunType === 1) Object.assign(d, { tunnelType: 'gue', tunnelPort: r.tunPort, tunnelChecksum: checksum });
    else if (r.tunType === 2) Object.assign(d, { tunnelType: 'gre', tunnelChecksum: checksum });
    else return `tunnelType: unknown tunnel type ${r.tunType}`;
  }
  return Object.assign(d, stats(r.stats));
}

const DAEMON_STATES: Readonly<{ [n: number]: SyncDaemon['state'] | undefined }> = { 1: 'master', 2: 'backup' };

interface Numbered<R> {
  r: R;
  n: number;
  line: string;
}
type Block = Numbered<SvcRecord> & { dests: Numbered<DestRecord>[] };

const orderKey = (r: SvcRecord | DestRecord): OrderKey => ({
  af: r.af,
  words: addressWords(r.addr),
  port: r.port,
  ...(r.t === 'svc' ? { fwmark: r.fwmark, protocol: r.protocol } : {}),
});

/** Each line's JSON value: one JSON.parse of the whole stream (cheaper than one per line at 110,000 lines), and
 * line by line only to name the line that is not one value. */
function jsonLines(lines: readonly string[]): unknown[] {
  try {
    const all = JSON.parse(`[${lines.join(',')}]`) as unknown[];
    if (all.length === lines.length) return all;
  } catch {
    /* named below */
  }
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      throw new ParseError(i + 1, line, 'not a JSON record of ipvs-dump');
    }
  });
}

/** The records of a stream, checked whole: header first, one end line last whose counts match what came between. */
function readRecords(text: string): { blocks: Block[]; timeouts: Timeouts; daemons: Numbered<DaemonRecord>[] } {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const blocks: Block[] = [];
  const daemons: Numbered<DaemonRecord>[] = [];
  let timeouts: Timeouts | undefined;
  let ended: EndRecord | undefined;
  let dests = 0;
  const values = jsonLines(lines);
  lines.forEach((line, i) => {
    const n = i + 1;
    const parsed = DumpRecord.safeParse(values[i]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ParseError(n, line, `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
    }
    const r = parsed.data;
    if ((i === 0) !== (r.t === 'ipvs-dump'))
      throw new ParseError(n, line, 'the ipvs-dump header must come first, once');
    if (ended) throw new ParseError(n, line, 'a record after the end line');
    if (r.t === 'ipvs-dump') {
      if (r.version !== IPVS_DUMP_VERSION)
        throw new ParseError(n, line, `ipvs-dump stream version ${r.version}, this agent reads ${IPVS_DUMP_VERSION}`);
    } else if (r.t === 'svc') blocks.push({ r, n, line, dests: [] });
    else if (r.t === 'dest') {
      const block = blocks[blocks.length - 1];
      if (!block) throw new ParseError(n, line, 'a real server before any service');
      block.dests.push({ r, n, line });
      dests++;
    } else if (r.t === 'timeouts') timeouts = { tcp: r.tcp, tcpfin: r.tcpfin, udp: r.udp };
    else if (r.t === 'daemon') daemons.push({ r, n, line });
    else ended = r;
  });
  const last = lines.length;
  const lastLine = lines[last - 1] ?? '';
  if (!ended) throw new ParseError(last, lastLine, 'no end line: the ipvs-dump stream was cut short');
  if (ended.services !== blocks.length || ended.dests !== dests)
    throw new ParseError(
      last,
      lastLine,
      `the end line counts ${ended.services} services and ${ended.dests} real servers, the stream held ${blocks.length} and ${dests}`,
    );
  if (!timeouts) throw new ParseError(last, lastLine, 'no timeouts record');
  return { blocks, timeouts, daemons };
}

function toDaemon({ r, n, line }: Numbered<DaemonRecord>): SyncDaemon {
  const daemon = SyncDaemon.safeParse({
    state: DAEMON_STATES[r.state],
    mcastInterface: r.ifn,
    syncId: r.syncid,
    ...(r.maxlen === undefined ? {} : { maxlen: r.maxlen }),
    ...(r.group === undefined ? {} : { group: canonicalIP(r.group) }),
    ...(r.port === undefined ? {} : { port: r.port }),
    ...(r.ttl === undefined ? {} : { ttl: r.ttl }),
  });
  if (daemon.success) return daemon.data;
  const issue = daemon.error.issues[0];
  throw new ParseError(n, line, `daemon ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
}

/** Decode a whole dump, in ipvsadm's order (ipvsadm-order.ts). A stream that is not one (no header, another version,
 * a line that is not a record, no end line or counts that disagree: a helper cut short) throws ParseError; a record
 * the model cannot hold is a problem. */
export function decodeIpvsDump(text: string): IpvsDump {
  const { blocks, timeouts, daemons } = readRecords(text);
  const out: IpvsDump = { services: [], problems: [], timeouts, daemons: daemons.map(toDaemon) };
  const byKey = (cmp: (a: OrderKey, b: OrderKey) => number) => (a: { key: OrderKey }, b: { key: OrderKey }) =>
    cmp(a.key, b.key);
  const sorted = glibcMergeSort(
    blocks.map((b) => ({ b, key: orderKey(b.r) })),
    byKey(compareServices),
  );
  for (const { b } of sorted) {
    const svc = toService(b.r);
    if (typeof svc === 'string') {
      out.problems.push({ lineNumber: b.n, line: b.line, reason: svc });
      continue;
    }
    const dests = glibcMergeSort(
      b.dests.map((d) => ({ d, key: orderKey(d.r) })),
      byKey(compareDestinations),
    );
    for (const { d } of dests) {
      const dest = toDestination(d.r);
      if (typeof dest === 'string')
        out.problems.push({ lineNumber: d.n, line: d.line, reason: dest, service: serviceId(serviceKey(svc)) });
      else svc.destinations.push(dest);
    }
    out.services.push(svc);
  }
  return out;
}
