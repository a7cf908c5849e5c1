import { ApiError } from '../../errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  diffTables,
  listingToServices,
  mergeListing,
  parseListing,
  parseSave,
  serviceId,
  serviceKey,
  type Service,
  type TableDiff,
} from '..';
import { arbService } from './arbitraries';
import { fixture } from './fixtures';

const uniqueServices = (maxLength: number) =>
  fc.uniqueArray(arbService(), { maxLength, selector: (s) => serviceId(serviceKey(s)) });

/** A changed copy of `s` (same identity): which changes depends on the bits of `seed`. */
function mutate(s: Service, seed: number): Service {
  const m: Service = { ...s, destinations: s.destinations.map((d) => ({ ...d })) };
  if (seed & 1) m.scheduler = m.scheduler === 'rr' ? 'wrr' : 'rr';
  if (seed & 1) m.flags = [];
  if (seed & 2) m.ops = !m.ops;
  if (seed & 4) m.persistent = m.persistent === undefined ? 300 : undefined;
  if (m.persistent === undefined) {
    delete m.netmask;
    delete m.pe;
  }
  if (seed & 8) m.destinations = m.destinations.slice(1);
  const d = m.destinations[0];
  if (seed & 16 && d) d.weight = (d.weight + 1) % 65536;
  if (seed & 32 && d) d.upperThreshold = (d.upperThreshold ?? 0) + 10;
  return m;
}

/** Pairs of tables sharing some services (some of them changed) and each holding some of its own. */
const arbTables = fc
  .tuple(uniqueServices(6), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }))
  .map(([pool, seeds]) => {
    const a: Service[] = [];
    const b: Service[] = [];
    pool.forEach((s, i) => {
      const seed = seeds[i] ?? 0;
      if (seed % 3 !== 1) a.push(s); // 0: both, 1: b only, 2: a only
      if (seed % 3 !== 2) b.push(seed & 64 ? mutate(s, seed >> 1) : s);
    });
    return { a, b };
  });

const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

describe('diffTables', () => {
  // the live model with the counters and rates the agent merges into it every tick
  const live = mergeListing(
    mergeListing(
      listingToServices(parseListing(fixture('tuninfo.Ln-tun-info.txt'))),
      parseListing(fixture('stats-tuninfo.Ln-stats-tun-info.txt')),
    ),
    parseListing(fixture('rate.Ln-rate.txt')),
  );

  it('finds nothing between the live table (with its counters) and its own -Sn', () => {
    const d = diffTables(live, parseSave(fixture('save.Sn.txt')));
    expect(d).toEqual({ added: [], removed: [], changed: [], unchanged: live.length, edits: [], plan: [] });
  });

  it('reports services and real servers added, removed and changed field by field, with the plan', () => {
    const wanted = parseSave(
      fixture('save.Sn.txt')
        .replace('-A -t 10.1.0.10:80 -s wrr\n', '-A -t 10.1.0.10:80 -s sh -p 60 -b sh-port\n')
        .replace('-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1\n', '-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 4 -x 100\n')
        .replace('-a -t 10.1.0.10:80 -r 10.2.0.12:80 -m -w 3\n', '-a -t 10.1.0.10:80 -r 10.2.0.13:80 -g -w 3\n')
        .replace('--tun-type gue --tun-port 6080 --tun-nocsum', '--tun-type gre --tun-csum')
        .replace(/^-A -t 10\.1\.0\.10:81 -s lc\n/m, '') +
        '-A -u 10.1.0.10:99 -s rr -o\n-a -u 10.1.0.10:99 -r 10.2.0.11:99 -m -w 1\n',
    );
    const d = diffTables(live, wanted);
    expect(d.added).toEqual([
      {
        id: 'udp/10.1.0.10:99',
        service: { protocol: 'udp', address: '10.1.0.10', port: 99, scheduler: 'rr', flags: [], ops: true },
        destinations: [{ address: '10.2.0.11', port: 99, forward: 'masq', weight: 1 }],
      },
    ]);
    expect(d.removed).toEqual([
      {
        id: 'tcp/10.1.0.10:81',
        service: { protocol: 'tcp', address: '10.1.0.10', port: 81, scheduler: 'lc', flags: [], ops: false },
        destinations: [],
      },
    ]);
    expect(d.changed).toEqual([
      {
        id: 'tcp/10.1.0.10:80',
        key: { protocol: 'tcp', address: '10.1.0.10', port: 80 },
        fields: [
          { field: 'scheduler', before: 'wrr', after: 'sh' },
          { field: 'flags', before: [], after: ['sh-port'] },
          { field: 'persistent', before: null, after: 60 },
        ],
        addedDestinations: [{ address: '10.2.0.13', port: 80, forward: 'route', weight: 3 }],
        removedDestinations: [{ address: '10.2.0.12', port: 80, forward: 'masq', weight: 3 }],
        changedDestinations: [
          {
            id: '10.2.0.11:80',
            fields: [
              { field: 'weight', before: 1, after: 4 },
              { field: 'upperThreshold', before: null, after: 100 },
            ],
          },
        ],
      },
      {
        id: 'tcp/10.1.0.10:9000',
        key: { protocol: 'tcp', address: '10.1.0.10', port: 9000 },
        fields: [],
        addedDestinations: [],
        removedDestinations: [],
        changedDestinations: [
          {
            id: '10.3.0.33:9000',
            fields: [
              { field: 'tunnelType', before: 'gue', after: 'gre' },
              { field: 'tunnelPort', before: 6080, after: null },
              { field: 'tunnelChecksum', before: 'nocsum', after: 'csum' },
            ],
          },
        ],
      },
    ]);
    expect(d.unchanged).toBe(live.length - 3);
    expect(d.plan.map((a) => a.join(' '))).toEqual([
      '-A -u 10.1.0.10:99 -s rr -o',
      '-a -u 10.1.0.10:99 -r 10.2.0.11:99 -m -w 1',
      '-E -t 10.1.0.10:80 -s sh -p 60 -b sh-port',
      '-a -t 10.1.0.10:80 -r 10.2.0.13:80 -g -w 3',
      '-e -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 4 -x 100',
      '-e -t 10.1.0.10:9000 -r 10.3.0.33:9000 -i -w 1 --tun-type gre --tun-csum',
      '-d -t 10.1.0.10:80 -r 10.2.0.12:80',
      '-D -t 10.1.0.10:81',
    ]);
  });

  it('counts what ipvsadm would not see as no change: a netmask without persistence, a zero threshold, local forwarding', () => {
    const base: Service = {
      protocol: 'tcp',
      address: '10.0.0.1',
      port: 80,
      scheduler: 'rr',
      flags: [],
      ops: false,
      destinations: [{ address: '10.0.1.1', port: 80, forward: 'route', weight: 1, activeConns: 0, inactiveConns: 0 }],
    };
    const other: Service = {
      ...base,
      netmask: '255.255.255.0',
      destinations: [
        {
          address: '10.0.1.1',
          port: 80,
          forward: 'local',
          weight: 1,
          upperThreshold: 0,
          activeConns: 7,
          inactiveConns: 9,
        },
      ],
    };
    expect(diffTables([base], [other])).toMatchObject({ changed: [], unchanged: 1, plan: [] });
  });

  it('throws an invalid ApiError for a wanted table ipvsadm would refuse', () => {
    const bad: Service = {
      protocol: 'tcp',
      address: '10.0.0.1',
      port: 80,
      scheduler: 'nope',
      flags: [],
      ops: false,
      destinations: [],
    };
    expect(() => diffTables([], [bad])).toThrow(ApiError);
  });

  it('finds nothing between a table and itself, whatever its counters', () => {
    fc.assert(
      fc.property(uniqueServices(6), fc.nat(1000), (t, n) => {
        const counted = t.map((s) => ({
          ...s,
          rate: { cps: n, inPps: n, outPps: n, inBps: n, outBps: n },
          destinations: s.destinations.map((d) => ({ ...d, activeConns: n, inactiveConns: n + 1 })),
        }));
        expect(diffTables(t, counted)).toEqual<TableDiff>({
          added: [],
          removed: [],
          changed: [],
          unchanged: t.length,
          edits: [],
          plan: [],
        });
      }),
      { numRuns: 200 },
    );
  });

  it('mirrors: what diff(a, b) adds diff(b, a) removes, and every change is swapped', () => {
    fc.assert(
      fc.property(arbTables, ({ a, b }) => {
        const ab = diffTables(a, b);
        const ba = diffTables(b, a);
        expect(ids(ab.added)).toEqual(ids(ba.removed));
        expect(ids(ab.removed)).toEqual(ids(ba.added));
        expect(ab.unchanged).toBe(ba.unchanged);
        const back = new Map(ba.changed.map((c) => [c.id, c]));
        expect(ids(ab.changed)).toEqual(ids(ba.changed));
        for (const c of ab.changed) {
          const r = back.get(c.id);
          expect(r?.fields).toEqual(c.fields.map((f) => ({ field: f.field, before: f.after, after: f.before })));
          expect(r?.addedDestinations).toEqual(c.removedDestinations);
          expect(r?.removedDestinations).toEqual(c.addedDestinations);
          expect(r?.changedDestinations.map((x) => x.id).sort()).toEqual(c.changedDestinations.map((x) => x.id).sort());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists a service as changed exactly when the plan edits it in place', () => {
    fc.assert(
      fc.property(arbTables, ({ a, b }) => {
        const d = diffTables(a, b);
        const id = (k: Parameters<typeof serviceKey>[0]) => serviceId(serviceKey(k));
        const touched = new Set(
          d.edits
            .filter((e) => e.kind !== 'add-service' && e.kind !== 'delete-service')
            .map((e) => ('service' in e && e.service ? id(e.service) : '')),
        );
        for (const s of d.added) touched.delete(s.id);
        expect([...touched].sort()).toEqual(ids(d.changed));
        expect(d.edits.filter((e) => e.kind === 'add-service').length).toBe(d.added.length);
        expect(d.edits.filter((e) => e.kind === 'delete-service').length).toBe(d.removed.length);
        expect(d.added.length + d.changed.length + d.unchanged).toBe(b.length);
      }),
      { numRuns: 300 },
    );
  });
});
