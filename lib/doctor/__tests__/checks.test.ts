import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Destination, Service } from '../../ipvs/model';
import { diagnose } from '../checks';
import { IpAddrShow, IpRouteGet, type DoctorFacts, type RouteLookup } from '../facts';

// ip -j output captured on a real host (eth0 192.0.2.2/24, default via 192.0.2.1) and in a fresh namespace with
// 10.1.0.10/32 added on lo.
const FIX = join(__dirname, '..', '__fixtures__');
const json = (n: string): unknown => JSON.parse(readFileSync(join(FIX, n), 'utf8'));
const route = (n: string): RouteLookup => ({ route: IpRouteGet.parse(json(n))[0]! });
const HOST_ADDR = IpAddrShow.parse(json('ip-addr.json'));
const VIP_ON_LO = IpAddrShow.parse(json('ip-addr-vip-on-lo.json'));

const dest = (address: string, forward: Destination['forward'], weight = 1): Destination => ({
  address,
  port: 80,
  forward,
  weight,
  activeConns: 0,
  inactiveConns: 0,
});
const svc = (address: string, destinations: Destination[], more: Partial<Service> = {}): Service => ({
  protocol: 'tcp',
  address,
  port: 80,
  scheduler: 'wrr',
  flags: [],
  ops: false,
  destinations,
  ...more,
});

function facts(over: Partial<DoctorFacts>): DoctorFacts {
  return {
    modules: ['ip_vs_wrr', 'ip_vs', 'nf_conntrack'],
    ipvsVersionLine: 'IP Virtual Server version 1.2.1 (size=4096)',
    services: [],
    sysctls: { 'net.ipv4.ip_forward': '1' },
    addresses: HOST_ADDR,
    routes: {},
    processes: ['systemd', 'keepalived'],
    ...over,
  };
}
const ids = (f: DoctorFacts) => diagnose(f).map((x) => `${x.severity} ${x.id}`);
const find = (f: DoctorFacts, id: string) => diagnose(f).find((x) => x.id === id);

describe('diagnose', () => {
  it('flags a missing ip_vs with modprobe, and reports its version and table size when loaded', () => {
    expect(find(facts({ modules: ['nf_conntrack'], ipvsVersionLine: null }), 'ipvs-not-loaded')?.fix).toBe(
      'modprobe ip_vs',
    );
    expect(find(facts({}), 'ipvs-loaded')?.message).toBe(
      'ip_vs is loaded, version 1.2.1, connection hash table size 4096',
    );
  });

  it('lists scheduler modules loaded against the schedulers in use', () => {
    const f = facts({ services: [svc('192.0.2.2', []), svc('192.0.2.2', [], { port: 443, scheduler: 'sh' })] });
    expect(find(f, 'schedulers')?.message).toBe('Scheduler modules loaded: wrr; in use: sh, wrr');
  });

  it('flags ip_forward=0 with a NAT service, with the sysctl that fixes it; not without NAT', () => {
    const nat = [svc('192.0.2.2', [dest('192.0.2.50', 'masq')])];
    const off = facts({ services: nat, sysctls: { 'net.ipv4.ip_forward': '0' } });
    expect(find(off, 'ip-forward-off')).toMatchObject({
      severity: 'error',
      fix: 'sysctl -w net.ipv4.ip_forward=1',
    });
    expect(find({ ...off, sysctls: { 'net.ipv4.ip_forward': '1' } }, 'ip-forward-off')).toBeUndefined();
    const dr = facts({ services: [svc('192.0.2.2', [dest('192.0.2.50', 'route')])], sysctls: {} });
    expect(find(dr, 'ip-forward-off')).toBeUndefined();
  });

  it('flags a VIP on no interface, with the address add on the interface its route leaves by', () => {
    const f = facts({
      services: [svc('198.51.100.7', [])],
      routes: { '198.51.100.7': route('route-get-via.json') },
    });
    expect(find(f, 'vip-missing:198.51.100.7')).toMatchObject({
      severity: 'error',
      fix: 'ip addr add 198.51.100.7/32 dev eth0',
    });
    expect(ids(facts({ services: [svc('192.0.2.2', [])] }))).not.toContain('error vip-missing:192.0.2.2');
    expect(ids(facts({ services: [svc('10.1.0.10', [])], addresses: VIP_ON_LO }))).not.toContain(
      'error vip-missing:10.1.0.10',
    );
    const localRoute = facts({ services: [svc('127.0.0.1', [])], addresses: [], routes: {} });
    localRoute.routes['127.0.0.1'] = route('route-get-local.json');
    expect(ids(localRoute)).not.toContain('error vip-missing:127.0.0.1');
  });

  it('reports the interface each real server is reached by, and flags DR through a gateway or no route', () => {
    const f = facts({
      services: [
        svc('192.0.2.2', [dest('192.0.2.50', 'masq'), dest('198.51.100.7', 'route'), dest('10.0.0.5', 'tunnel')]),
      ],
      routes: {
        '192.0.2.50': route('route-get-onlink.json'),
        '198.51.100.7': route('route-get-via.json'),
        '10.0.0.5': { error: readFileSync(join(FIX, 'route-get-unreachable.err'), 'utf8').trim() },
      },
    });
    expect(find(f, 'rs-route:192.0.2.50')?.message).toBe('Real server 192.0.2.50 (NAT) is reached via eth0 (on link)');
    expect(find(f, 'rs-dr-not-on-link:198.51.100.7')?.severity).toBe('error');
    expect(find(f, 'rs-no-route:10.0.0.5')?.message).toContain('Network is unreachable');
  });

  it('names the services a finding is about, for their pages: every service that uses the real server', () => {
    const shared = dest('192.0.2.50', 'masq');
    const f = facts({
      services: [svc('192.0.2.2', [shared]), svc('192.0.2.2', [shared], { port: 443 }), svc('198.51.100.9', [])],
      routes: { '192.0.2.50': route('route-get-onlink.json') },
      sysctls: { 'net.ipv4.ip_forward': '0' },
    });
    expect(find(f, 'rs-route:192.0.2.50')?.services).toEqual(['tcp/192.0.2.2:80', 'tcp/192.0.2.2:443']);
    expect(find(f, 'ip-forward-off')?.services).toEqual(['tcp/192.0.2.2:80', 'tcp/192.0.2.2:443']);
    expect(find(f, 'vip-missing:198.51.100.9')?.services).toEqual(['tcp/198.51.100.9:80']);
    expect(find(f, 'ipvs-loaded')?.services).toBeUndefined();
  });

  it('explains the IPVS sysctls and warns where the value bites the table held', () => {
    const f = facts({
      services: [svc('192.0.2.2', [dest('192.0.2.50', 'route')], { persistent: 300 })],
      sysctls: {
        'net.ipv4.ip_forward': '1',
        'net.ipv4.vs.expire_nodest_conn': '0',
        'net.ipv4.vs.expire_quiescent_template': '0',
        'net.ipv4.vs.sloppy_tcp': '0',
      },
    });
    expect(find(f, 'sysctl:net.ipv4.vs.expire_nodest_conn')?.fix).toBe('sysctl -w net.ipv4.vs.expire_nodest_conn=1');
    expect(find(f, 'sysctl:net.ipv4.vs.expire_quiescent_template')?.severity).toBe('warning');
    expect(find(f, 'sysctl:net.ipv4.vs.sloppy_tcp')).toMatchObject({ severity: 'info', fix: null });
  });

  it('warns when neither keepalived nor ldirectord runs, and lists errors first', () => {
    const f = facts({ processes: ['sshd'], modules: [], ipvsVersionLine: null });
    expect(ids(f)[0]).toBe('error ipvs-not-loaded');
    expect(find(f, 'no-health-daemon')?.severity).toBe('warning');
  });
});
