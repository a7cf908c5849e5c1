// The IPVS domain model: zod schemas and the types inferred from them. Field names are a JSON contract shared by the
// agent, the hub, the browser and other tools (see the foundation issue); do not rename them.
import { z } from 'zod';
import { formatIPv6, ipFamily, parseIPv6 } from './ip';

export const PROTOCOLS = ['tcp', 'udp', 'sctp', 'fwmark'] as const;
export const FORWARDS = ['masq', 'route', 'tunnel', 'local', 'bypass'] as const;
export const TUNNEL_TYPES = ['ipip', 'gue', 'gre'] as const;
export const TUNNEL_CHECKSUMS = ['nocsum', 'csum', 'remcsum'] as const;
/** Schedulers ipvsadm 1.31 knows; `twos` exists in newer kernels only, so the kernel may still refuse it. */
export const SCHEDULERS = [
  'rr',
  'wrr',
  'lc',
  'wlc',
  'lblc',
  'lblcr',
  'dh',
  'sh',
  'sed',
  'nq',
  'fo',
  'ovf',
  'mh',
  'twos',
] as const;
/** Scheduler flags, by the scheduler that honours them. */
export const SCHED_FLAGS = {
  sh: ['sh-fallback', 'sh-port'],
  mh: ['mh-fallback', 'mh-port'],
} as const satisfies Partial<Record<(typeof SCHEDULERS)[number], readonly string[]>>;
export const ALL_SCHED_FLAGS = [...SCHED_FLAGS.sh, ...SCHED_FLAGS.mh] as const;
export const PERSISTENCE_ENGINES = ['sip'] as const;
export const MAX_FWMARK = 2 ** 32 - 1;
export const MAX_WEIGHT = 65535;

export const ipAddress = z.string().refine((s) => ipFamily(s) !== 0, { message: 'not an IPv4 or IPv6 address' });
export const port = z.number().int().min(0).max(65535);
const counter = z.number().int().min(0);

export const Stats = z.object({
  conns: counter,
  inPkts: counter,
  outPkts: counter,
  inBytes: counter,
  outBytes: counter,
  /** Set when any value came from a suffixed listing (123K): then it is rounded down, not exact. */
  approximate: z.literal(true).optional(),
});
export type Stats = z.infer<typeof Stats>;

export const Rate = z.object({
  cps: counter,
  inPps: counter,
  outPps: counter,
  inBps: counter,
  outBps: counter,
  approximate: z.literal(true).optional(),
});
export type Rate = z.infer<typeof Rate>;

export const Destination = z.object({
  address: ipAddress,
  port,
  forward: z.enum(FORWARDS),
  weight: z.number().int().min(0).max(MAX_WEIGHT),
  activeConns: counter,
  inactiveConns: counter,
  persistConns: counter.optional(),
  upperThreshold: counter.optional(),
  lowerThreshold: counter.optional(),
  tunnelType: z.enum(TUNNEL_TYPES).optional(),
  tunnelPort: port.optional(),
  tunnelChecksum: z.enum(TUNNEL_CHECKSUMS).optional(),
  stats: Stats.optional(),
  rate: Rate.optional(),
});
export type Destination = z.infer<typeof Destination>;

export const Service = z.object({
  protocol: z.enum(PROTOCOLS),
  address: ipAddress.optional(),
  port: port.optional(),
  fwmark: z.number().int().min(1).max(MAX_FWMARK).optional(),
  /** fwmark services only: the service is IPv6 (`ipvsadm -6`); an address-based service's family is its address's. */
  ipv6: z.literal(true).optional(),
  scheduler: z.string().min(1),
  flags: z.array(z.string()),
  persistent: z.number().int().min(1).optional(),
  netmask: z.string().optional(),
  ops: z.boolean(),
  pe: z.string().optional(),
  destinations: z.array(Destination),
  stats: Stats.optional(),
  rate: Rate.optional(),
});
export type Service = z.infer<typeof Service>;

export const ConnectionEntry = z.object({
  protocol: z.string(),
  state: z.string(),
  expires: z.number().int().min(0),
  clientAddress: z.string(),
  clientPort: port,
  virtualAddress: z.string(),
  virtualPort: port,
  destAddress: z.string(),
  destPort: port,
  /** A persistence template: client port 0 (state NONE on older kernels, ASSURED on newer). */
  template: z.boolean(),
  peName: z.string().optional(),
  peData: z.string().optional(),
});
export type ConnectionEntry = z.infer<typeof ConnectionEntry>;

/** The fwmark of a fwmark persistence template: the kernel lists those with protocol IP and the mark in the first 32
 * bits of the virtual address (captured: 00000001 -> 0.0.0.1, and for IPv6 0000:0003:0000:... -> 0:3::). Undefined
 * for every other entry. */
export function connectionFwmark(c: Pick<ConnectionEntry, 'protocol' | 'virtualAddress'>): number | undefined {
  if (c.protocol !== 'ip') return undefined;
  const groups = parseIPv6(c.virtualAddress);
  if (groups) {
    if (groups.slice(2).some((g) => g !== 0)) return undefined;
    return (groups[0] ?? 0) * 65536 + (groups[1] ?? 0);
  }
  const parts = c.virtualAddress.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** The virtual addresses a fwmark template of `mark` can carry (see connectionFwmark), IPv4 and IPv6. */
export function fwmarkAddresses(mark: number): string[] {
  const v4 = [mark >>> 24, (mark >>> 16) & 255, (mark >>> 8) & 255, mark & 255].join('.');
  return [v4, formatIPv6([mark >>> 16, mark & 0xffff, 0, 0, 0, 0, 0, 0])];
}

/** The virtual side of a connection entry as an operator reads it: `fwmark N` for a fwmark template, else address:port. */
export function connectionVirtual(c: Pick<ConnectionEntry, 'protocol' | 'virtualAddress' | 'virtualPort'>): string {
  const mark = connectionFwmark(c);
  return mark === undefined ? hostPort(c.virtualAddress, c.virtualPort) : `fwmark ${mark}`;
}

export const Timeouts = z.object({
  tcp: z.number().int().min(0),
  tcpfin: z.number().int().min(0),
  udp: z.number().int().min(0),
});
export type Timeouts = z.infer<typeof Timeouts>;

export const SyncDaemon = z.object({
  state: z.enum(['master', 'backup']),
  // The kernel's dev_valid_name (1-15 bytes, no whitespace, '/' or ':', not '.' or '..'), in printable ASCII, and no
  // leading '-' that ipvsadm could read as an option.
  mcastInterface: z
    .string()
    .regex(
      /^(?!\.\.?$)(?!-)[\x21-\x2e\x30-\x39\x3b-\x7e]{1,15}$/,
      'must be a network interface name: 1-15 letters, digits or punctuation, no spaces, "/" or ":", not "." or "..", not starting with "-"',
    ),
  syncId: z.number().int().min(0).max(255),
  maxlen: z.number().int().min(1).optional(),
  group: ipAddress.optional(),
  port: port.optional(),
  ttl: z.number().int().min(1).max(255).optional(),
});
export type SyncDaemon = z.infer<typeof SyncDaemon>;

/** The identity of a virtual service: what ipvsadm's `-t/-u/--sctp-service/-f` names. */
export type ServiceKey =
  | { protocol: 'tcp' | 'udp' | 'sctp'; address: string; port: number }
  | { protocol: 'fwmark'; fwmark: number; ipv6?: true };

export function serviceKey(s: Pick<Service, 'protocol' | 'address' | 'port' | 'fwmark' | 'ipv6'>): ServiceKey {
  if (s.protocol === 'fwmark')
    return s.ipv6
      ? { protocol: 'fwmark', fwmark: s.fwmark ?? 0, ipv6: true }
      : { protocol: 'fwmark', fwmark: s.fwmark ?? 0 };
  return { protocol: s.protocol, address: s.address ?? '', port: s.port ?? 0 };
}

export function isIPv6Service(s: ServiceKey): boolean {
  return s.protocol === 'fwmark' ? s.ipv6 === true : ipFamily(s.address) === 6;
}

/** `tcp/10.1.0.10:80`, `udp/[2001:db8::1]:53`, `fwmark/1`, `fwmark6/2`: a stable string id for maps and URLs. */
export function serviceId(s: ServiceKey): string {
  if (s.protocol === 'fwmark') return `${s.ipv6 ? 'fwmark6' : 'fwmark'}/${s.fwmark}`;
  return `${s.protocol}/${hostPort(s.address, s.port)}`;
}

export function destinationId(d: Pick<Destination, 'address' | 'port'>): string {
  return hostPort(d.address, d.port);
}

export function hostPort(address: string, p: number | string): string {
  return address.includes(':') ? `[${address}]:${p}` : `${address}:${p}`;
}
