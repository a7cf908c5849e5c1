// The stream of the netlink table reader (native/ipvs-dump.c: one JSON object per line, values as the kernel holds
// them) -> the same model the ipvsadm listings give once parsed and merged (parse-list.ts, services.ts): the agent may
// read the table either way and the dashboard cannot tell which. Where ipvsadm formats a kernel value (flag names,
// the persistence mask, tunnel info), the mapping here follows what ipvsadm 1.31 prints, checked against it on the
// real kernel (lab/tests/netlink.lab.test.ts) and on captures of both from one moment (__fixtures__/lab/netlink/).
import { ParseError, type ParseProblem } from './parse-error';
import { canonicalIP, formatIPv6, parseIPv6 } from './ip';
import { compareDestinations, compareServices, glibcMergeSort, ipv4Value, type OrderKey } from './ipvsadm-order';
import {
  checkRecord,
  type Counters,
  type DaemonRecord,
  type DestRecord,
  type EndRecord,
  type SvcRecord,
} from './netlink-records';
import { SyncDaemon, serviceId, serviceKey, type Destination, type Service, type Timeouts } from './model';

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

const PROTOCOL_BY_NUMBER: Readonly<{ [n: number]: 'tcp' | 'udp' | 'sctp' | undefined }> = {
  6: 'tcp',
  17: 'udp',
  132: 'sctp',
};
/** IP_VS_CONN_F_MASQ 0, _LOCALNODE 1, _TUNNEL 2, _DROUTE 3, _BYPASS 4 */
const FORWARD_BY_NUMBER: readonly Destination['forward'][] = ['masq', 'local', 'tunnel', 'route', 'bypass'];
const AF_INET6 = 10;
const SVC_F_PERSISTENT = 0x1;
const SVC_F_ONEPACKET = 0x4;
/** IP_VS_SVC_F_SCHED1..3, in the order ipvsadm lists them */
const SCHED_FLAG_BITS = [0x8, 0x10, 0x20] as const;
const SCHED_FLAGS = 0x38;
const TUN_FLAG_CSUM = 0x1;
const TUN_FLAG_REMCSUM = 0x2;

/** What ipvsadm calls the scheduler flags: sh and mh name their two, any other scheduler's are flag-1..3. */
export function schedulerFlagNames(scheduler: string, bits: number): string[] {
  if (!(bits & SCHED_FLAGS)) return [];
  const names =
    scheduler === 'sh' || scheduler === 'mh'
      ? [`${scheduler}-fallback`, `${scheduler}-port`, 'flag-3']
      : ['flag-1', 'flag-2', 'flag-3'];
  return SCHED_FLAG_BITS.flatMap((bit, i) => (bits & bit ? [names[i] as string] : []));
}

const stats = (c: Counters): Pick<Service, 'stats' | 'rate'> => ({
  stats: { conns: c[0], inPkts: c[1], outPkts: c[2], inBytes: c[3], outBytes: c[4] },
  rate: { cps: c[5], inPps: c[6], outPps: c[7], inBps: c[8], outBps: c[9] },
});

/** A service or real server record with its line number, its address's canonical text and its order key. */
type Entry<R> = OrderKey & { r: R; n: number; address: string };
interface Block {
  svc: Entry<SvcRecord>;
  dests: Entry<DestRecord>[];
}

function entry<R extends SvcRecord | DestRecord>(r: R, n: number, fwmark: number, protocol: number): Entry<R> {
  const { af, addr, port } = r;
  const v4 = ipv4Value(addr);
  if (v4 >= 0) return { r, n, address: addr, af, w0: v4, w1: 0, w2: 0, w3: 0, port, fwmark, protocol };
  const g = parseIPv6(addr) as number[]; // checkRecord held it an address
  // the words libipvs compares: its union nf_inet_addr as four 32-bit words in host order after ntohl
  const w = (i: number) => ((g[i] as number) * 65536 + (g[i + 1] as number)) >>> 0;
  return { r, n, address: formatIPv6(g), af, w0: w(0), w1: w(2), w2: w(4), w3: w(6), port, fwmark, protocol };
}

/** The service of a record, or the reason it does not map. */
function toService({ r, address }: Entry<SvcRecord>): Service | string {
  const flags = schedulerFlagNames(r.sched, r.flags);
  const persistent = (r.flags & SVC_F_PERSISTENT) !== 0;
  const ops = (r.flags & SVC_F_ONEPACKET) !== 0;
  let svc: Service;
  if (r.fwmark > 0)
    svc =
      r.af === AF_INET6
        ? { protocol: 'fwmark', fwmark: r.fwmark, ipv6: true, scheduler: r.sched, flags, ops, destinations: [] }
        : { protocol: 'fwmark', fwmark: r.fwmark, scheduler: r.sched, flags, ops, destinations: [] };
  else {
    const protocol = PROTOCOL_BY_NUMBER[r.protocol];
    if (!protocol) return `protocol: unknown IP protocol ${r.protocol}`;
    svc = { protocol, address, port: r.port, scheduler: r.sched, flags, ops, destinations: [] };
  }
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
function toDestination({ r, address }: Entry<DestRecord>): Destination | string {
  const forward = FORWARD_BY_NUMBER[r.fwd];
  if (!forward) return `forward: unknown forwarding method ${r.fwd}`;
  const d: Destination = {
    address,
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

interface Records {
  lines: string[];
  blocks: Block[];
  timeouts: Timeouts;
  daemons: { r: DaemonRecord; n: number }[];
}

/** The records of a stream, checked whole: header first, one end line last whose counts match what came between. */
function readRecords(text: string): Records {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const blocks: Block[] = [];
  const daemons: Records['daemons'] = [];
  let timeouts: Timeouts | undefined;
  let ended: EndRecord | undefined;
  let dests = 0;
  const values = jsonLines(lines);
  for (let i = 0; i < values.length; i++) {
    const n = i + 1;
    const r = checkRecord(values[i]);
    if (typeof r === 'string') throw new ParseError(n, lines[i] as string, r);
    if ((i === 0) !== (r.t === 'ipvs-dump'))
      throw new ParseError(n, lines[i] as string, 'the ipvs-dump header must come first, once');
    if (ended) throw new ParseError(n, lines[i] as string, 'a record after the end line');
    if (r.t === 'ipvs-dump') {
      if (r.version !== IPVS_DUMP_VERSION)
        throw new ParseError(
          n,
          lines[i] as string,
          `ipvs-dump stream version ${r.version}, this agent reads ${IPVS_DUMP_VERSION}`,
        );
    } else if (r.t === 'svc') blocks.push({ svc: entry(r, n, r.fwmark, r.protocol), dests: [] });
    else if (r.t === 'dest') {
      const block = blocks[blocks.length - 1];
      if (!block) throw new ParseError(n, lines[i] as string, 'a real server before any service');
      block.dests.push(entry(r, n, 0, 0));
      dests++;
    } else if (r.t === 'timeouts') timeouts = { tcp: r.tcp, tcpfin: r.tcpfin, udp: r.udp };
    else if (r.t === 'daemon') daemons.push({ r, n });
    else ended = r;
  }
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
  return { lines, blocks, timeouts, daemons };
}

function toDaemon({ r, n }: { r: DaemonRecord; n: number }, line: string): SyncDaemon {
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

const byServiceOrder = (a: Block, b: Block) => compareServices(a.svc, b.svc);

/** Decode a whole dump, in ipvsadm's order (ipvsadm-order.ts). A stream that is not one (no header, another version,
 * a line that is not a record, no end line or counts that disagree: a helper cut short) throws ParseError; a record
 * the model cannot hold is a problem. */
export function decodeIpvsDump(text: string): IpvsDump {
  const { lines, blocks, timeouts, daemons } = readRecords(text);
  const out: IpvsDump = {
    services: [],
    problems: [],
    timeouts,
    daemons: daemons.map((d) => toDaemon(d, lines[d.n - 1] as string)),
  };
  const problem = (n: number, reason: string): ParseProblem => ({
    lineNumber: n,
    line: lines[n - 1] as string,
    reason,
  });
  for (const b of glibcMergeSort(blocks, byServiceOrder)) {
    const svc = toService(b.svc);
    if (typeof svc === 'string') {
      out.problems.push(problem(b.svc.n, svc));
      continue;
    }
    for (const d of glibcMergeSort(b.dests, compareDestinations)) {
      const dest = toDestination(d);
      if (typeof dest === 'string') out.problems.push({ ...problem(d.n, dest), service: serviceId(serviceKey(svc)) });
      else svc.destinations.push(dest);
    }
    out.services.push(svc);
  }
  return out;
}
