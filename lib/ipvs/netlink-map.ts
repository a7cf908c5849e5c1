// One record of the netlink table reader's stream (netlink-records.ts) -> the model's service, real server or sync
// daemon. Where ipvsadm formats a kernel value (flag names, the persistence mask, tunnel info), the mapping follows
// what ipvsadm 1.31 prints, checked against it on the real kernel (lab/tests/netlink.lab.test.ts) and on captures of
// both from one moment (__fixtures__/lab/netlink/).
import { ParseError } from './parse-error';
import { canonicalIP, formatIPv6, parseIPv6 } from './ip';
import { ipv4Value, type OrderKey } from './ipvsadm-order';
import type { Counters, DaemonRecord, DestRecord, SvcRecord } from './netlink-records';
import { SyncDaemon, type Destination, type Service } from './model';

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

/** A service or real server as the model holds it, or why it cannot (then with its line, to name it), with its line
 * number and its order key. */
export type Entry<V> = OrderKey & { value: V | string; n: number; line?: string };

/** The entry of a service's or real server's record, on line `n` of the stream. */
export function entry(r: SvcRecord, n: number, line: string): Entry<Service>;
export function entry(r: DestRecord, n: number, line: string): Entry<Destination>;
export function entry(r: SvcRecord | DestRecord, n: number, line: string): Entry<Service | Destination> {
  const { af, addr, port } = r;
  const fwmark = r.t === 'svc' ? r.fwmark : 0;
  const protocol = r.t === 'svc' ? r.protocol : 0;
  const v4 = ipv4Value(addr);
  const g = v4 >= 0 ? null : (parseIPv6(addr) as number[]); // checkRecord held it an address
  const address = g ? formatIPv6(g) : addr;
  const value = r.t === 'svc' ? toService(r, address) : toDestination(r, address);
  // the line only for a problem: a whole entry may be kept for many reads, and its line would keep its stream alive
  const e: Entry<Service | Destination> =
    typeof value === 'string'
      ? { value, n, line, af, w0: v4, w1: 0, w2: 0, w3: 0, port, fwmark, protocol }
      : { value, n, af, w0: v4, w1: 0, w2: 0, w3: 0, port, fwmark, protocol };
  if (!g) return e;
  // the words libipvs compares: its union nf_inet_addr as four 32-bit words in host order after ntohl
  const w = (i: number) => ((g[i] as number) * 65536 + (g[i + 1] as number)) >>> 0;
  e.w0 = w(0);
  e.w1 = w(2);
  e.w2 = w(4);
  e.w3 = w(6);
  return e;
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

export function toDaemon(r: DaemonRecord, n: number, line: string): SyncDaemon {
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
