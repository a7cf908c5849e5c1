// The director doctor's rules: pure functions from gathered facts to findings, each with what is wrong, why it
// matters, and the exact command that fixes it.
import { canonicalIP, ipFamily } from '../ipvs/ip';
import { serviceId, serviceKey, type Service } from '../ipvs/model';
import type { DoctorFacts, Finding } from './facts';
import { sysctlFindings } from './sysctl-checks';

const FORWARD_NAMES = { masq: 'NAT', route: 'DR', tunnel: 'TUN', local: 'local', bypass: 'bypass' } as const;

function moduleCheck(f: DoctorFacts): Finding[] {
  if (f.ipvsVersionLine === null && !(f.modules ?? []).includes('ip_vs'))
    return [
      {
        id: 'ipvs-not-loaded',
        severity: 'error',
        message: 'The ip_vs module is not loaded (no /proc/net/ip_vs)',
        why: 'Without ip_vs the kernel balances nothing: ipvsadm fails and no virtual service exists.',
        fix: 'modprobe ip_vs',
      },
    ];
  const version = /version (\S+)/.exec(f.ipvsVersionLine ?? '')?.[1];
  const size = /size=(\d+)/.exec(f.ipvsVersionLine ?? '')?.[1];
  return [
    {
      id: 'ipvs-loaded',
      severity: 'info',
      message: `ip_vs is loaded${version ? `, version ${version}` : ''}${size ? `, connection hash table size ${size}` : ''}`,
      why: 'The hash table size is fixed when the module loads (ip_vs conn_tab_bits); more entries than that only make lookups slower.',
      fix: null,
    },
  ];
}

function schedulerCheck(f: DoctorFacts): Finding[] {
  const inUse = [...new Set(f.services.map((s) => s.scheduler))].sort();
  if (f.modules === null)
    return inUse.length === 0
      ? []
      : [
          {
            id: 'schedulers',
            severity: 'info',
            message: `Schedulers in use: ${inUse.join(', ')} (loaded modules cannot be read)`,
            why: 'A scheduler comes from its module ip_vs_NAME, loaded on first use.',
            fix: null,
          },
        ];
  const loaded = f.modules.filter((m) => /^ip_vs_[a-z]+$/.test(m) && m !== 'ip_vs_ftp').map((m) => m.slice(6));
  return [
    {
      id: 'schedulers',
      severity: 'info',
      message: `Scheduler modules loaded: ${loaded.sort().join(', ') || 'none'}; in use: ${inUse.join(', ') || 'none'}`,
      why: 'A scheduler comes from its module ip_vs_NAME; ipvsadm loads it on first use, and fails if the kernel lacks it.',
      fix: null,
    },
  ];
}

function forwardingCheck(f: DoctorFacts): Finding[] {
  const out: Finding[] = [];
  const nat = f.services.filter((s) => s.destinations.some((d) => d.forward === 'masq'));
  const v4 = nat.filter((s) => !isV6(s));
  const v6 = nat.filter(isV6);
  if (v4.length > 0 && f.sysctls['net.ipv4.ip_forward'] !== '1')
    out.push({
      id: 'ip-forward-off',
      severity: 'error',
      message: `net.ipv4.ip_forward is ${f.sysctls['net.ipv4.ip_forward'] ?? 'unknown'} but NAT services exist: ${v4.map(label).join(', ')}`,
      why: "NAT real servers answer through the director; without forwarding their replies are dropped and clients' connections hang.",
      fix: 'sysctl -w net.ipv4.ip_forward=1',
      services: v4.map(label),
    });
  if (v6.length > 0 && f.sysctls['net.ipv6.conf.all.forwarding'] !== '1')
    out.push({
      id: 'ipv6-forwarding-off',
      severity: 'error',
      message: `net.ipv6.conf.all.forwarding is ${f.sysctls['net.ipv6.conf.all.forwarding'] ?? 'unknown'} but IPv6 NAT services exist: ${v6.map(label).join(', ')}`,
      why: 'NAT real servers answer through the director; without forwarding their replies are dropped.',
      fix: 'sysctl -w net.ipv6.conf.all.forwarding=1',
      services: v6.map(label),
    });
  return out;
}

function localAddresses(f: DoctorFacts): Set<string> {
  return new Set(f.addresses.flatMap((l) => l.addr_info.map((a) => canonicalIP(a.local))));
}

function vipCheck(f: DoctorFacts): Finding[] {
  const local = localAddresses(f);
  const out: Finding[] = [];
  for (const s of f.services) {
    if (s.protocol === 'fwmark' || s.address === undefined) continue;
    const vip = canonicalIP(s.address);
    const lookup = f.routes[vip];
    const routedLocally = lookup !== undefined && 'route' in lookup && lookup.route.type === 'local';
    if (local.has(vip) || routedLocally) continue;
    const dev = lookup && 'route' in lookup ? lookup.route.dev : undefined;
    out.push({
      id: `vip-missing:${vip}`,
      severity: 'error',
      message: `The VIP ${vip} of ${label(s)} is on no local interface and has no local route`,
      why: 'Packets to the VIP must be delivered to this host for IPVS to see them; otherwise clients get no answer.',
      fix: `ip addr add ${vip}/${ipFamily(vip) === 6 ? 128 : 32} dev ${dev ?? 'lo'}`,
      services: [label(s)],
    });
  }
  return out;
}

function realServerRouteCheck(f: DoctorFacts): Finding[] {
  const out: Finding[] = [];
  // each real server once per forwarding method, with every service that uses it that way
  const users = new Map<string, string[]>();
  for (const s of f.services)
    for (const d of s.destinations) {
      const key = `${canonicalIP(d.address)}/${d.forward}`;
      const list = users.get(key);
      if (list) list.push(label(s));
      else users.set(key, [label(s)]);
    }
  const seen = new Set<string>();
  for (const s of f.services)
    for (const d of s.destinations) {
      const rip = canonicalIP(d.address);
      const key = `${rip}/${d.forward}`;
      if (seen.has(key) || d.forward === 'local' || d.forward === 'bypass') continue;
      seen.add(key);
      const services = [...new Set(users.get(key))];
      const lookup = f.routes[rip];
      const mode = FORWARD_NAMES[d.forward];
      if (lookup === undefined) continue;
      if ('error' in lookup) {
        out.push({
          id: `rs-no-route:${rip}`,
          severity: 'error',
          message: `No route to real server ${rip} (${mode}, ${label(s)}): ${lookup.error}`,
          why: 'The director cannot send it the packets it schedules to it: those connections fail.',
          fix: `ip route add ${rip} via GATEWAY dev INTERFACE`,
          services,
        });
        continue;
      }
      const { dev, gateway } = lookup.route;
      if (d.forward === 'route' && gateway !== undefined)
        out.push({
          id: `rs-dr-not-on-link:${rip}`,
          severity: 'error',
          message: `DR real server ${rip} (${label(s)}) is reached through the gateway ${gateway}, not on a local network`,
          why: 'Direct routing rewrites only the MAC address: the real server must share a link with the director. Or switch it to tunnelling (set the real server up with lvs-agent rs-setup --mode tun):',
          fix: `ipvsadm -e ${serviceFlag(s)} -r ${d.address} -i`,
          services,
        });
      else
        out.push({
          id: `rs-route:${rip}`,
          severity: 'info',
          message: `Real server ${rip} (${mode}) is reached via ${dev ?? '?'}${gateway ? ` through ${gateway}` : ' (on link)'}`,
          why: 'The interface packets to it leave by; NAT real servers must send their replies back through this director.',
          fix: null,
          services,
        });
    }
  return out;
}

function daemonCheck(f: DoctorFacts): Finding[] {
  const running = ['keepalived', 'ldirectord'].filter((p) => f.processes.includes(p));
  if (running.length > 0)
    return [
      {
        id: 'health-daemon',
        severity: 'info',
        message: `${running.join(' and ')} running`,
        why: 'It checks real servers and changes the table: edits made here may be undone by it.',
        fix: null,
      },
    ];
  return [
    {
      id: 'no-health-daemon',
      severity: 'warning',
      message: 'Neither keepalived nor ldirectord is running',
      why: 'Nothing takes a failed real server out of the table or moves the VIP to a backup director.',
      fix: 'systemctl enable --now keepalived',
    },
  ];
}

function isV6(s: Service): boolean {
  return s.protocol === 'fwmark' ? s.ipv6 === true : ipFamily(s.address ?? '') === 6;
}
function label(s: Service): string {
  return serviceId(serviceKey(s));
}
function serviceFlag(s: Service): string {
  const k = serviceKey(s);
  if (k.protocol === 'fwmark') return `-f ${k.fwmark}${k.ipv6 ? ' -6' : ''}`;
  const flag = { tcp: '-t', udp: '-u', sctp: '--sctp-service' }[k.protocol];
  return `${flag} ${label(s).slice(k.protocol.length + 1)}`;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export function diagnose(f: DoctorFacts): Finding[] {
  return [
    ...moduleCheck(f),
    ...schedulerCheck(f),
    ...forwardingCheck(f),
    ...vipCheck(f),
    ...realServerRouteCheck(f),
    ...sysctlFindings(f),
    ...daemonCheck(f),
  ].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
