// What the doctor looks at, gathered on the director by server/agent/doctor and checked by the pure rules in
// checks.ts. The `ip -j` shapes are iproute2's JSON output (fixtures captured from `ip -j addr show` and
// `ip -j route get ADDR`); only the fields the checks read are kept.
import { z } from 'zod';
import { Service } from '../ipvs/model';

export const IpAddrLink = z.object({
  ifname: z.string(),
  addr_info: z.array(z.object({ family: z.string(), local: z.string(), prefixlen: z.number().int() })),
});
export const IpAddrShow = z.array(IpAddrLink);
export type IpAddrLink = z.infer<typeof IpAddrLink>;

export const IpRoute = z.object({
  dst: z.string(),
  dev: z.string().optional(),
  gateway: z.string().optional(),
  type: z.string().optional(),
});
export const IpRouteGet = z.array(IpRoute).length(1);
export type IpRoute = z.infer<typeof IpRoute>;

/** `ip route get` of one address: the route the kernel picks, or the reason it has none (`ip`'s stderr). */
export type RouteLookup = { route: IpRoute } | { error: string };

export const DOCTOR_SYSCTLS = [
  'net.ipv4.ip_forward',
  'net.ipv6.conf.all.forwarding',
  'net.ipv4.vs.conntrack',
  'net.ipv4.vs.conn_reuse_mode',
  'net.ipv4.vs.expire_nodest_conn',
  'net.ipv4.vs.expire_quiescent_template',
  'net.ipv4.vs.sloppy_tcp',
  'net.ipv4.vs.snat_reroute',
] as const;
export type DoctorSysctl = (typeof DOCTOR_SYSCTLS)[number];

export interface DoctorFacts {
  /** Loaded module names from /proc/modules; null when it cannot be read (built-in only kernels, containers). */
  modules: string[] | null;
  /** The first line of /proc/net/ip_vs (`IP Virtual Server version 1.2.1 (size=4096)`); null when it is absent. */
  ipvsVersionLine: string | null;
  services: Service[];
  /** Values as the kernel prints them, trimmed; a sysctl the kernel does not have is missing. */
  sysctls: Partial<Record<DoctorSysctl, string>>;
  addresses: IpAddrLink[];
  /** Keyed by address: every VIP and every real server. */
  routes: Record<string, RouteLookup>;
  /** Process names from /proc/PID/comm. */
  processes: string[];
}

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FindingSchema = z.object({
  id: z.string(),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  why: z.string(),
  /** The exact command that fixes it; null when there is nothing to run. */
  fix: z.string().nullable(),
  /** The virtual services it is about (their ids, tcp/10.1.0.10:80), when it is about some: shown on their pages. */
  services: z.array(z.string()).optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** One run of the doctor on a director, as the dashboard receives it from the agent. */
export const DoctorReport = z.object({
  findings: z.array(FindingSchema),
  /** When the agent gathered the facts (ms since epoch). */
  checkedAt: z.number(),
  /** The facts are those of a simulated director's made-up host, not a kernel's. */
  simulated: z.literal(true).optional(),
});
export type DoctorReport = z.infer<typeof DoctorReport>;
