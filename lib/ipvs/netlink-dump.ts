// The stream of the netlink table reader (native/ipvs-dump.c: one JSON array per line, values as the kernel holds
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
export const IPVS_DUMP_VERSION = 2;

export interface IpvsDump {
  services: Service[];
  /** Records that did not map to the model (an unknown protocol, forwarding method or tunnel type): skipped and named,
   * like the unreadable lines of a lenient listing parse; a service's real servers go with it. */
  problems: ParseProblem[];
  timeouts: Timeouts;
  daemons: SyncDaemon[];
  /** This dump's services that decoded whole, by the text of their block (the service's line and its real servers'
   * lines): the next read, given this dump, hands back the same object for a block of the same text. */
  blocks: DecodedBlocks;
}

/** A service that decoded whole, with its order key and how many real servers' lines its block holds. */
export interface DecodedBlock {
  svc: OrderKey & { value: Service };
  dests: number;
}
export type DecodedBlocks = ReadonlyMap<string, DecodedBlock>;

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

/** A service or real server as the model holds it (or why it cannot), with its line (number, and where it starts in
 * the stream) and its order key. */
type Entry<V> = OrderKey & { value: V | string; n: number; start: number };
interface Block {
  svc: Entry<Service>;
  dests: Entry<Destination>[];
  /** The block's text: the service's line through its last real server's line. */
  text: string;
  /** The last dump's block of the same text, its service destinations and all: nothing to decode or order. */
  kept?: DecodedBlock;
}

function entry(r: SvcRecord, n: number, start: number): Entry<Service>;
function entry(r: DestRecord, n: number, start: number): Entry<Destination>;
function entry(r: SvcRecord | DestRecord, n: number, start: number): Entry<Service | Destination> {
  const { af, addr, port } = r;
  const fwmark = r.t === 'svc' ? r.fwmark : 0;
  const protocol = r.t === 'svc' ? r.protocol : 0;
  const v4 = ipv4Value(addr);
  const g = v4 >= 0 ? null : (parseIPv6(addr) as number[]); // checkRecord held it an address
  const address = g ? formatIPv6(g) : addr;
  const value = r.t === 'svc' ? toService(r, address) : toDestination(r, address);
  if (!g) return { value, n, start, af, w0: v4, w1: 0, w2: 0, w3: 0, port, fwmark, protocol };
  // the words libipvs compares: its union nf_inet_addr as four 32-bit words in host order after ntohl
  const w = (i: number) => ((g[i] as number) * 65536 + (g[i + 1] as number)) >>> 0;
  return { value, n, start, af, w0: w(0), w1: w(2), w2: w(4), w3: w(6), port, fwmark, protocol };
}

/** The service of a record, or the reason it does not map. */
function toService(r: SvcRecord, address: string): Service | string {
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

/** The real server of a record, or the reason it does not map. One object literal in the model's key order (the
 * tunnel's fields, rare, go between the thresholds and the counters as ipvsadm's parse puts them). */
function toDestination(r: DestRecord, address: string): Destination | string {
  const forward = FORWARD_BY_NUMBER[r.fwd];
  if (!forward) return `forward: unknown forwarding method ${r.fwd}`;
  const c = r.stats;
  const stats = { conns: c[0], inPkts: c[1], outPkts: c[2], inBytes: c[3], outBytes: c[4] };
  const rate = { cps: c[5], inPps: c[6], outPps: c[7], inBps: c[8], outBps: c[9] };
  if (forward !== 'tunnel')
    return {
      address,
      port: r.port,
      forward,
      weight: r.weight,
      activeConns: r.active,
      inactiveConns: r.inactive,
      persistConns: r.persist,
      upperThreshold: r.uthresh,
      lowerThreshold: r.lthresh,
      stats,
      rate,
    };
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
  const checksum = r.tunFlags & TUN_FLAG_REMCSUM ? 'remcsum' : r.tunFlags & TUN_FLAG_CSUM ? 'csum' : 'nocsum';
  if (r.tunType === 0) d.tunnelType = 'ipip';
  else if (r.tunType === 1) Object.assign(d, { tunnelType: 'gue', tunnelPort: r.tunPort, tunnelChecksum: checksum });
  else if (r.tunType === 2) Object.assign(d, { tunnelType: 'gre', tunnelChecksum: checksum });
  else return `tunnelType: unknown tunnel type ${r.tunType}`;
  return Object.assign(d, { stats, rate });
}

const DAEMON_STATES: Readonly<{ [n: number]: SyncDaemon['state'] | undefined }> = { 1: 'master', 2: 'backup' };

interface Records {
  blocks: Block[];
  timeouts: Timeouts;
  daemons: { r: DaemonRecord; n: number; line: string }[];
}

/** Lines (or services, when ordering them) between two pauses of decodeIpvsDumpSteps: a few ms under the lab's TCG. */
export const DECODE_STEP = 256;

const SVC_LINE = '["svc",';
const DEST_LINE = '["dest",';

/** Where the block of the service whose line starts at `start` ends (a newline or the end of the text), and its lines. */
function blockEnd(text: string, start: number): { end: number; lines: number } {
  let end = start - 1;
  let lines = 0;
  do {
    end = text.indexOf('\n', end + 1);
    if (end < 0) end = text.length;
    lines++;
  } while (end < text.length && text.startsWith(DEST_LINE, end + 1));
  return { end, lines };
}

/** The records of a stream, checked whole: header first, one end line last whose counts match what came between.
 * Each line is parsed and mapped to the model on its own, so its JSON value dies young: parsing the whole stream at
 * once kept 220,000 objects of a 10,000 x 10 table alive, each copied by the collector, until the end. A service's
 * block the same, to the byte, as one of `last` is that block's service again, not parsed: a table read every tick
 * mostly holds the same configuration and, on an idle service, the same counters (and the publish that follows skips
 * a service it already holds by object). Pauses (yields) every DECODE_STEP lines. */
function* readRecords(text: string, last: DecodedBlocks | undefined): Generator<void, Records> {
  const blocks: Block[] = [];
  const daemons: Records['daemons'] = [];
  let timeouts: Timeouts | undefined;
  let ended: EndRecord | undefined;
  let dests = 0;
  let n = 0;
  let line = '';
  /** Where the block of the service being read ends. */
  let inBlockUntil = -1;
  let pendingText = '';
  for (let start = 0, end = 0; start < text.length; start = end + 1) {
    if (n > 0 && !ended && start > inBlockUntil && text.startsWith(SVC_LINE, start)) {
      const block = blockEnd(text, start);
      inBlockUntil = block.end;
      const blockText = text.slice(start, block.end);
      const kept = last?.get(blockText);
      if (kept) {
        if (Math.floor(n / DECODE_STEP) !== Math.floor((n + block.lines) / DECODE_STEP)) yield;
        blocks.push({ svc: { ...kept.svc, n: n + 1, start }, dests: [], text: blockText, kept });
        n += block.lines;
        dests += kept.dests;
        end = block.end;
        line = text.slice(text.lastIndexOf('\n', end - 1) + 1, end); // the last line read, for an error after it
        continue;
      }
      pendingText = blockText;
    }
    end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line = text.slice(start, end);
    if (++n % DECODE_STEP === 0) yield;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ParseError(n, line, 'not a JSON record of ipvs-dump');
    }
    const r = checkRecord(value);
    if (typeof r === 'string') throw new ParseError(n, line, r);
    if ((n === 1) !== (r.t === 'ipvs-dump'))
      throw new ParseError(n, line, 'the ipvs-dump header must come first, once');
    if (ended) throw new ParseError(n, line, 'a record after the end line');
    if (r.t === 'ipvs-dump') {
      if (r.version !== IPVS_DUMP_VERSION)
        throw new ParseError(n, line, `ipvs-dump stream version ${r.version}, this agent reads ${IPVS_DUMP_VERSION}`);
    } else if (r.t === 'svc') {
      blocks.push({ svc: entry(r, n, start), dests: [], text: pendingText });
      pendingText = '';
    } else if (r.t === 'dest') {
      const block = blocks[blocks.length - 1];
      if (!block) throw new ParseError(n, line, 'a real server before any service');
      if (start > inBlockUntil) {
        // past a line of another kind (not what the helper writes): its service's block is not one piece of text
        if (block.kept) return yield* readRecords(text, undefined);
        block.text = '';
      }
      block.dests.push(entry(r, n, start));
      dests++;
    } else if (r.t === 'timeouts') timeouts = { tcp: r.tcp, tcpfin: r.tcpfin, udp: r.udp };
    else if (r.t === 'daemon') daemons.push({ r, n, line });
    else ended = r;
  }
  if (!ended) throw new ParseError(n, line, 'no end line: the ipvs-dump stream was cut short');
  if (ended.services !== blocks.length || ended.dests !== dests)
    throw new ParseError(
      n,
      line,
      `the end line counts ${ended.services} services and ${ended.dests} real servers, the stream held ${blocks.length} and ${dests}`,
    );
  if (!timeouts) throw new ParseError(n, line, 'no timeouts record');
  return { blocks, timeouts, daemons };
}

function toDaemon({ r, n, line }: Records['daemons'][number]): SyncDaemon {
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
export function decodeIpvsDump(text: string, last?: IpvsDump): IpvsDump {
  const steps = decodeIpvsDumpSteps(text, last);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** decodeIpvsDump in steps of a bounded amount of work (DECODE_STEP lines or services, the one sort of the services
 * aside): the agent runs them with turns of its event loop between them (server/agent/netlink-backend.ts). `last`: the
 * dump before this one, whose services this one keeps where their blocks' text is the same. */
export function* decodeIpvsDumpSteps(text: string, last?: IpvsDump): Generator<void, IpvsDump> {
  const { blocks, timeouts, daemons } = yield* readRecords(text, last?.blocks);
  const decoded = new Map<string, DecodedBlock>();
  const out: IpvsDump = { services: [], problems: [], timeouts, daemons: daemons.map(toDaemon), blocks: decoded };
  const problem = ({ n, start }: Entry<unknown>, reason: string): ParseProblem => {
    const end = text.indexOf('\n', start);
    return { lineNumber: n, line: text.slice(start, end < 0 ? text.length : end), reason };
  };
  const sorted = glibcMergeSort(blocks, byServiceOrder);
  for (let i = 0; i < sorted.length; i++) {
    if (i % DECODE_STEP === DECODE_STEP - 1) yield;
    const b = sorted[i] as Block;
    const svc = b.svc.value;
    if (typeof svc === 'string') {
      out.problems.push(problem(b.svc, svc));
      continue;
    }
    if (b.kept) decoded.set(b.text, b.kept);
    else {
      let whole = true;
      for (const d of glibcMergeSort(b.dests, compareDestinations)) {
        if (typeof d.value === 'string') {
          out.problems.push({ ...problem(d, d.value), service: serviceId(serviceKey(svc)) });
          whole = false;
        } else svc.destinations.push(d.value);
      }
      // a block with a problem decodes again each time: its problem's line number is where it is now
      if (whole && b.text) decoded.set(b.text, { svc: b.svc as DecodedBlock['svc'], dests: b.dests.length });
    }
    out.services.push(svc);
  }
  return out;
}
