// The made-up host of an in-memory director, for the doctor: the lab director's interfaces (lo, and eth0 holding
// every VIP), its sysctls, ip_vs and the schedulers in use loaded, every real server on eth0's link.
import { canonicalIP, ipFamily, type Service } from '../../lib/ipvs';
import type { DoctorFacts, IpAddrLink } from '../../lib/doctor/facts';

/** The lab director's values (lab/topology sets ip_forward; the rest are the kernel's defaults). */
const SYSCTLS: DoctorFacts['sysctls'] = {
  'net.ipv4.ip_forward': '1',
  'net.ipv6.conf.all.forwarding': '1',
  'net.ipv4.vs.conntrack': '0',
  'net.ipv4.vs.conn_reuse_mode': '1',
  'net.ipv4.vs.expire_nodest_conn': '0',
  'net.ipv4.vs.expire_quiescent_template': '0',
  'net.ipv4.vs.sloppy_tcp': '0',
  'net.ipv4.vs.snat_reroute': '1',
};

export function memoryHostFacts(services: Service[], versionLine: string): DoctorFacts {
  const vips = [...new Set(services.flatMap((s) => (s.address ? [canonicalIP(s.address)] : [])))];
  const eth0: IpAddrLink = {
    ifname: 'eth0',
    addr_info: vips.map((local) => ({
      family: ipFamily(local) === 6 ? 'inet6' : 'inet',
      local,
      prefixlen: ipFamily(local) === 6 ? 128 : 32,
    })),
  };
  const lo: IpAddrLink = { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] };
  const reals = [...new Set(services.flatMap((s) => s.destinations.map((d) => canonicalIP(d.address))))];
  const routes: DoctorFacts['routes'] = {};
  for (const v of vips) routes[v] = { route: { dst: v, dev: 'lo', type: 'local' } };
  for (const r of reals) routes[r] = { route: { dst: r, dev: 'eth0' } };
  return {
    modules: ['ip_vs', ...new Set(services.map((s) => `ip_vs_${s.scheduler}`))],
    ipvsVersionLine: versionLine,
    services,
    sysctls: { ...SYSCTLS },
    addresses: [lo, eth0],
    routes,
    processes: [],
  };
}
