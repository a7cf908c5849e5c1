// Label values as node_exporter's IPVS collector writes them (collector/ipvs_linux.go on prometheus/procfs's
// /proc/net/ip_vs parser), so that Grafana boards built for it match our series unchanged.
import { canonicalIP, serviceId, serviceKey, type Destination, type Service } from '../ipvs';

export const NODE_BACKEND_LABELS = [
  'local_address',
  'local_port',
  'remote_address',
  'remote_port',
  'proto',
  'local_mark',
] as const;
export const SERVICE_LABELS = ['service', 'proto', 'local_address', 'local_port', 'local_mark'] as const;
export const BACKEND_LABELS = [...SERVICE_LABELS, 'remote_address', 'remote_port'] as const;

export type LabelValues = Record<string, string>;

/** The protocol column of /proc/net/ip_vs, which node_exporter copies into `proto`. */
const PROC_PROTO = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP', fwmark: 'FWM' } as const;

/** Go's net.IP.String(), which node_exporter prints: RFC 5952 like ours, except that an IPv4-mapped IPv6 address
 * reads as plain IPv4. */
export function goIP(address: string): string {
  const canonical = canonicalIP(address);
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!m) return canonical;
  const hi = parseInt(m[1] as string, 16);
  const lo = parseInt(m[2] as string, 16);
  return `${hi >>> 8}.${hi & 255}.${lo >>> 8}.${lo & 255}`;
}

/** A fwmark as the kernel prints it in /proc/net/ip_vs (%08X). */
export function procMark(fwmark: number): string {
  return fwmark.toString(16).toUpperCase().padStart(8, '0');
}

/** The virtual side: a fwmark service has local_address="" and local_port="0", an address service local_mark="". */
export function serviceLabels(s: Service): LabelValues {
  const fwmark = s.protocol === 'fwmark';
  return {
    service: serviceId(serviceKey(s)),
    proto: PROC_PROTO[s.protocol],
    local_address: fwmark ? '' : goIP(s.address ?? ''),
    local_port: fwmark ? '0' : String(s.port ?? 0),
    local_mark: fwmark ? procMark(s.fwmark ?? 0) : '',
  };
}

export function backendLabels(service: LabelValues, d: Destination): LabelValues {
  return { ...service, remote_address: goIP(d.address), remote_port: String(d.port) };
}

/** node_exporter's label set for a real server: the service's and real server's, without our `service` id. */
export function nodeBackendLabels(backend: LabelValues): LabelValues {
  const out: LabelValues = {};
  for (const k of NODE_BACKEND_LABELS) out[k] = backend[k] ?? '';
  return out;
}

/** procfs (and so node_exporter) knows only TCP, UDP and FWM service lines: it files an SCTP service's real servers
 * under the service listed before it. We leave them out of node_ipvs_* rather than mislabel them; lvs_* has them. */
export function nodeExporterReads(s: Service): boolean {
  return s.protocol !== 'sctp';
}
