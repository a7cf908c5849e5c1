import { describe, expect, it } from 'vitest';
import { ParseError, connectionFwmark, connectionVirtual, parseConnList, parseProcConns, queryConnections } from '..';
import { fixture } from './fixtures';

describe('ipvsadm -Lnc (captured)', () => {
  const t = parseConnList(fixture('conns.Lnc.txt'));

  it('reads every entry with its expiry in seconds', () => {
    expect(t.length).toBe(fixture('conns.Lnc.txt').trim().split('\n').length - 2);
    expect(t.row(0)).toEqual({
      protocol: 'tcp',
      state: 'TIME_WAIT',
      expires: 94,
      clientAddress: '10.1.0.100',
      clientPort: 55606,
      virtualAddress: '10.1.0.10',
      virtualPort: 80,
      destAddress: '10.2.0.12',
      destPort: 80,
      template: false,
    });
  });

  it('recognises persistence templates (client port 0, ASSURED on 6.1)', () => {
    const templates = t.toArray().filter((c) => c.template);
    expect(templates).toHaveLength(1);
    expect(templates[0]).toMatchObject({ state: 'ASSURED', clientPort: 0, virtualPort: 443, destAddress: '10.2.0.12' });
  });

  it('reads UDP and IPv6 entries', () => {
    const all = t.toArray();
    expect(all.filter((c) => c.protocol === 'udp' && c.virtualPort === 53)).toHaveLength(50);
    expect(all.find((c) => c.clientAddress === '2001:db8:1::100')).toMatchObject({
      virtualAddress: '2001:db8:1::10',
      destAddress: expect.stringMatching(/^2001:db8:2::1[12]$/),
    });
  });

  it('reads the --persistent-conn variant and an empty table', () => {
    expect(parseConnList(fixture('conns-exact.Lnc-persistent-conn.txt')).length).toBe(t.length);
    expect(parseConnList(fixture('empty.Lnc.txt')).length).toBe(0);
  });

  it('recognises the NONE template state older kernels print', () => {
    const old =
      'IPVS connection entries\npro expire state       source             virtual            destination\nTCP 04:52  NONE        10.1.0.100:0       10.1.0.10:443      10.2.0.12:443\n';
    expect(parseConnList(old).row(0)).toMatchObject({ template: true, state: 'NONE', expires: 292 });
  });

  it.each([
    ['garbage', /line 1: expected the "pro expire/],
    [
      'IPVS connection entries\npro expire state source virtual destination\nTCP 1:2:3 X 1.2.3.4:1 1.2.3.4:2 1.2.3.4:3',
      /line 3: expire: expected mm:ss/,
    ],
    [
      'IPVS connection entries\npro expire state source virtual destination\nTCP 01:02 X 1.2.3.4:1 1.2.3.4:2',
      /line 3: missing destination/,
    ],
    [
      'IPVS connection entries\npro expire state source virtual destination\nTCP 01:02 X 1.2.3.4:99999 1.2.3.4:2 1.2.3.4:3',
      /line 3: source: bad port/,
    ],
    [
      'IPVS connection entries\npro expire state source virtual destination\nFOO 01:02 X 1.2.3.4:1 1.2.3.4:2 1.2.3.4:3',
      /line 3: unknown protocol "FOO"/,
    ],
  ])('names the line of garbage %#', (text, message) => {
    expect(() => parseConnList(text)).toThrow(ParseError);
    expect(() => parseConnList(text)).toThrow(message);
  });
});

describe('/proc/net/ip_vs_conn (captured)', () => {
  const t = parseProcConns(fixture('proc-ip_vs_conn.txt'));

  it('decodes hex addresses and ports', () => {
    expect(t.row(0)).toEqual({
      protocol: 'tcp',
      state: 'TIME_WAIT',
      expires: 92,
      clientAddress: '10.1.0.100',
      clientPort: 55606,
      virtualAddress: '10.1.0.10',
      virtualPort: 80,
      destAddress: '10.2.0.12',
      destPort: 80,
      template: false,
    });
  });

  it('agrees with ipvsadm -Lnc on the same table (same entries, expiry within the seconds between the reads)', () => {
    const key = (c: {
      protocol: string;
      clientAddress: string;
      clientPort: number;
      virtualAddress: string;
      virtualPort: number;
      destAddress: string;
      destPort: number;
      state: string;
    }) =>
      `${c.protocol} ${c.clientAddress}:${c.clientPort} ${c.virtualAddress}:${c.virtualPort} ${c.destAddress}:${c.destPort} ${c.state}`;
    const lnc = parseConnList(fixture('conns.Lnc.txt')).toArray();
    const proc = t.toArray();
    expect(new Set(proc.map(key))).toEqual(new Set(lnc.map(key)));
  });

  it('decodes IPv6 entries and templates', () => {
    const all = t.toArray();
    expect(all.filter((c) => c.template)).toHaveLength(1);
    expect(all.find((c) => c.clientAddress === '2001:db8:1::100')).toMatchObject({
      virtualAddress: '2001:db8:1::10',
      virtualPort: 80,
    });
  });

  it('rejects garbage naming the line', () => {
    const head = 'Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n';
    expect(() => parseProcConns(head + 'TCP 0A01006 A248 0A01000A 1F91 0A03001F 1F91 FIN_WAIT 105')).toThrow(
      /line 2: FromIP: bad address "0A01006"/,
    );
    expect(() => parseProcConns(head + 'TCP 0A010064 A2 0A01000A 1F91 0A03001F 1F91 FIN_WAIT 105')).toThrow(
      /line 2: FPrt: expected 4 hex digits/,
    );
    expect(() => parseProcConns(head + 'TCP 0A010064 A248 0A01000A 1F91 0A03001F 1F91 FIN_WAIT')).toThrow(
      /line 2: missing Expires/,
    );
    expect(() => parseProcConns('Pro From\n')).toThrow(/line 1: expected the "Pro FromIP/);
  });

  it('holds rows compactly', () => {
    expect(t.columnBytes() / Math.max(1, t.protocol.length)).toBeLessThanOrEqual(26);
  });
});

describe('fwmark persistence templates (captured: nft marks a second VIP for the persistent -f 1 service)', () => {
  const listings = {
    'ipvsadm -Lnc': parseConnList(fixture('fwmark.Lnc.txt')),
    'ipvsadm -Lnc --persistent-conn': parseConnList(fixture('fwmark.Lnc-persistent-conn.txt')),
    '/proc/net/ip_vs_conn': parseProcConns(fixture('fwmark.proc-ip_vs_conn.txt')),
  };

  for (const [name, table] of Object.entries(listings)) {
    it(`${name}: the template is protocol ip with the mark as its virtual address, shown as "fwmark 1"`, () => {
      const marked = table.toArray().filter((c) => c.protocol === 'ip');
      expect(marked).toHaveLength(1);
      expect(marked[0]).toMatchObject({
        template: true,
        virtualAddress: '0.0.0.1',
        virtualPort: 0,
        clientPort: 0,
        destPort: 0,
      });
      expect(connectionFwmark(marked[0]!)).toBe(1);
      expect(connectionVirtual(marked[0]!)).toBe('fwmark 1');
      // the marked connections themselves keep the second VIP and their ports
      const vip2 = table.toArray().filter((c) => c.virtualAddress === '10.1.0.11');
      expect(new Set(vip2.map((c) => c.virtualPort))).toEqual(new Set([80, 443]));
      expect(
        vip2.every((c) => connectionFwmark(c) === undefined && connectionVirtual(c).startsWith('10.1.0.11:')),
      ).toBe(true);
    });
  }

  it('an IPv6 fwmark template carries the mark in the first 32 bits of the address: 0:3:: is fwmark 3', () => {
    for (const table of [
      parseConnList(fixture('fwmark6.Lnc.txt')),
      parseProcConns(fixture('fwmark6.proc-ip_vs_conn.txt')),
    ]) {
      const v6 = table.toArray().filter((c) => c.protocol === 'ip' && c.virtualAddress.includes(':'));
      expect(v6).toHaveLength(1);
      expect(v6[0]).toMatchObject({
        template: true,
        virtualAddress: '0:3::',
        clientAddress: '2001:db8:1::100',
        destAddress: '2001:db8:2::11',
      });
      expect(connectionVirtual(v6[0]!)).toBe('fwmark 3');
      expect(queryConnections(table, { virtual: 'fwmark 3' }).rows).toEqual(v6);
      // an ordinary IPv6 address in that field is no fwmark
      expect(connectionFwmark({ protocol: 'ip', virtualAddress: '2001:db8::1' })).toBeUndefined();
    }
  });

  it('the virtual filter "fwmark 1" finds the template and nothing else', () => {
    const table = listings['/proc/net/ip_vs_conn'];
    const page = queryConnections(table, { virtual: 'fwmark 1' });
    expect(page.matched).toBe(1);
    expect(page.rows[0]).toMatchObject({ protocol: 'ip', template: true });
    expect(queryConnections(table, { virtual: 'FWMARK 2' }).matched).toBe(0);
    expect(queryConnections(table, { virtual: 'fwmark 99999999999' }).matched).toBe(0);
  });
});
