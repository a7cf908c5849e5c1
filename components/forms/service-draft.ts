// The add/edit virtual service form's draft (what the boxes hold) and its check with the schemas the agent uses.
import { ServiceConfig, type Service } from '@/lib/ipvs';
import { finishCheck, numberReader, type Errors } from './edit';

export const FIELDS = [
  'protocol',
  'address',
  'port',
  'fwmark',
  'ipv6',
  'scheduler',
  'flags',
  'persistent',
  'netmask',
  'ops',
  'pe',
] as const;
export type FieldName = (typeof FIELDS)[number];

export interface Draft {
  protocol: Service['protocol'];
  address: string;
  port: string;
  fwmark: string;
  ipv6: boolean;
  scheduler: string;
  flags: string[];
  persistent: boolean;
  timeout: string;
  netmask: string;
  ops: boolean;
  pe: string;
}

export const SCHEDULER_NAMES: Record<string, string> = {
  rr: 'round robin',
  wrr: 'weighted round robin',
  lc: 'least connection',
  wlc: 'weighted least connection',
  lblc: 'locality-based least conn.',
  lblcr: 'locality-based least conn. w/ replication',
  dh: 'destination hashing',
  sh: 'source hashing',
  sed: 'shortest expected delay',
  nq: 'never queue',
  fo: 'weighted failover',
  ovf: 'weighted overflow',
  mh: 'maglev hashing',
  twos: 'weighted random twos choice (newer kernels)',
};

export const FLAG_NAMES: Record<string, string> = {
  'sh-fallback': 'fallback: skip unavailable servers',
  'sh-port': 'hash the source port too',
  'mh-fallback': 'fallback: skip unavailable servers',
  'mh-port': 'hash the source port too',
};

export function draftOf(s?: Service): Draft {
  return {
    protocol: s?.protocol ?? 'tcp',
    address: s?.address ?? '',
    port: s?.port === undefined ? '' : String(s.port),
    fwmark: s?.fwmark === undefined ? '' : String(s.fwmark),
    ipv6: s?.ipv6 === true,
    scheduler: s?.scheduler ?? 'wlc',
    flags: s?.flags ?? [],
    persistent: s?.persistent !== undefined,
    timeout: String(s?.persistent ?? 300),
    netmask: s?.netmask ?? '',
    ops: s?.ops ?? false,
    pe: s?.pe ?? '',
  };
}

/** Build the ServiceConfig from the form and check it with the same schemas the agent uses. */
export function checkService(
  d: Draft,
  kind: 'add-service' | 'edit-service',
): { config?: ServiceConfig; errors: Errors<FieldName> } {
  const errors: Errors<FieldName> = {};
  const out: Record<string, unknown> = { protocol: d.protocol, scheduler: d.scheduler, flags: d.flags, ops: d.ops };
  const num = numberReader(errors, out);
  if (d.protocol === 'fwmark') {
    num('fwmark', d.fwmark, 'firewall mark');
    if (d.ipv6) out.ipv6 = true;
  } else {
    if (d.address.trim()) out.address = d.address.trim();
    num('port', d.port, 'port');
  }
  if (d.persistent) {
    num('persistent', d.timeout, 'persistence timeout');
    if (d.netmask.trim()) out.netmask = d.netmask.trim();
    if (d.pe) out.pe = d.pe;
  }
  return finishCheck(ServiceConfig, out, errors, FIELDS, 'protocol', (service) => ({ kind, service }));
}
