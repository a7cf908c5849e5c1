import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDrift, PAIR_MODES, type DriftKind, type PairTable } from '../drift';
import { serviceId, serviceKey, type Service, type SyncDaemon } from '../ipvs';
import { arbService } from '../ipvs/__tests__/arbitraries';

const daemonsFor = (mode: (typeof PAIR_MODES)[number], role: 'first' | 'second'): SyncDaemon[] => {
  const master: SyncDaemon = { state: 'master', mcastInterface: 'eth1', syncId: 7 };
  const backup: SyncDaemon = { state: 'backup', mcastInterface: 'eth1', syncId: 7 };
  if (mode === 'active-active') return [master, backup];
  return [role === 'first' ? master : backup];
};

const arbPair = fc.record({
  mode: fc.constantFrom(...PAIR_MODES),
  services: fc.uniqueArray(arbService(), { minLength: 1, maxLength: 6, selector: (s) => serviceId(serviceKey(s)) }),
  timeouts: fc.record({
    tcp: fc.integer({ min: 1, max: 9999 }),
    tcpfin: fc.integer({ min: 1, max: 9999 }),
    udp: fc.integer({ min: 1, max: 9999 }),
  }),
});

const tables = (p: { mode: string; services: Service[]; timeouts: NonNullable<PairTable['timeouts']> }) => {
  const mode = p.mode as (typeof PAIR_MODES)[number];
  const copy = (): Service[] => structuredClone(p.services);
  return {
    mode,
    first: { services: copy(), timeouts: { ...p.timeouts }, daemons: daemonsFor(mode, 'first') },
    second: { services: copy(), timeouts: { ...p.timeouts }, daemons: daemonsFor(mode, 'second') },
  };
};

/** One difference of each kind, made on the second member's copy; null when this table cannot have it. */
const DIFFERENCES: Record<DriftKind, (t: PairTable, i: number) => boolean> = {
  'service-missing': (t, i) => t.services.splice(i % t.services.length, 1).length === 1,
  'service-extra': (t) => {
    t.services.push({
      protocol: 'tcp',
      address: '192.0.2.250',
      port: 4242,
      scheduler: 'rr',
      flags: [],
      ops: false,
      destinations: [],
    });
    return true;
  },
  'service-changed': (t, i) => {
    const s = t.services[i % t.services.length]!;
    s.ops = !s.ops;
    return true;
  },
  'destination-missing': (t, i) => {
    const s = t.services.find((x, j) => j >= i % t.services.length && x.destinations.length > 0);
    return Boolean(s?.destinations.splice(0, 1).length);
  },
  'destination-extra': (t, i) => {
    const s = t.services[i % t.services.length]!;
    const v6 = s.protocol === 'fwmark' ? s.ipv6 === true : (s.address ?? '').includes(':');
    const address = v6 ? '2001:db8::fe' : '192.0.2.254';
    if (s.destinations.some((d) => d.address === address)) return false;
    const port = s.protocol === 'fwmark' ? 0 : (s.port ?? 0);
    s.destinations.push({ address, port, forward: 'masq', weight: 1, activeConns: 0, inactiveConns: 0 });
    return true;
  },
  'destination-changed': (t, i) => {
    const d = t.services.find((x, j) => j >= i % t.services.length && x.destinations.length > 0)?.destinations[0];
    if (!d) return false;
    d.weight = (d.weight + 1) % 65536;
    return true;
  },
  timeout: (t) => {
    t.timeouts = { ...t.timeouts!, udp: t.timeouts!.udp + 1 };
    return true;
  },
  'sync-daemon': (t) => {
    const [d, ...rest] = t.daemons;
    if (!d) return false;
    t.daemons = [{ ...d, syncId: d.syncId + 1 }, ...rest];
    return true;
  },
};

describe('computeDrift', () => {
  it('finds no drift between a table and itself (counters aside)', () => {
    fc.assert(
      fc.property(arbPair, (p) => {
        const { mode, first, second } = tables(p);
        // counters and connection counts never count
        for (const s of second.services) for (const d of s.destinations) d.activeConns += 5;
        const drift = computeDrift(mode, first, second);
        expect(drift.items).toEqual([]);
        expect(drift.diff.plan).toEqual([]);
      }),
    );
  });

  it('reports every single difference exactly once, with its kind, and plans only for table differences', () => {
    fc.assert(
      fc.property(arbPair, fc.constantFrom(...(Object.keys(DIFFERENCES) as DriftKind[])), fc.nat(), (p, kind, i) => {
        const { mode, first, second } = tables(p);
        fc.pre(DIFFERENCES[kind](second, i));
        const { items, diff } = computeDrift(mode, first, second);
        expect(items).toHaveLength(1);
        expect(items[0]?.kind).toBe(kind);
        const inTable = kind !== 'timeout' && kind !== 'sync-daemon';
        expect(diff.plan.length > 0).toBe(inTable);
      }),
    );
  });

  it('tells a missing backup daemon and a wrong sync id apart, per pair mode', () => {
    const master: SyncDaemon = { state: 'master', mcastInterface: 'eth1', syncId: 3 };
    const t = (daemons: SyncDaemon[]): PairTable => ({ services: [], daemons });
    expect(computeDrift('master-backup', t([master]), t([])).items).toEqual([
      { kind: 'sync-daemon', target: 'master -> backup', field: 'syncId', first: 3, second: null },
    ]);
    expect(computeDrift('master-backup', t([master]), t([{ ...master, state: 'backup' }])).items).toEqual([]);
    expect(computeDrift('master-backup', t([]), t([])).items).toEqual([]);
    const both = [master, { ...master, state: 'backup' as const }];
    expect(computeDrift('active-active', t(both), t([{ ...master, state: 'backup' }])).items).toEqual([
      { kind: 'sync-daemon', target: 'backup <- master', field: 'syncId', first: 3, second: null },
    ]);
  });
});
