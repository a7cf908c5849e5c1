import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { destinationId, type Edit, type Service } from '../../ipvs';
import {
  initialHealth,
  observe,
  parseHealthConfig,
  planService,
  quorumHeld,
  type DestHealth,
  type KeptWeight,
  type ServiceHealthConfig,
} from '..';

const key = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
const dest = (address: string, weight: number) => ({
  address,
  port: 80,
  forward: 'masq' as const,
  weight,
  activeConns: 0,
  inactiveConns: 0,
});
const service = (dests: ReturnType<typeof dest>[]): Service => ({
  ...key,
  scheduler: 'wrr',
  flags: [],
  ops: false,
  destinations: dests,
});

/** What the kernel does with the planned edits. */
function applyEdits(s: Service, edits: Edit[]): Service {
  let dests = [...s.destinations];
  for (const e of edits) {
    if (e.kind === 'delete-destination') dests = dests.filter((d) => destinationId(d) !== destinationId(e.destination));
    else if (e.kind === 'edit-destination')
      dests = dests.map((d) =>
        destinationId(d) === destinationId(e.destination) ? { ...d, weight: e.destination.weight } : d,
      );
    else if (e.kind === 'add-destination') dests.unshift(dest(e.destination.address, e.destination.weight));
  }
  return { ...s, destinations: dests };
}

const config = (onFailure: 'quiesce' | 'remove', sorry = false): ServiceHealthConfig =>
  parseHealthConfig({
    services: [
      {
        service: key,
        check: { check: { type: 'tcp' }, rise: 2, fall: 2, intervalMs: 1000, timeoutMs: 500, onFailure },
        ...(sorry ? { sorryServer: { address: '10.2.0.99', port: 80, forward: 'masq', weight: 1 } } : {}),
      },
    ],
  }).services[0]!;

describe('planService', () => {
  it('never loses the configured weight through any sequence of failures and recoveries, and ends at it once up', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('quiesce' as const, 'remove' as const),
        fc.integer({ min: 1, max: 65535 }),
        fc.integer({ min: 1, max: 65535 }),
        fc.array(fc.tuple(fc.boolean(), fc.boolean()), { maxLength: 40 }),
        (onFailure, w1, w2, rounds) => {
          const cfg = config(onFailure, true);
          const check = cfg.check!;
          let kernel = service([dest('10.2.0.11', w1), dest('10.2.0.12', w2)]);
          let kept = new Map<string, KeptWeight>();
          const health = new Map<string, DestHealth>([
            ['10.2.0.11:80', initialHealth(check, 0)],
            ['10.2.0.12:80', initialHealth(check, 0)],
          ]);
          const step = (now: number) => {
            const p = planService({ key, service: kernel, config: cfg, health, kept, now });
            kernel = applyEdits(
              kernel,
              p.edits.map((e) => e.edit),
            );
            kept = p.kept;
            return p;
          };
          step(0);
          for (const [i, [a, b]] of rounds.entries()) {
            const at = 1000 * (i + 1);
            health.set('10.2.0.11:80', observe(health.get('10.2.0.11:80')!, { ok: a, at, latencyMs: 1 }, check).health);
            health.set('10.2.0.12:80', observe(health.get('10.2.0.12:80')!, { ok: b, at, latencyMs: 1 }, check).health);
            step(at);
            expect(kept.get('10.2.0.11:80')?.config.weight).toBe(w1);
            expect(kept.get('10.2.0.12:80')?.config.weight).toBe(w2);
            const up = [...health.values()].some((h) => h.status === 'up');
            // the sorry server is there (weight 1) exactly when no real server is up
            expect(kernel.destinations.find((d) => d.address === '10.2.0.99')?.weight).toBe(up ? undefined : 1);
            for (const [id, h] of health) {
              const d = kernel.destinations.find((x) => destinationId(x) === id);
              if (h.status === 'down')
                expect(onFailure === 'remove' ? d : d?.weight).toBe(onFailure === 'remove' ? undefined : 0);
            }
          }
          for (const id of health.keys()) health.set(id, { ...health.get(id)!, status: 'up' });
          step(10_000_000);
          expect(kernel.destinations.map((d) => [d.address, d.weight]).sort()).toEqual([
            ['10.2.0.11', w1],
            ['10.2.0.12', w2],
          ]);
        },
      ),
    );
  });

  it("with a quorum, swaps the sorry server in for the real servers still up once the quorum is lost, as keepalived's update_quorum_state does, and back once it is regained", () => {
    fc.assert(
      fc.property(
        fc.constantFrom('quiesce' as const, 'remove' as const),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), { maxLength: 30 }),
        (onFailure, weights, minWeight, hyst, rounds) => {
          const hysteresis = Math.min(hyst, minWeight - 1);
          const base = config(onFailure, true);
          const cfg: ServiceHealthConfig = { ...base, quorum: { minWeight, hysteresis } };
          const check = cfg.check!;
          const addrs = weights.map((_, i) => `10.2.0.${11 + i}`);
          let kernel = service(addrs.map((a, i) => dest(a, weights[i]!)));
          let kept = new Map<string, KeptWeight>();
          const health = new Map<string, DestHealth>(addrs.map((a) => [`${a}:80`, initialHealth(check, 0)]));
          let held: boolean | undefined;
          const step = (now: number) => {
            const p = planService({ key, service: kernel, config: cfg, health, kept, now, quorumBefore: held });
            kernel = applyEdits(
              kernel,
              p.edits.map((e) => e.edit),
            );
            kept = p.kept;
            held = quorumHeld(cfg.quorum!, p.healthyWeight, held);
            return p;
          };
          step(0);
          for (const [i, oks] of rounds.entries()) {
            const at = 1000 * (i + 1);
            addrs.forEach((a, j) => {
              const id = `${a}:80`;
              health.set(id, observe(health.get(id)!, { ok: oks[j]!, at, latencyMs: 1 }, check).health);
            });
            step(at);
            const sorry = kernel.destinations.find((d) => d.address === '10.2.0.99');
            const serving = kernel.destinations.filter((d) => d.address !== '10.2.0.99' && d.weight > 0);
            // exactly one of them answers: the sorry server (weight 1) while the quorum is lost, else the real servers
            // that are up, each at its configured weight
            if (!held) expect([sorry?.weight, serving]).toEqual([1, []]);
            else {
              expect(sorry).toBeUndefined();
              const up = addrs.filter((a) => health.get(`${a}:80`)!.status === 'up');
              expect(serving.map((d) => [d.address, d.weight]).sort()).toEqual(
                up.map((a) => [a, weights[addrs.indexOf(a)]]).sort(),
              );
            }
            addrs.forEach((a, j) => expect(kept.get(`${a}:80`)?.config.weight).toBe(weights[j]));
          }
        },
      ),
    );
  });

  it('takes a weight someone else set as the configured weight, and keeps it through a quiesce', () => {
    const cfg = config('quiesce');
    let kept = new Map<string, KeptWeight>();
    const up = new Map([['10.2.0.11:80', initialHealth(cfg.check!, 0)]]);
    kept = planService({ key, service: service([dest('10.2.0.11', 5)]), config: cfg, health: up, kept, now: 0 }).kept;
    // an operator sets 9 by hand
    kept = planService({ key, service: service([dest('10.2.0.11', 9)]), config: cfg, health: up, kept, now: 1 }).kept;
    const down = new Map([['10.2.0.11:80', { ...initialHealth(cfg.check!, 0), status: 'down' as const }]]);
    const p = planService({ key, service: service([dest('10.2.0.11', 9)]), config: cfg, health: down, kept, now: 2 });
    expect(p.edits.map((e) => e.edit)).toEqual([
      {
        kind: 'edit-destination',
        service: key,
        destination: { address: '10.2.0.11', port: 80, forward: 'masq', weight: 0 },
      },
    ]);
    expect(p.kept.get('10.2.0.11:80')).toEqual({
      config: { address: '10.2.0.11', port: 80, forward: 'masq', weight: 9 },
      applied: 0,
    });
    // the agent restarts: the kernel says 0, the kept weight says 9 and that the 0 was ours
    const again = planService({
      key,
      service: service([dest('10.2.0.11', 0)]),
      config: cfg,
      health: up,
      kept: p.kept,
      now: 3,
    });
    expect(again.edits.map((e) => e.edit)).toEqual([
      {
        kind: 'edit-destination',
        service: key,
        destination: { address: '10.2.0.11', port: 80, forward: 'masq', weight: 9 },
      },
    ]);
  });

  it('before any check has state, counts real servers by their start state: no sorry server, quorum weight kept', () => {
    const p = planService({
      key,
      service: service([dest('10.2.0.11', 2), dest('10.2.0.12', 1)]),
      config: config('quiesce', true),
      health: new Map(),
      kept: new Map(),
      now: 0,
    });
    expect(p.edits).toEqual([]);
    expect(p.healthyWeight).toBe(3);
  });

  it('forgets a real server someone deleted, and leaves unchecked ones alone', () => {
    const cfg = { ...config('quiesce'), check: undefined };
    const kept = new Map([
      ['10.2.0.11:80', { config: { ...dest('10.2.0.11', 3), weight: 3 }, applied: 3 } as KeptWeight],
    ]);
    const p = planService({
      key,
      service: service([dest('10.2.0.12', 1)]),
      config: cfg,
      health: new Map(),
      kept,
      now: 0,
    });
    expect(p.edits).toEqual([]);
    expect([...p.kept.keys()]).toEqual(['10.2.0.12:80']);
    expect(p.members.size).toBe(0);
  });
});

describe('parseHealthConfig', () => {
  it('names the bad field and the reason', () => {
    const bad = (input: unknown) => {
      try {
        parseHealthConfig(input);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    const svc = (check: unknown) => ({ services: [{ service: key, check }] });
    expect(bad(svc({ check: { type: 'http', path: 'x' } }))).toMatch(
      /^services\.0\.check\.check\.path: must start with "\/"/,
    );
    expect(bad(svc({ check: { type: 'tcp' }, intervalMs: 1000, timeoutMs: 2000 }))).toBe(
      'services.0.check.timeoutMs: must not be above intervalMs',
    );
    expect(bad(svc({ check: { type: 'command', argv: ['check.sh'] } }))).toBe(
      'services.0.check.check.argv.0: the program must be an absolute path',
    );
    expect(bad(svc({ check: { type: 'http', path: '/', bodyRegex: '(' } }))).toBe(
      'services.0.check.check.bodyRegex: not a valid regular expression',
    );
    expect(bad(svc({ check: { type: 'dns', name: 'a b' } }))).toMatch(/^services\.0\.check\.check\.name: a DNS name/);
    expect(bad(svc({ check: { type: 'http', path: '/', status: [{ from: 300, to: 200 }] } }))).toBe(
      'services.0.check.check.status.0.to: from must not be above to',
    );
    expect(bad({ services: [{ service: key }, { service: key }] })).toBe('services.1.service: tcp/10.1.0.10:80 twice');
    expect(
      bad(
        svc({
          check: { type: 'https', path: '/health', host: 'www.example.com', sni: 'www.example.com', verifyTls: true },
        }),
      ),
    ).toBe('accepted');
  });
});
