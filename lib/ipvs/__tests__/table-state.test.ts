import { ApiError } from '../../errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Destination,
  Service,
  applyDelta,
  configSignature,
  diffState,
  listingToServices,
  mergeListing,
  parseListing,
  type TableDelta,
  type TableState,
} from '..';
import { arbService } from './arbitraries';
import { fixture } from './fixtures';

const state = (services: Service[], version = 1, epoch = 'e1'): TableState => ({
  epoch,
  version,
  updatedAt: 1,
  services,
  daemons: [],
  owners: [],
  timeouts: { tcp: 900, tcpfin: 120, udp: 300 },
});
const live = () =>
  mergeListing(
    listingToServices(parseListing(fixture('tuninfo.Ln-tun-info.txt'))),
    parseListing(fixture('stats-exact.Ln-stats-exact.txt')),
  );

describe('table deltas', () => {
  it('sends nothing when nothing changed', () => {
    expect(diffState(state(live()), state(live()))).toBeNull();
  });

  it('sends only the counters that moved when 1% of them change', () => {
    const prev = state(live());
    const next = state(live());
    const web = next.services.find((s) => s.port === 80 && s.protocol === 'tcp') as Service;
    web.destinations[0] = { ...web.destinations[0]!, stats: { ...web.destinations[0]!.stats!, conns: 999 } };
    const d = diffState(prev, next);
    expect(d).toEqual({
      epoch: 'e1',
      version: 1,
      updatedAt: 1,
      changed: [
        {
          id: 'tcp/10.1.0.10:80',
          changedDestinations: [{ id: '10.2.0.11:80', set: { stats: { ...web.destinations[0]!.stats!, conns: 999 } } }],
        },
      ],
    });
    expect(JSON.stringify(d).length).toBeLessThan(JSON.stringify(next).length / 20);
  });

  it('carries the IPVS version and hash table size once, when they appear or change', () => {
    const prev = state(live());
    const next = { ...state(live()), ipvs: { version: '1.2.1', connTableSize: 4096 } };
    const d = diffState(prev, next);
    expect(d).toEqual({ epoch: 'e1', version: 1, updatedAt: 1, ipvs: { version: '1.2.1', connTableSize: 4096 } });
    expect(applyDelta(prev, d!)).toEqual(next);
    expect(diffState(next, { ...next })).toBeNull();
  });

  it('marks removed optional fields with null and round-trips', () => {
    const prev = state(live());
    const next = state(live(), 2);
    const s = next.services.find((x) => x.port === 443 && x.protocol === 'tcp') as Service;
    delete s.persistent;
    const d = diffState(prev, next);
    expect(d?.changed?.[0]?.set).toEqual({ persistent: null });
    expect(applyDelta(prev, d!)).toEqual(next);
  });

  it("keeps the objects of the services a delta leaves (the overview's rows are memoised on them), delta after delta", () => {
    const tables = [state(live(), 1), state(live(), 1), state(live(), 1)];
    const web = (t: TableState) => t.services.find((s) => s.port === 80 && s.protocol === 'tcp') as Service;
    for (const [i, t] of tables.entries()) {
      const d0 = web(t).destinations[0]!;
      web(t).destinations[0] = { ...d0, stats: { ...d0.stats!, conns: 1000 + i } };
    }
    let applied = tables[0]!;
    for (const next of tables.slice(1)) {
      const before = applied;
      applied = applyDelta(before, diffState(before, next)!);
      expect(applied).toEqual(next);
      const moved = applied.services.filter((s, k) => s !== before.services[k]);
      expect(moved).toEqual([web(next)]);
    }
  });

  it('applyDelta(prev, diffState(prev, next)) equals next, for random tables', () => {
    fc.assert(
      fc.property(
        fc.array(arbService(), { maxLength: 5 }),
        fc.array(arbService(), { maxLength: 5 }),
        fc.boolean(),
        (a, b, overlap) => {
          const prev = state(a, 1);
          const next = state(
            overlap
              ? [...a.slice(0, 2).map((s) => ({ ...s, scheduler: 'rr', destinations: s.destinations.slice(1) })), ...b]
              : b,
            2,
          );
          const uniq = (t: TableState) =>
            new Set(t.services.map((s) => JSON.stringify([s.protocol, s.address, s.port, s.fwmark, s.ipv6]))).size ===
            t.services.length;
          fc.pre(uniq(prev) && uniq(next));
          for (const columnsAt of [0, 0.25, Infinity]) {
            const d = diffState(prev, next, { columnsAt });
            // exactly next: real servers in the kernel's order too, so counter columns land on the right ones
            expect(d ? applyDelta(prev, d) : prev).toEqual(next);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives the same delta by place as by id when every service keeps its place, kept or read afresh', () => {
    const changes: ((s: Service) => Service)[] = [
      (s) => s, // the same object
      (s) => structuredClone(s), // read afresh, nothing moved
      (s) => ({ ...s, scheduler: s.scheduler === 'rr' ? 'wrr' : 'rr' }),
      (s) => ({ ...s, destinations: s.destinations.slice(1) }),
      (s) => ({ ...s, destinations: [...s.destinations].reverse() }),
      (s) => ({
        ...s,
        stats: { conns: 1, inPkts: 2, outPkts: 3, inBytes: 4, outBytes: 5 },
        destinations: s.destinations.map((d) => ({ ...d, activeConns: d.activeConns + 1 })),
      }),
    ];
    const uniq = (t: Service[]) =>
      new Set(t.map((s) => JSON.stringify([s.protocol, s.address, s.port, s.fwmark, s.ipv6]))).size === t.length;
    fc.assert(
      fc.property(
        fc.array(arbService(), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(changes.length - 1), { minLength: 6, maxLength: 6 }),
        (a, picks) => {
          fc.pre(uniq(a));
          const prev = state(a, 1);
          const next = state(
            a.map((s, i) => (changes[picks[i] as number] as (s: Service) => Service)(s)),
            2,
          );
          // the same table with its last service first: no longer in its places, diffed by id (and a new order)
          const rotated = { ...next, services: [...next.services.slice(-1), ...next.services.slice(0, -1)] };
          const byId = (t: TableDelta | null) => [...(t?.changed ?? [])].sort((x, y) => x.id.localeCompare(y.id));
          for (const columnsAt of [0, 0.25, Infinity]) {
            const d = diffState(prev, next, { columnsAt });
            expect(d ? applyDelta(prev, d) : prev).toEqual(next);
            expect(d?.order).toBeUndefined();
            if (a.length < 2) continue;
            const moved = diffState(prev, rotated, { columnsAt });
            expect(moved?.order).toBeDefined();
            expect(byId(d)).toEqual(byId(moved));
            expect([d?.added, d?.removed, moved?.added, moved?.removed]).toEqual([
              undefined,
              undefined,
              undefined,
              undefined,
            ]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('carries a service signature over to a fresh object only when its configuration is the same, field by field', () => {
    type Change = (s: Service) => Service;
    const dest =
      (f: (d: Service['destinations'][number]) => object): Change =>
      (s) => ({ ...s, destinations: s.destinations.map((d, j) => (j ? d : { ...d, ...f(d) })) });
    /** Each field of the configuration changed (what must make a new signature), by the fields it changes; then
     * counters (what must not). */
    const config: [fields: string, Change][] = [
      ['protocol', (s) => (s.protocol === 'fwmark' ? s : { ...s, protocol: s.protocol === 'tcp' ? 'udp' : 'tcp' })],
      ['scheduler', (s) => ({ ...s, scheduler: s.scheduler === 'rr' ? 'wrr' : 'rr' })],
      ['flags', (s) => ({ ...s, flags: s.flags.length ? [] : ['flag-1'] })],
      ['ops', (s) => ({ ...s, ops: !s.ops })],
      ['persistent', (s) => ({ ...s, persistent: (s.persistent ?? 0) + 1 })],
      ['netmask', (s) => ({ ...s, netmask: s.netmask === '255.255.0.0' ? '255.255.255.0' : '255.255.0.0' })],
      ['pe', (s) => ({ ...s, pe: s.pe === 'sip' ? undefined : 'sip' })],
      [
        'fwmark port',
        (s) =>
          s.protocol === 'fwmark' ? { ...s, fwmark: (s.fwmark ?? 0) + 1 } : { ...s, port: ((s.port ?? 0) + 1) % 65536 },
      ],
      [
        'ipv6 address',
        (s) =>
          s.protocol === 'fwmark'
            ? { ...s, ipv6: s.ipv6 ? undefined : true }
            : { ...s, address: s.address === '10.9.9.9' ? '10.9.9.8' : '10.9.9.9' },
      ],
      ['destinations', (s) => ({ ...s, destinations: s.destinations.slice(1) })],
      ['d.address', dest((d) => ({ address: d.address === '10.8.8.8' ? '10.8.8.7' : '10.8.8.8' }))],
      ['d.port', dest((d) => ({ port: (d.port + 1) % 65536 }))],
      ['d.forward', dest((d) => ({ forward: d.forward === 'masq' ? 'route' : 'masq' }))],
      ['d.weight', dest((d) => ({ weight: (d.weight + 1) % 65536 }))],
      ['d.upperThreshold', dest((d) => ({ upperThreshold: (d.upperThreshold ?? 0) + 1 }))],
      ['d.lowerThreshold', dest((d) => ({ lowerThreshold: (d.lowerThreshold ?? 0) + 1 }))],
      [
        'd.tunnelType',
        dest((d) => ({ forward: 'tunnel', tunnelType: d.tunnelType === 'gue' ? 'gre' : 'gue', tunnelPort: 6080 })),
      ],
      ['d.tunnelPort', dest((d) => ({ forward: 'tunnel', tunnelType: 'gue', tunnelPort: (d.tunnelPort ?? 0) + 1 }))],
      [
        'd.tunnelChecksum',
        dest((d) => ({
          forward: 'tunnel',
          tunnelType: 'gre',
          tunnelChecksum: d.tunnelChecksum === 'csum' ? 'nocsum' : 'csum',
        })),
      ],
    ];
    // every field of the model is configuration (changed above) or state: a field added to the model fails here
    // until it is placed, and as configuration it must then be compared by sameConfig (config-signature.ts)
    const stateFields = ['stats', 'rate', 'd.activeConns', 'd.inactiveConns', 'd.persistConns', 'd.stats', 'd.rate'];
    const modelFields = [...Object.keys(Service.shape), ...Object.keys(Destination.shape).map((k) => `d.${k}`)];
    expect([...config.flatMap(([f]) => f.split(' ')), ...stateFields].sort()).toEqual(modelFields.sort());
    const changes = config.map(([, c]) => c);
    const counters: Change[] = [
      (s) => ({ ...s, stats: { conns: 1, inPkts: 2, outPkts: 3, inBytes: 4, outBytes: 5 } }),
      dest((d) => ({ activeConns: d.activeConns + 1, inactiveConns: d.inactiveConns + 1, persistConns: 3 })),
      (s) => s,
    ];
    fc.assert(
      fc.property(
        fc.array(arbService(), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.constantFrom(...changes, ...counters),
        (a, pick, change) => {
          const prev = state(a, 1);
          configSignature(prev); // what the last publish remembered of its objects
          // a table read afresh: every object new, one service changed
          const i = pick % a.length;
          const next = state(structuredClone(a.map((s, j) => (j === i ? change(s) : s))), 2);
          const fresh = configSignature(structuredClone(next));
          // a configuration change ipvsadm would not show (a netmask without persistence) is no change of it
          if (changes.includes(change)) fc.pre(fresh !== configSignature(prev));
          else expect(fresh).toBe(configSignature(prev));
          expect(configSignature(next, prev.services)).toBe(fresh);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('gives a table that keeps some service objects of the last one the signature and delta of a fresh copy', () => {
    fc.assert(
      fc.property(fc.array(arbService(), { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), (a, pick, weight) => {
        const prev = state(a, 1);
        configSignature(prev); // what an earlier publish remembered of these objects
        // an agent's confirmation of one edit: that service a new object, every other one kept as it was
        const i = pick % a.length;
        const edited = (s: Service): Service => ({
          ...s,
          scheduler: s.scheduler === 'rr' ? 'wrr' : 'rr',
          destinations: s.destinations.map((d, j) => (j ? d : { ...d, weight: weight % 65536 })),
        });
        const next = state(
          a.map((s, j) => (j === i ? edited(s) : s)),
          2,
        );
        const fresh = structuredClone(next);
        expect(configSignature(next)).toBe(configSignature(fresh));
        expect(configSignature(next)).not.toBe(configSignature(prev));
        for (const columnsAt of [0, 0.25, Infinity])
          expect(diffState(prev, next, { columnsAt })).toEqual(diffState(structuredClone(prev), fresh, { columnsAt }));
      }),
      { numRuns: 200 },
    );
  });

  it('never applies a delta of another epoch: an agent that restarted counts its versions from 1 again', () => {
    const before = state(live(), 1, 'run-1');
    const restarted = state(live(), 1, 'run-2');
    const w = restarted.services.find((s) => s.port === 80 && s.protocol === 'tcp') as Service;
    w.destinations[0] = { ...w.destinations[0]!, weight: 7 };
    const d = diffState(state(live(), 1, 'run-2'), { ...restarted, version: 2 })!;
    expect(d).toMatchObject({ epoch: 'run-2', version: 2 });
    // the same ids, a plausible version: applied to the old run's table it would mix two tables
    expect(() => applyDelta(before, d)).toThrow(ApiError);
    // an unchanged table of a new run is not "nothing changed"
    expect(diffState(before, state(live(), 1, 'run-2'))).toMatchObject({ epoch: 'run-2', version: 1 });
  });

  it('sends the counters as columns when most of them moved: smaller, and the same table once applied', () => {
    const prev = state(live());
    const next = state(live());
    let n = 0;
    for (const s of next.services) {
      s.rate = { cps: ++n, inPps: 2, outPps: 3, inBps: 4, outBps: 5 };
      for (const d of s.destinations) {
        d.activeConns += ++n;
        if (d.stats) d.stats = { ...d.stats, inBytes: d.stats.inBytes + 1000 };
      }
    }
    next.services[0]!.destinations[0]!.weight = 9; // a config change rides along as a patch
    const columns = diffState(prev, next)!;
    const patches = diffState(prev, next, { columnsAt: Infinity })!;
    expect(columns.counters).toBeDefined();
    expect(patches.counters).toBeUndefined();
    expect(columns.changed).toEqual([
      { id: patches.changed![0]!.id, changedDestinations: [{ id: expect.any(String), set: { weight: 9 } }] },
    ]);
    expect(applyDelta(prev, columns)).toEqual(next);
    expect(applyDelta(prev, patches)).toEqual(next);
    expect(JSON.stringify(columns).length).toBeLessThan(JSON.stringify(patches).length * 0.6);
  });

  it('keeps the listing order of real servers: a new one listed first gets its own counters from the columns', () => {
    const prev = state(live());
    const next = state(live(), 2);
    const web = next.services.find((s) => s.port === 80 && s.protocol === 'tcp') as Service;
    const fresh = { ...web.destinations[0]!, address: '10.2.0.99', weight: 7, activeConns: 1234 };
    web.destinations = [fresh, ...web.destinations.reverse()];
    for (const s of next.services) for (const d of s.destinations) d.inactiveConns += 1; // most counters move
    const d = diffState(prev, next)!;
    expect(d.counters).toBeDefined();
    expect(d.changed?.find((c) => c.id === 'tcp/10.1.0.10:80')?.destinationOrder).toEqual(
      web.destinations.map((x) => `${x.address}:${x.port}`),
    );
    const applied = applyDelta(prev, d);
    expect(applied).toEqual(next);
    expect(applied.services.find((s) => s.port === 80 && s.protocol === 'tcp')?.destinations[0]).toMatchObject({
      address: '10.2.0.99',
      activeConns: 1234,
    });
  });

  it('keeps patches for approximate counters, and refuses columns that do not fit the table', () => {
    const prev = state(live());
    const next = state(live());
    for (const s of next.services)
      s.stats = { conns: 1000, inPkts: 1, outPkts: 1, inBytes: 1, outBytes: 1, approximate: true };
    const d = diffState(prev, next, { columnsAt: 0 })!;
    expect(d.counters).toBeUndefined();
    expect(applyDelta(prev, d)).toEqual(next);
    const exact = diffState(prev, state(live()), { columnsAt: 0 })!;
    expect(() => applyDelta(prev, { ...exact, counters: exact.counters!.slice(1) })).toThrow(/counter columns hold/);
  });

  it('bases the version on configuration, not counters', () => {
    const a = live();
    const b = live().map((s) => ({ ...s, stats: undefined }));
    expect(configSignature(state(a))).toBe(configSignature(state(b)));
    const c = live();
    c[0]!.destinations[0]!.weight = 7;
    expect(configSignature(state(c))).not.toBe(configSignature(state(a)));
  });
});

describe('mergeListing of an older slice', () => {
  it('keeps the objects that already hold its values, and copies the ones it changes', () => {
    const base = live();
    const withConns = base.map((s, i) => ({
      ...s,
      destinations: s.destinations.map((d) => ({ ...d, persistConns: i === 0 ? 3 : 0 })),
    }));
    const slice = { format: 'persistent' as const, named: false, services: withConns, problems: [] };
    const once = mergeListing(base, slice, ['persistConns']);
    expect(once).toEqual(withConns);
    expect(once[0]).not.toBe(base[0]);
    // the next tick's read (the same objects, as a read that kept them) merged with the same slice: nothing new
    const again = mergeListing(once, slice, ['persistConns']);
    for (const [i, s] of again.entries()) expect(s).toBe(once[i]);
    const later = withConns.map((s) => ({
      ...s,
      destinations: s.destinations.map((d) => ({ ...d, persistConns: 5 })),
    }));
    const moved = mergeListing(once, { ...slice, services: later }, ['persistConns']);
    expect(moved).toEqual(later);
    expect(moved[0]).not.toBe(once[0]);
    expect(once[0]?.destinations[0]?.persistConns).toBe(3); // never changed in place
  });
});
