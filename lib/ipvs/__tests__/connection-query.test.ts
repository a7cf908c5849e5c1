import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConnectionTable,
  formatIPv6,
  ipv4Number,
  ipv6Groups,
  parseIPv6,
  queryConnections,
  type ConnectionEntry,
} from '..';

interface Row {
  client: string;
  clientPort: number;
  expires?: number;
  state?: string;
  dest?: string;
}

function tableOf(rows: Row[]): ConnectionTable {
  const t = new ConnectionTable();
  const id = (s: string) => t.text.id(s);
  for (const r of rows) {
    t.push({
      protocol: id('tcp'),
      state: id(r.state ?? 'ESTABLISHED'),
      expires: r.expires ?? 60,
      client: id(r.client),
      clientPort: r.clientPort,
      virtual: id('10.1.0.10'),
      virtualPort: 80,
      dest: id(r.dest ?? '10.2.0.11'),
      destPort: 80,
    });
  }
  return t;
}

const clients = (rows: ConnectionEntry[]) => rows.map((r) => `${r.clientAddress} ${r.clientPort}`);

/** The bytes of an address, IPv4 (4) before IPv6 (16): the order the query promises. */
function addressBytes(s: string): number[] {
  const v4 = ipv4Number(s);
  if (v4 >= 0) return [4, v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255];
  return [6, ...(parseIPv6(s) ?? []).flatMap((g) => [g >>> 8, g & 255])];
}

function compareBytes(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

describe('connection query sort order', () => {
  it('sorts clients by address bytes, IPv4 before IPv6, then by port as an integer', () => {
    const table = tableOf([
      { client: '2001:db8::1:0', clientPort: 1 },
      { client: '10.0.0.10', clientPort: 80 },
      { client: 'a::1', clientPort: 1 },
      { client: '10.0.0.9', clientPort: 443 },
      { client: '::1', clientPort: 1 },
      { client: '9.0.0.1', clientPort: 65535 },
      { client: '10.0.0.10', clientPort: 8 },
      { client: '2001:db8::2', clientPort: 1 },
      { client: '10::1', clientPort: 1 },
      { client: '192.168.0.1', clientPort: 1 },
    ]);
    const page = queryConnections(table, { sort: 'client' });
    expect(clients(page.rows)).toEqual([
      '9.0.0.1 65535',
      '10.0.0.9 443',
      '10.0.0.10 8',
      '10.0.0.10 80',
      '192.168.0.1 1',
      '::1 1',
      'a::1 1', // 0x000a
      '10::1 1', // 0x0010
      '2001:db8::2 1', // ...:0000:0002
      '2001:db8::1:0 1', // ...:0001:0000
    ]);
    expect(clients(queryConnections(table, { sort: 'client', desc: true }).rows)).toEqual(clients(page.rows).reverse());
  });

  it('agrees with a byte-wise comparison of any addresses and ports, on every page', () => {
    const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
    const v6 = fc.array(fc.oneof(fc.constant(0), fc.nat(0xffff)), { minLength: 8, maxLength: 8 }).map(formatIPv6);
    const row = fc.record({ client: fc.oneof(v4, v6), clientPort: fc.nat(0xffff) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.nat(20), (rows, offset) => {
        const want = rows
          .map((r, i) => ({ ...r, i }))
          .sort(
            (a, b) =>
              compareBytes(addressBytes(a.client), addressBytes(b.client)) || a.clientPort - b.clientPort || a.i - b.i,
          )
          .map((r) => `${r.client} ${r.clientPort}`);
        const page = queryConnections(tableOf(rows), { sort: 'client', offset, limit: 7 });
        expect(clients(page.rows)).toEqual(want.slice(offset, offset + 7));
        expect(page.matched).toBe(rows.length);
      }),
    );
  });
});

describe('connection query sort order on a large table (radix passes)', () => {
  /** A deterministic pseudo-random sequence (LCG), so the table is the same on every run. */
  function numbers(seed: number): () => number {
    let x = seed;
    return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  }

  it('sorts 20,000 entries by client, expiry and state like a comparison sort (ties in table order), counting matches', () => {
    const next = numbers(7);
    const rows: Row[] = Array.from({ length: 20_000 }, () => {
      const r = next();
      const client =
        r % 5 === 0
          ? formatIPv6([next() & 0x1f, 0xdb8, 0, 0, next() & 0xffff, 0, next() & 0x1f, next() & 0xff])
          : [10, next() & 3, next() & 255, next() & 255].join('.');
      const state = ['ESTABLISHED', 'FIN_WAIT', 'CLOSE', 'SYN_RECV'][next() % 4];
      return { client, clientPort: next() & 0xffff, expires: next() % 200_000, state, dest: `10.2.0.${next() % 3}` };
    });
    const want = rows
      .map((r, i) => ({ ...r, i, bytes: addressBytes(r.client) }))
      .sort((a, b) => compareBytes(a.bytes, b.bytes) || a.clientPort - b.clientPort || a.i - b.i);
    const table = tableOf(rows);
    const page = queryConnections(table, { sort: 'client', offset: 9_000, limit: 1000 });
    expect(clients(page.rows)).toEqual(want.slice(9_000, 10_000).map((r) => `${r.client} ${r.clientPort}`));
    const byExpiry = rows.map((r, i) => ({ e: r.expires ?? 0, i })).sort((a, b) => a.e - b.e || a.i - b.i);
    const last = queryConnections(table, { sort: 'expires', offset: 19_000, limit: 1000 });
    expect(last.rows.map((r) => r.expires)).toEqual(byExpiry.slice(19_000).map((r) => r.e));
    const states = queryConnections(table, { sort: 'state', desc: true, limit: 1000 }).rows.map((r) => r.state);
    expect(new Set(states)).toEqual(new Set(['SYN_RECV']));
    const fin = queryConnections(table, { state: 'fin_wait', dest: '10.2.0.1:80', sort: 'client' });
    const finRows = rows.filter((r) => r.state === 'FIN_WAIT' && r.dest === '10.2.0.1');
    expect(fin).toMatchObject({
      total: 20_000,
      matched: finRows.length,
      byState: { FIN_WAIT: finRows.length },
      byDest: { '10.2.0.1:80': finRows.length },
    });
  });
});

describe('ipv6Groups (the sort keys of IPv6 addresses)', () => {
  it('reads the same groups as parseIPv6 from any text of hex digits, colons and dots', () => {
    for (const s of [
      '::',
      '::1',
      'a::1',
      '1::8',
      '0:3::',
      '::ffff:10.0.0.1',
      ':::',
      '1::2::3',
      '12345::',
      '1:2:3:4:5:6:7',
    ]) {
      expect(ipv6Groups(s)).toEqual(parseIPv6(s));
    }
    const text = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.'), maxLength: 24 });
    const groups = fc.array(fc.oneof(fc.constant(0), fc.nat(0xffff)), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(text, (s) => {
        expect(ipv6Groups(s)).toEqual(parseIPv6(s));
      }),
    );
    fc.assert(
      fc.property(groups, (g) => {
        expect(ipv6Groups(formatIPv6(g))).toEqual(g);
      }),
    );
  });
});
