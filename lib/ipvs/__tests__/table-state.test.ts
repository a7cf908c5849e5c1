import { ApiError } from '../../errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyDelta,
  configSignature,
  diffState,
  listingToServices,
  mergeListing,
  parseListing,
  type Service,
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
