import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConnectionTable,
  SORT_KEYS,
  buffers,
  builtOrder,
  drain,
  formatIPv6,
  ipv4Number,
  nextPagesSteps,
  parseIPv6,
  prepareRead,
  queryConnections,
  releaseQueryBuffers,
  type ConnectionEntry,
  type ConnectionQuery,
  type SortKey,
} from '..';

/** A deterministic pseudo-random sequence (LCG). */
function numbers(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
}

interface Shape {
  rows: number;
  seed: number;
  /** Distinct client addresses: few gives many ties. */
  clients: number;
  /** One in `v6` clients is IPv6. */
  v6: number;
  ports: number;
  expiries: number;
}

function tableOf(s: Shape): ConnectionTable {
  const next = numbers(s.seed);
  const t = new ConnectionTable();
  const id = (x: string) => t.text.id(x);
  const pool = Array.from({ length: s.clients }, () =>
    next() % s.v6 === 0
      ? formatIPv6([next() & 3 ? 0x2001 : next() & 0xffff, 0xdb8, 0, 0, 0, next() & 7, next() & 0xff, next() & 0xffff])
      : [10, next() & 1, next() & 255, next() & 255].join('.'),
  );
  const states = ['ESTABLISHED', 'FIN_WAIT', 'CLOSE', 'SYN_RECV', 'TIME_WAIT'];
  for (let i = 0; i < s.rows; i++) {
    const svc = next() % 3;
    t.push({
      protocol: id(next() % 5 === 0 ? 'udp' : 'tcp'),
      state: id(states[next() % states.length] as string),
      expires: next() % s.expiries,
      client: id(pool[next() % pool.length] as string),
      clientPort: next() % s.ports,
      virtual: id(svc === 2 ? `2001:db8:1::${svc}` : `10.1.0.${svc}`),
      virtualPort: 80 + (next() % 2),
      dest: id(`10.2.0.${next() % 7}`),
      destPort: next() % 3 === 0 ? 8080 : 80,
    });
  }
  return t;
}

/** An address as bytes, IPv4 before IPv6. */
function addressBytes(s: string): number[] {
  const v4 = ipv4Number(s);
  if (v4 >= 0) return [4, v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255];
  return [6, ...(parseIPv6(s) ?? []).flatMap((g) => [g >>> 8, g & 255])];
}

function compareBytes(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The simple reference: a comparison sort of the entries, ties in table order. */
function compareBy(key: SortKey, a: ConnectionEntry, b: ConnectionEntry): number {
  switch (key) {
    case 'expires':
      return a.expires - b.expires;
    case 'client':
      return compareBytes(addressBytes(a.clientAddress), addressBytes(b.clientAddress)) || a.clientPort - b.clientPort;
    case 'virtual':
      return (
        compareBytes(addressBytes(a.virtualAddress), addressBytes(b.virtualAddress)) || a.virtualPort - b.virtualPort
      );
    case 'dest':
      return compareBytes(addressBytes(a.destAddress), addressBytes(b.destAddress)) || a.destPort - b.destPort;
    case 'state':
      return text(a.state, b.state);
    case 'protocol':
      return text(a.protocol, b.protocol);
  }
}

function expected(
  table: ConnectionTable,
  q: Required<Pick<ConnectionQuery, 'sort' | 'desc' | 'offset' | 'limit'>> & ConnectionQuery,
) {
  const rows = table
    .toArray()
    .map((e, i) => ({ e, i }))
    .filter(
      ({ e }) => (!q.state || e.state.toLowerCase() === q.state) && (!q.client || e.clientAddress.includes(q.client)),
    )
    .sort((a, b) => compareBy(q.sort, a.e, b.e) || a.i - b.i)
    .map(({ e }) => e);
  const byState: Record<string, number> = {};
  for (const e of rows) byState[e.state] = (byState[e.state] ?? 0) + 1;
  if (q.desc) rows.reverse();
  return { matched: rows.length, rows: rows.slice(q.offset, q.offset + q.limit), byState };
}

const shape = fc.record({
  rows: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 2000, max: 9000 })),
  seed: fc.nat(),
  clients: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 100, max: 6000 })),
  v6: fc.integer({ min: 1, max: 6 }),
  ports: fc.constantFrom(1, 3, 65536),
  expiries: fc.constantFrom(1, 50, 1 << 20),
});

const query = fc.record({
  sort: fc.constantFrom(...SORT_KEYS),
  desc: fc.boolean(),
  offset: fc.oneof(fc.nat(50), fc.nat(9000)),
  limit: fc.integer({ min: 1, max: 1000 }),
  state: fc.option(fc.constantFrom('fin_wait', 'close'), { nil: undefined }),
  client: fc.option(fc.constantFrom('10.0.1', ':', '2001:db8::', '.2'), { nil: undefined }),
});

/** The read as the agent gets it from the reader worker: the columns with their sort keys worked out there. */
function preparedRead(read: ConnectionTable): ConnectionTable {
  prepareRead(read);
  return ConnectionTable.fromColumns(read.toColumns());
}

describe('the first query sorted by a key after a read (selection, no whole order)', () => {
  it('answers the same page as a comparison sort, then builds the order, whose pages are the same; also after giving its buffers back', () => {
    fc.assert(
      // the buffers given back by one run are dirty when the next run takes them
      fc.property(shape, query, fc.boolean(), (s, q, prepared) => {
        const table = prepared ? preparedRead(tableOf(s)) : tableOf(s);
        const want = expected(table, q);
        const first = queryConnections(table, q);
        expect(builtOrder(table, q.sort)).toBeUndefined();
        expect(first.matched).toBe(want.matched);
        expect(first.byState).toEqual(want.byState);
        expect(first.rows).toEqual(want.rows);
        drain(nextPagesSteps(table, q));
        expect(builtOrder(table, q.sort)).toHaveLength(table.length);
        expect(queryConnections(table, q).rows).toEqual(want.rows);
        releaseQueryBuffers(table);
        expect(builtOrder(table, q.sort)).toBeUndefined();
        expect(queryConnections(table, q).rows).toEqual(want.rows);
        releaseQueryBuffers(table);
      }),
      { numRuns: 80 },
    );
  });
});

describe('a read handed over as columns (from the reader worker)', () => {
  it('keeps its texts as sent and indexes them only when a text is looked up', () => {
    const read = tableOf({ rows: 500, seed: 3, clients: 50, v6: 3, ports: 3, expiries: 50 });
    const cols = read.toColumns();
    const table = ConnectionTable.fromColumns(cols);
    expect(table.text.values).toBe(cols.text); // adopted, not re-interned one by one
    expect(table.toArray()).toEqual(read.toArray());
    expect(table.text.find('10.2.0.3')).toBe(read.text.find('10.2.0.3'));
    expect(table.text.find('10.9.9.9')).toBeUndefined();
    expect(table.text.id('10.9.9.9')).toBe(cols.text.length - 1);
    expect(read.text.find('10.9.9.9')).toBeUndefined(); // the read it came from keeps its own texts
  });

  it('brings its sort keys and counts: the first sorted query works out none of them on the receiving thread', () => {
    const shape = { rows: 9000, seed: 5, clients: 6000, v6: 3, ports: 65536, expiries: 50 };
    const table = preparedRead(tableOf(shape));
    // working the keys out here reads every text of the dictionary (to rank the addresses); the page reads a few
    let reads = 0;
    const counted = new Proxy(table.text.values, {
      get: (values, key, receiver) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(values, key, receiver) as unknown;
      },
    });
    Object.assign(table.text, { values: counted });
    // counting the rows per state reads every row's state; the page reads a few
    let stateReads = 0;
    const states = table.state;
    const countedStates = new Proxy(states, {
      get: (column, key) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) stateReads++;
        const v = Reflect.get(column, key, column) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(column) : v;
      },
    });
    Object.assign(table, { state: countedStates });
    for (const sort of SORT_KEYS) {
      const q = { sort, offset: 100, limit: 5 } as const;
      expect(queryConnections(table, q)).toEqual(queryConnections(tableOf(shape), q)); // counts too
    }
    expect(reads).toBeLessThan(table.text.values.length / 4);
    expect(stateReads).toBeLessThan(table.length / 4);
  });

  it('gives its sort orders back when released: the order of the next read is built in memory already made', () => {
    const shape = { rows: 5000, seed: 9, clients: 300, v6: 4, ports: 3, expiries: 50 };
    const [old, next] = [tableOf(shape), tableOf({ ...shape, seed: 10 })];
    drain(nextPagesSteps(old, { sort: 'dest' }));
    releaseQueryBuffers(old);
    const made = buffers.made;
    drain(nextPagesSteps(next, { sort: 'dest' }));
    expect(builtOrder(next, 'dest')).toHaveLength(5000);
    expect(buffers.made).toBe(made);
  });
});
