import { describe, expect, it } from 'vitest';
import { ParseError, listingToServices, mergeListing, parseListing, type Service } from '..';
import { fixture } from './fixtures';

const services = (name: string): Service[] => listingToServices(parseListing(fixture(name)));
const find = (list: { protocol: string; address?: string; port?: number | string; fwmark?: number }[], id: string) => {
  const hit = list.find(
    (s) => (s.protocol === 'fwmark' ? `fwmark/${s.fwmark}` : `${s.protocol}/${s.address}:${s.port}`) === id,
  );
  if (!hit) throw new Error(`no ${id}`);
  return hit as Service;
};

describe('ipvsadm -Ln (captured from the lab kernel)', () => {
  const list = services('list.Ln.txt');

  it('reads NAT wrr 1:3 with its real servers and connection counts', () => {
    expect(find(list, 'tcp/10.1.0.10:80')).toEqual({
      protocol: 'tcp',
      address: '10.1.0.10',
      port: 80,
      scheduler: 'wrr',
      flags: [],
      ops: false,
      destinations: [
        { address: '10.2.0.11', port: 80, forward: 'masq', weight: 1, activeConns: 0, inactiveConns: 51 },
        { address: '10.2.0.12', port: 80, forward: 'masq', weight: 3, activeConns: 0, inactiveConns: 151 },
      ],
    });
  });

  it('reads every scheduler the kernel has, and sh/mh flags', () => {
    const scheds = new Set(list.map((s) => s.scheduler));
    for (const s of ['rr', 'wrr', 'lc', 'wlc', 'sh', 'dh', 'sed', 'nq', 'lblc', 'lblcr', 'mh', 'fo', 'ovf'])
      expect(scheds).toContain(s);
    expect(find(list, 'tcp/10.1.0.10:82').flags).toEqual(['sh-fallback', 'sh-port']);
    expect(find(list, 'tcp/10.1.0.10:88').flags).toEqual(['mh-fallback', 'mh-port']);
    expect(find(list, 'tcp/10.1.0.10:91').flags).toEqual(['sh-fallback']);
  });

  it('reads persistence with and without mask, PCC port 0, ops and pe', () => {
    expect(find(list, 'tcp/10.1.0.10:443')).toMatchObject({ persistent: 300 });
    expect(find(list, 'tcp/10.1.0.10:443').netmask).toBeUndefined();
    expect(find(list, 'tcp/10.1.0.10:0')).toMatchObject({
      port: 0,
      scheduler: 'wlc',
      persistent: 600,
      netmask: '255.255.255.0',
    });
    expect(find(list, 'udp/10.1.0.10:1812')).toMatchObject({ ops: true });
    expect(find(list, 'udp/10.1.0.10:1812').persistent).toBeUndefined();
    expect(find(list, 'udp/10.1.0.10:5060')).toMatchObject({ persistent: 180, pe: 'sip', destinations: [] });
    expect(find(list, 'udp/10.1.0.10:1813')).toMatchObject({
      scheduler: 'mh',
      flags: ['mh-fallback', 'mh-port'],
      persistent: 200,
      pe: 'sip',
      ops: true,
    });
  });

  it('reads SCTP, fwmark (v4 and v6) and IPv6 services with IPv6 real servers', () => {
    expect(find(list, 'sctp/10.1.0.10:3868').destinations).toHaveLength(1);
    expect(find(list, 'fwmark/1')).toMatchObject({ fwmark: 1, scheduler: 'wrr', persistent: 120 });
    expect(find(list, 'fwmark/1').ipv6).toBeUndefined();
    expect(find(list, 'fwmark/2')).toMatchObject({
      fwmark: 2,
      ipv6: true,
      destinations: [{ address: '2001:db8:2::11', port: 0 }],
    });
    const v6 = find(list, 'tcp/2001:db8:1::10:80');
    expect(v6.destinations.map((d) => [d.address, d.port, d.weight])).toEqual([
      ['2001:db8:2::11', 80, 1],
      ['2001:db8:2::12', 80, 65535],
    ]);
    expect(find(list, 'udp/2001:db8:1::10:53')).toMatchObject({ scheduler: 'lc', persistent: 60, netmask: '64' });
  });

  it('reads tunnel and direct-routing real servers', () => {
    const tun = find(list, 'tcp/10.1.0.10:9000');
    expect(tun.destinations.filter((d) => d.forward === 'tunnel')).toHaveLength(8);
    expect(tun.destinations.find((d) => d.address === '10.1.0.1')).toMatchObject({ forward: 'route', weight: 0 });
  });
});

describe('ipvsadm -Ln --tun-info', () => {
  it('reads tunnel type, port and checksum mode of each real server', () => {
    const tun = find(services('tuninfo.Ln-tun-info.txt'), 'tcp/10.1.0.10:9000');
    const info = Object.fromEntries(
      tun.destinations.map((d) => [d.address, [d.tunnelType, d.tunnelPort, d.tunnelChecksum]]),
    );
    expect(info).toEqual({
      '10.1.0.1': [undefined, undefined, undefined],
      '10.3.0.31': ['ipip', undefined, undefined],
      '10.3.0.32': ['ipip', undefined, undefined],
      '10.3.0.33': ['gue', 6080, 'nocsum'],
      '10.3.0.34': ['gue', 6081, 'nocsum'],
      '10.3.0.35': ['gue', 6082, 'csum'],
      '10.3.0.36': ['gue', 6083, 'remcsum'],
      '10.3.0.37': ['gre', undefined, 'nocsum'],
      '10.3.0.38': ['gre', undefined, 'csum'],
    });
  });
});

describe('ipvsadm -L (names)', () => {
  it('keeps names as text instead of failing', () => {
    const l = parseListing(fixture('list.L.txt'));
    expect(l.named).toBe(true);
    expect(find(l.services as never, 'tcp/10.1.0.10:http')).toMatchObject({ scheduler: 'wrr' });
    expect(() => listingToServices(l)).toThrow(/port: the listing has names/);
  });
});

describe('counters', () => {
  it('reads --stats --exact as exact integers', () => {
    const l = parseListing(fixture('stats-exact.Ln-stats-exact.txt'));
    expect(l.format).toBe('stats');
    const big = find(l.services as never, 'tcp/10.1.0.10:8000');
    expect(big.stats?.outBytes).toBeGreaterThan(100_000_000);
    expect(big.stats?.approximate).toBeUndefined();
    expect(find(l.services as never, 'tcp/10.1.0.10:80').stats).toEqual({
      conns: 202,
      inPkts: 1200,
      outPkts: 1197,
      inBytes: 79416,
      outBytes: 106260,
    });
  });

  it('reads suffixed --stats values and marks them approximate', () => {
    const l = parseListing(fixture('stats.Ln-stats.txt'));
    const exact = parseListing(fixture('stats-exact.Ln-stats-exact.txt'));
    const big = find(l.services as never, 'tcp/10.1.0.10:8000');
    const bigExact = find(exact.services as never, 'tcp/10.1.0.10:8000');
    expect(big.stats?.approximate).toBe(true);
    expect(big.stats?.outBytes).toBe(Math.floor((bigExact.stats?.outBytes ?? 0) / 1000) * 1000);
    expect(find(l.services as never, 'tcp/10.1.0.10:80').stats?.approximate).toBeUndefined();
  });

  it('reads --rate', () => {
    const l = parseListing(fixture('rate.Ln-rate.txt'));
    expect(l.format).toBe('rate');
    const s = find(l.services as never, 'tcp/10.1.0.10:8000');
    expect(s.rate?.outBps).toBeGreaterThan(1000);
    expect(Object.keys(s.rate ?? {})).toEqual(['cps', 'inPps', 'outPps', 'inBps', 'outBps']);
  });

  it('reads --thresholds and --persistent-conn', () => {
    const t = parseListing(fixture('thresholds.Ln-thresholds.txt'));
    expect(find(t.services as never, 'sctp/10.1.0.10:3868').destinations[0]).toMatchObject({
      upperThreshold: 1000,
      lowerThreshold: 100,
    });
    expect(find(t.services as never, 'fwmark/1').destinations[1]).toMatchObject({
      address: '10.2.0.12',
      upperThreshold: 500,
      lowerThreshold: 50,
    });
    expect(find(t.services as never, 'tcp/2001:db8:1::10:80').destinations[1]).toMatchObject({
      upperThreshold: 20,
      lowerThreshold: 10,
    });
    const p = parseListing(fixture('persistent.Ln-persistent-conn.txt'));
    expect(p.format).toBe('persistent');
    expect(find(p.services as never, 'tcp/10.1.0.10:443').destinations[1]).toMatchObject({
      weight: 1,
      persistConns: 1,
      inactiveConns: 5,
    });
  });

  it('merges slices into the plain listing', () => {
    const base = services('list.Ln.txt');
    const merged = mergeListing(
      mergeListing(base, parseListing(fixture('stats-exact.Ln-stats-exact.txt'))),
      parseListing(fixture('thresholds.Ln-thresholds.txt')),
    );
    const sctp = find(merged, 'sctp/10.1.0.10:3868');
    expect(sctp.destinations[0]).toMatchObject({ forward: 'masq', upperThreshold: 1000, lowerThreshold: 100 });
    expect(find(merged, 'tcp/10.1.0.10:80').stats?.conns).toBe(202);
    expect(find(merged, 'tcp/10.1.0.10:80').destinations[1]?.stats?.conns).toBe(151);
  });

  it('merges by identity when the slice lists services and real servers in another order', () => {
    const base = services('list.Ln.txt');
    const inOrder = parseListing(fixture('stats-exact.Ln-stats-exact.txt'));
    const shuffled = {
      ...inOrder,
      services: [...inOrder.services].reverse().map((s) => ({ ...s, destinations: [...s.destinations].reverse() })),
    };
    expect(mergeListing(base, shuffled)).toEqual(mergeListing(base, inOrder));
    const web = find(mergeListing(base, shuffled), 'tcp/10.1.0.10:80');
    expect(web.destinations.map((d) => [d.address, d.stats?.conns])).toEqual([
      ['10.2.0.11', 51],
      ['10.2.0.12', 151],
    ]);
    // `only` takes just the named fields of the real servers, and no service counters
    const weights = mergeListing(base, shuffled, ['activeConns']);
    expect(find(weights, 'tcp/10.1.0.10:80').stats).toBeUndefined();
    expect(find(weights, 'tcp/10.1.0.10:80').destinations[0]?.stats).toBeUndefined();
  });
});

describe('empty tables and garbage', () => {
  it('reads an empty table', () => {
    expect(parseListing(fixture('empty.Ln.txt')).services).toEqual([]);
  });

  it.each([
    ['', /line 1: no listing header/],
    ['hello world', /line 1: expected the "Prot LocalAddress:Port/],
    [
      'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\nTCP  10.1.0.10:80 wrr\n  -> 10.2.0.11:80 Masq x 0 0',
      /line 4: weight: expected a number, got "x"/,
    ],
    [
      'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n  -> 10.2.0.11:80 Masq 1 0 0',
      /line 3: real server line before any virtual service/,
    ],
    [
      'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\nICMP 10.1.0.10:80 wrr',
      /line 3: unknown protocol "ICMP"/,
    ],
    [
      'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\nTCP  10.1.0.10:80 wrr bogus',
      /line 3: unknown service option "bogus"/,
    ],
    [
      'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\nTCP  10.1.0.10:80 wrr\n  -> 10.2.0.11:80 Teleport 1 0 0',
      /line 4: unknown forwarding method "Teleport"/,
    ],
    [
      'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\nTCP  10.1.0.10:99999 wrr',
      /line 3: virtual address: port 99999 is over 65535/,
    ],
    [
      'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\nTCP  10.1.0.10:80 wrr\n  -> 10.2.0.11:80 Masq 1 0',
      /line 4: expected 4 columns/,
    ],
    [
      'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\nTCP  10.1.0.10:80  1 2 3 4Q 5',
      /line 3: inBytes: expected a number, got "4Q"/,
    ],
  ])('names the line of garbage: %j', (text, message) => {
    expect(() => parseListing(text)).toThrow(ParseError);
    expect(() => parseListing(text)).toThrow(message);
  });
});
