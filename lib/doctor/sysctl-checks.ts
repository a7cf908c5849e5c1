// The IPVS sysctls that surprise people (Documentation/networking/ipvs-sysctl.rst): each reported with its value
// and meaning; a warning where the value is known to bite with the table this director holds.
import type { DoctorFacts, DoctorSysctl, Finding } from './facts';

interface SysctlRule {
  name: DoctorSysctl;
  meaning: string;
  /** The value to recommend, when the current one bites given the facts; null when it is fine. */
  bites: (value: string, f: DoctorFacts) => { want: string; why: string } | null;
}

const RULES: SysctlRule[] = [
  {
    name: 'net.ipv4.vs.conntrack',
    meaning:
      'When 1, IPVS keeps netfilter conntrack entries for its connections: needed when iptables/nftables rules match IPVS traffic by state or SNAT it, at a cost in speed and conntrack table space.',
    bites: () => null,
  },
  {
    name: 'net.ipv4.vs.conn_reuse_mode',
    meaning:
      'When not 0, a new connection from a reused client port is scheduled afresh instead of following the old entry (bit 1; bit 2 for the sync backup).',
    bites: (v, f) =>
      v === '0' && f.services.some((s) => s.destinations.some((d) => d.weight === 0))
        ? { want: '1', why: 'With 0, clients reusing ports keep reaching real servers drained to weight 0.' }
        : null,
  },
  {
    name: 'net.ipv4.vs.expire_nodest_conn',
    meaning:
      'When 1, a connection whose real server was removed is expired at its next packet; when 0 its packets are dropped until it times out.',
    bites: (v, f) =>
      v === '0' && f.services.length > 0
        ? { want: '1', why: 'With 0, clients of a removed real server hang until the entry times out (minutes).' }
        : null,
  },
  {
    name: 'net.ipv4.vs.expire_quiescent_template',
    meaning:
      'When 1, persistence templates that point at a real server with weight 0 are expired, so persistent clients move off a drained server.',
    bites: (v, f) =>
      v === '0' && f.services.some((s) => s.persistent !== undefined)
        ? {
            want: '1',
            why: 'With 0 and persistent services, clients stay on a real server set to weight 0 until their template times out.',
          }
        : null,
  },
  {
    name: 'net.ipv4.vs.sloppy_tcp',
    meaning:
      'When 1, IPVS creates a connection entry from any TCP packet, not only a SYN: lets a backup director take over established connections without the sync daemon.',
    bites: () => null,
  },
  {
    name: 'net.ipv4.vs.snat_reroute',
    meaning:
      "When 1, replies of NAT real servers are routed again after their source is rewritten to the VIP, as if sent by the director (matters with policy routing on the VIP's source).",
    bites: () => null,
  },
];

export function sysctlFindings(f: DoctorFacts): Finding[] {
  const out: Finding[] = [];
  for (const r of RULES) {
    const value = f.sysctls[r.name];
    if (value === undefined) continue;
    const bite = r.bites(value, f);
    out.push(
      bite
        ? {
            id: `sysctl:${r.name}`,
            severity: 'warning',
            message: `${r.name} = ${value}`,
            why: `${bite.why} ${r.meaning}`,
            fix: `sysctl -w ${r.name}=${bite.want}`,
          }
        : { id: `sysctl:${r.name}`, severity: 'info', message: `${r.name} = ${value}`, why: r.meaning, fix: null },
    );
  }
  return out;
}
