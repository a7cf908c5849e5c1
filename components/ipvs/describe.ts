// How IPVS objects are named on screen and in URLs.
import type { AgentEdit, Destination, Service, ServiceKey } from '@/lib/ipvs';
import { destinationId, hostPort, maskToPrefix, serviceId, serviceKey } from '@/lib/ipvs';

/** A director's own page: its timeouts, sync daemons, counters and diagnostics. */
export function directorHref(director: string): string {
  return `/directors/${encodeURIComponent(director)}`;
}

export function serviceHref(director: string, sid: string): string {
  return `/directors/${encodeURIComponent(director)}/services/${encodeURIComponent(sid)}`;
}

export function connectionsHref(director: string, filter?: { dest?: string; virtual?: string }): string {
  const q = new URLSearchParams();
  if (filter?.dest) q.set('dest', filter.dest);
  if (filter?.virtual) q.set('virtual', filter.virtual);
  const qs = q.toString();
  return `/directors/${encodeURIComponent(director)}/connections${qs ? `?${qs}` : ''}`;
}

/** A URL segment back to its text (Next.js hands dynamic segments over still percent-encoded). */
export function decodeSegment(s: string): string {
  try {
    return s.includes('%') ? decodeURIComponent(s) : s;
  } catch {
    return s;
  }
}

export const PROTOCOL_LABEL: Record<Service['protocol'], string> = {
  tcp: 'TCP',
  udp: 'UDP',
  sctp: 'SCTP',
  fwmark: 'FWM',
};

/** 10.1.0.10:80, [2001:db8::1]:443, fwmark 1, fwmark 2 (IPv6). */
export function serviceAddress(s: ServiceKey | Service): string {
  const k = 'destinations' in s ? serviceKey(s) : s;
  if (k.protocol === 'fwmark') return `fwmark ${k.fwmark}${k.ipv6 ? ' (IPv6)' : ''}`;
  return hostPort(k.address, k.port);
}

export function serviceTitle(s: Service): string {
  return `${PROTOCOL_LABEL[s.protocol]} ${serviceAddress(s)}`;
}

export const FORWARD_LABEL: Record<Destination['forward'], { short: string; long: string }> = {
  masq: { short: 'NAT', long: 'NAT (masquerading, -m)' },
  route: { short: 'DR', long: 'Direct routing (gatewaying, -g)' },
  tunnel: { short: 'TUN', long: 'IP tunnel (-i)' },
  local: { short: 'Local', long: 'Local node' },
  bypass: { short: 'Bypass', long: 'Bypass' },
};

/** Tunnel details: ipip, gue:6080 nocsum, gre csum; '' for other methods. */
export function tunnelText(d: Destination): string {
  if (d.forward !== 'tunnel') return '';
  let t: string = d.tunnelType ?? 'ipip';
  if (d.tunnelPort) t += `:${d.tunnelPort}`;
  if (d.tunnelChecksum) t += ` ${d.tunnelChecksum}`;
  return t;
}

/** 600 s, 600 s /24, —. */
export function persistenceText(s: Pick<Service, 'persistent' | 'netmask' | 'address' | 'pe'>): string {
  if (s.persistent === undefined) return '—';
  let mask = '';
  if (s.netmask !== undefined) {
    const prefix = /^\d+$/.test(s.netmask) ? Number(s.netmask) : maskToPrefix(s.netmask);
    mask = prefix === null ? ` ${s.netmask}` : ` /${prefix}`;
  }
  return `${s.persistent} s${mask}${s.pe ? ` · pe ${s.pe}` : ''}`;
}

/** Schedulers that share connections in proportion to the weights (the others only treat weight 0 as "out"). */
const BY_WEIGHT = new Set(['wrr', 'wlc', 'sed', 'nq', 'lblc', 'lblcr', 'mh', 'ovf', 'twos']);
export function usesWeights(scheduler: string): boolean {
  return BY_WEIGHT.has(scheduler);
}

/** What an edit did, in one line, for the activity log. */
export function describeEdit(edit: AgentEdit): string {
  switch (edit.kind) {
    case 'add-service':
      return `added service ${serviceId(serviceKey(edit.service))}`;
    case 'edit-service':
      return `changed service ${serviceId(serviceKey(edit.service))} (scheduler ${edit.service.scheduler})`;
    case 'delete-service':
      return `deleted service ${serviceId(edit.service)}`;
    case 'add-destination':
      return `added real server ${destinationId(edit.destination)} to ${serviceId(edit.service)} (weight ${edit.destination.weight})`;
    case 'edit-destination':
      return `set real server ${destinationId(edit.destination)} of ${serviceId(edit.service)}: weight ${edit.destination.weight}, ${edit.destination.forward}`;
    case 'delete-destination':
      return `removed real server ${destinationId(edit.destination)} from ${serviceId(edit.service)}`;
    case 'set-weight':
      return `set weight of ${destinationId(edit.destination)} to ${edit.weight}`;
    case 'drain':
      return `drained ${destinationId(edit.destination)}${edit.removeWhenEmpty ? ' (removed when empty)' : ''}`;
    case 'undrain':
      return `cancelled the drain of ${destinationId(edit.destination)}`;
    case 'set-timeouts':
      return `set timeouts tcp ${edit.timeouts.tcp} s, tcpfin ${edit.timeouts.tcpfin} s, udp ${edit.timeouts.udp} s`;
    case 'zero':
      return edit.service ? `zeroed the counters of ${serviceId(edit.service)}` : 'zeroed all counters';
    case 'start-daemon':
      return `started the ${edit.daemon.state} sync daemon`;
    case 'stop-daemon':
      return `stopped the ${edit.state} sync daemon`;
  }
}

/** DR and TUN services: the director forwards requests only, so its "out" counters stay 0 whatever the traffic. */
export function directReturn(s: Service): boolean {
  return (
    s.destinations.length > 0 &&
    s.destinations.every((d) => d.forward === 'route' || d.forward === 'tunnel') &&
    !s.rate?.outBps
  );
}

export const DIRECT_RETURN_TITLE =
  'Direct routing / tunnel: replies go from the real servers straight to the clients, the director never sees them';
