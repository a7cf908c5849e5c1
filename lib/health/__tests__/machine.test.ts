import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  desiredWeight,
  initialHealth,
  nextCheckInMs,
  observe,
  slowStartAt,
  type CheckResult,
  type DestHealth,
} from '..';

const arbCounts = fc.record({ rise: fc.integer({ min: 1, max: 6 }), fall: fc.integer({ min: 1, max: 6 }) });
const results = (oks: boolean[]): CheckResult[] =>
  oks.map((ok, i) => ({ ok, at: 1000 * (i + 1), latencyMs: 1, ...(ok ? {} : { error: `e${i}` }) }));

function run(start: 'up' | 'down', oks: boolean[], c: { rise: number; fall: number }) {
  let h: DestHealth = initialHealth({ startState: start }, 0);
  const transitions: { index: number; to: string }[] = [];
  for (const [index, r] of results(oks).entries()) {
    const o = observe(h, r, c);
    h = o.health;
    if (o.transition) transitions.push({ index, to: o.transition.to });
  }
  return { h, transitions };
}

describe('health state machine (rise/fall)', () => {
  it('goes down exactly at the fall-th failure in a row and up exactly at the rise-th pass in a row', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('up' as const, 'down' as const),
        fc.array(fc.boolean(), { maxLength: 60 }),
        arbCounts,
        (start, oks, c) => {
          const { transitions } = run(start, oks, c);
          let status = start;
          let last = -1;
          for (const t of transitions) {
            expect(t.to).not.toBe(status); // transitions alternate
            const need = t.to === 'down' ? c.fall : c.rise;
            const since = Math.max(last + 1, t.index - need + 1);
            // the `need` results ending at the transition all agree with it, and none were counted twice
            expect(t.index - since + 1).toBe(need);
            expect(oks.slice(since, t.index + 1).every((ok) => ok === (t.to === 'up'))).toBe(true);
            status = t.to as 'up' | 'down';
            last = t.index;
          }
        },
      ),
    );
  });

  it('never holds a run long enough for a transition it did not make', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('up' as const, 'down' as const),
        fc.array(fc.boolean(), { maxLength: 60 }),
        arbCounts,
        (start, oks, c) => {
          const { h, transitions } = run(start, oks, c);
          const from = (transitions.at(-1)?.index ?? -1) + 1;
          const tail = oks.slice(from);
          let run_ = 0;
          for (let i = tail.length - 1; i >= 0 && tail[i] === (h.status === 'down'); i--) run_++;
          // while up, the trailing failures stay below fall; while down, the trailing passes below rise
          expect(run_).toBeLessThan(h.status === 'up' ? c.fall : c.rise);
          expect(h.checked).toBe(oks.length > 0);
        },
      ),
    );
  });

  it('names the last error and the count in the reason of a down transition', () => {
    let h = initialHealth({ startState: 'up' }, 0);
    h = observe(h, { ok: false, at: 1, latencyMs: 5, error: 'connect ECONNREFUSED' }, { rise: 2, fall: 2 }).health;
    const o = observe(h, { ok: false, at: 2, latencyMs: 5, error: 'HTTP 500' }, { rise: 2, fall: 2 });
    expect(o.transition).toEqual({
      from: 'up',
      to: 'down',
      at: 2,
      reason: '2 checks in a row failed (fall 2): HTTP 500',
    });
  });
});

describe('next check', () => {
  it('retries a failing up real server after retryIntervalMs until it falls, every other check after the interval', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 40 }), arbCounts, (oks, c) => {
        const cfg = { ...c, intervalMs: 2000, retryIntervalMs: 300 };
        let h = initialHealth({ startState: 'up' }, 0);
        let failedInRow = 0;
        for (const r of results(oks)) {
          const wasUp = h.status === 'up';
          h = observe(h, r, cfg).health;
          failedInRow = r.ok ? 0 : failedInRow + 1;
          // keepalived: a failure of an up real server short of retry + 1 is retried after delay_before_retry
          const retrying = wasUp && !r.ok && failedInRow < c.fall;
          expect(nextCheckInMs(h, cfg)).toBe(retrying ? 300 : 2000);
        }
        expect(nextCheckInMs(h, { intervalMs: 2000 })).toBe(2000);
      }),
    );
  });
});

describe('desired weight', () => {
  const arbCfg = fc.record({
    warmupMs: fc.integer({ min: 0, max: 10_000 }),
    slowStart: fc.option(
      fc.record({ durationMs: fc.integer({ min: 1000, max: 60_000 }), steps: fc.integer({ min: 2, max: 10 }) }),
      { nil: undefined },
    ),
    onFailure: fc.constantFrom('quiesce' as const, 'remove' as const),
  });

  it('after a recovery: out while warming up, then ramps without ever going down, to the configured weight', () => {
    fc.assert(
      fc.property(
        arbCfg,
        fc.integer({ min: 1, max: 65535 }),
        fc.array(fc.integer({ min: 0, max: 80_000 })),
        (cfg, w, times) => {
          const h: DestHealth = {
            ...initialHealth({ startState: 'up' }, 0),
            checked: true,
            since: 1000,
            recovered: true,
          };
          let prev = -1;
          for (const t of [...times].sort((a, b) => a - b)) {
            const d = desiredWeight(h, cfg, w, 1000 + t);
            const weight = d.present ? d.weight : 0;
            if (t < cfg.warmupMs) {
              expect(d).toEqual(cfg.onFailure === 'remove' ? { present: false } : { present: true, weight: 0 });
            } else {
              expect(weight).toBeGreaterThanOrEqual(1);
              expect(weight).toBeLessThanOrEqual(w);
              expect(weight).toBeGreaterThanOrEqual(prev);
            }
            if (t >= cfg.warmupMs + (cfg.slowStart?.durationMs ?? 0)) expect(weight).toBe(w);
            prev = weight;
          }
        },
      ),
    );
  });

  it('is out of service while down; a server up from the start neither warms up nor ramps', () => {
    fc.assert(
      fc.property(arbCfg, fc.integer({ min: 0, max: 65535 }), (cfg, w) => {
        const down: DestHealth = { ...initialHealth({ startState: 'down' }, 0) };
        expect(desiredWeight(down, cfg, w, 5)).toEqual(
          cfg.onFailure === 'remove' ? { present: false } : { present: true, weight: 0 },
        );
        expect(desiredWeight(initialHealth({ startState: 'up' }, 0), cfg, w, 5)).toEqual({ present: true, weight: w });
      }),
    );
  });

  it('uses the weight a check reported (dynamic weight) instead of the configured one', () => {
    const h: DestHealth = { ...initialHealth({ startState: 'up' }, 0), checked: true, reportedWeight: 7 };
    expect(desiredWeight(h, { warmupMs: 0, onFailure: 'quiesce' }, 3, 10)).toEqual({ present: true, weight: 7 });
  });
});

describe('slow start in progress', () => {
  const cfg = { warmupMs: 1000, slowStart: { durationMs: 8000, steps: 4 }, onFailure: 'quiesce' as const };
  const up: DestHealth = { ...initialHealth({ startState: 'up' }, 0), checked: true, since: 10_000, recovered: true };

  it('is the ramp weight reached and the target, from the end of the warm-up until the full weight', () => {
    const at = (t: number) => slowStartAt(up, cfg, 8, 10_000 + t);
    expect([500, 1000, 2999, 3000, 5000, 7000, 9000].map(at)).toEqual([
      undefined, // warming up: out of service, not ramping
      { weight: 2, target: 8 },
      { weight: 2, target: 8 },
      { weight: 4, target: 8 },
      { weight: 6, target: 8 },
      undefined, // the last step is the full weight
      undefined,
    ]);
  });

  it('is never for a server down, up from the start, without slow start, or whose weight cannot ramp', () => {
    const down: DestHealth = { ...up, status: 'down' };
    const fromStart: DestHealth = { ...initialHealth({ startState: 'up' }, 0), checked: true };
    expect(slowStartAt(down, cfg, 8, 12_000)).toBeUndefined();
    expect(slowStartAt(fromStart, cfg, 8, 2000)).toBeUndefined();
    expect(slowStartAt(up, { ...cfg, slowStart: undefined }, 8, 12_000)).toBeUndefined();
    expect(slowStartAt(up, cfg, 1, 12_000)).toBeUndefined();
    // a reported (dynamic) weight is the target
    expect(slowStartAt({ ...up, reportedWeight: 20 }, cfg, 8, 12_000)).toEqual({ weight: 5, target: 20 });
  });

  it('matches the weight planned for the kernel whenever it is reported', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12_000 }), fc.integer({ min: 1, max: 100 }), (t, w) => {
        const ramp = slowStartAt(up, cfg, w, 10_000 + t);
        const want = desiredWeight(up, cfg, w, 10_000 + t);
        if (ramp) expect(want).toEqual({ present: true, weight: ramp.weight });
        if (ramp) expect(ramp.weight).toBeLessThan(w);
      }),
    );
  });
});
