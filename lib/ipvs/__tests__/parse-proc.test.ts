import { describe, expect, it } from 'vitest';
import {
  listingToServices,
  parseDaemons,
  parseListing,
  parseProcServices,
  parseProcStats,
  parseTimeouts,
  serviceId,
  serviceKey,
} from '..';
import { fixture } from './fixtures';

describe('/proc/net/ip_vs (captured)', () => {
  const proc = parseProcServices(fixture('proc-ip_vs.txt'));
  const byId = new Map(proc.map((s) => [serviceId(serviceKey(s)), s]));

  it('holds the same services and real servers as ipvsadm -Ln', () => {
    const ln = listingToServices(parseListing(fixture('list.Ln.txt')));
    const ids = (list: typeof ln) => list.map((s) => serviceId(serviceKey(s))).sort();
    expect(ids(proc)).toEqual(ids(ln));
    for (const s of ln) {
      const p = byId.get(serviceId(serviceKey(s)));
      expect(p?.scheduler).toBe(s.scheduler);
      expect(p?.persistent).toBe(s.persistent);
      expect(p?.netmask).toBe(s.netmask);
      expect(p?.ops).toBe(s.ops);
      const dests = (x: typeof s) =>
        x.destinations.map((d) => `${d.address}:${d.port} ${d.forward} ${d.weight}`).sort();
      expect(dests(p as typeof s)).toEqual(dests(s));
    }
  });

  it('converts persistence from jiffies (HZ 250) and masks from hex, IPv6 prefix byte-swapped', () => {
    expect(byId.get('tcp/10.1.0.10:0')).toMatchObject({ persistent: 600, netmask: '255.255.255.0' });
    expect(byId.get('udp/[2001:db8:1::10]:53')).toMatchObject({ persistent: 60, netmask: '64' });
    expect(byId.get('tcp/[2001:db8:1::10]:443')).toMatchObject({ persistent: 30, netmask: '48' });
    expect(byId.get('tcp/10.1.0.10:443')?.netmask).toBeUndefined();
    expect(parseProcServices(fixture('proc-ip_vs.txt'), { hz: 1000 }).find((s) => s.port === 0)?.persistent).toBe(150);
  });

  it('takes a fwmark service family from its real servers', () => {
    expect(byId.get('fwmark6/2')?.destinations[0]?.address).toBe('2001:db8:2::11');
    expect(byId.get('fwmark/1')?.fwmark).toBe(1);
  });

  it('reads an empty table and rejects garbage', () => {
    expect(parseProcServices(fixture('empty.proc-ip_vs.txt'))).toEqual([]);
    const head =
      'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n';
    expect(() => parseProcServices(head + 'TCP  0A01000A:ZZZZ rr')).toThrow(
      /line 4: virtual address: expected 4 hex digits/,
    );
    expect(() => parseProcServices(head + 'TCP  0A01000A:0050 rr persistent 100 FFFFFF0')).toThrow(/line 4: netmask/);
    expect(() => parseProcServices('nope')).toThrow(/line 1: expected the \/proc\/net\/ip_vs header/);
  });
});

describe('/proc/net/ip_vs_stats (captured)', () => {
  it('reads hex totals and rates', () => {
    const r = parseProcStats(fixture('proc-ip_vs_stats.txt'));
    expect(r.stats.conns).toBe(0x299);
    expect(r.stats.outBytes).toBeGreaterThan(100_000_000);
    expect(Object.keys(r.rate)).toEqual(['cps', 'inPps', 'outPps', 'inBps', 'outBps']);
    expect(() => parseProcStats('garbage')).toThrow(/line 1/);
  });
});

describe('ipvsadm -L --timeout and --daemon (captured)', () => {
  it('reads timeouts', () => {
    expect(parseTimeouts(fixture('timeout.L-timeout.txt'))).toEqual({ tcp: 900, tcpfin: 120, udp: 300 });
    expect(() => parseTimeouts('Timeout (tcp tcpfin udp): 1 2')).toThrow(/line 1: expected "Timeout/);
  });

  it('reads zero, one and two daemons', () => {
    expect(parseDaemons(fixture('daemon-none.txt'))).toEqual([]);
    expect(parseDaemons(fixture('daemon-master.txt'))).toEqual([
      { state: 'master', mcastInterface: 'lo', syncId: 5, maxlen: 1472, group: '224.0.0.81', port: 8848, ttl: 1 },
    ]);
    expect(parseDaemons(fixture('daemon-both.txt'))).toHaveLength(2);
    expect(parseDaemons(fixture('daemon-backup.txt'))).toEqual([
      { state: 'backup', mcastInterface: 'lo', syncId: 7, maxlen: 1400, group: '224.0.0.82', port: 8850, ttl: 2 },
    ]);
    expect(parseDaemons('master sync daemon (mcast=eth0, syncid=1)')).toEqual([
      { state: 'master', mcastInterface: 'eth0', syncId: 1 },
    ]);
    expect(() => parseDaemons('master sync daemon (mcast=lo, syncid=x)')).toThrow(/line 1: syncid: expected a number/);
  });
});
