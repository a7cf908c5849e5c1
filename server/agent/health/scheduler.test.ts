import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { CheckScheduler } from './scheduler';

describe('CheckScheduler', () => {
  it('never runs more checks at once than its limit, and every job keeps getting its turns', async () => {
    const s = new CheckScheduler(3);
    let inFlight = 0;
    let most = 0;
    const runs = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      const key = `j${i}`;
      s.add(key, {
        intervalMs: 10,
        run: async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          runs.set(key, (runs.get(key) ?? 0) + 1);
          inFlight--;
        },
      });
    }
    while ([...runs.values()].filter((n) => n >= 3).length < 20) await new Promise((r) => setTimeout(r, 10));
    s.stop();
    expect(most).toBe(3);
  });

  it('a removed job runs no more', async () => {
    const s = new CheckScheduler(4);
    let runs = 0;
    s.add('a', { intervalMs: 5, run: async () => void runs++ });
    while (runs < 2) await new Promise((r) => setTimeout(r, 5));
    s.remove('a');
    const after = runs;
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBe(after);
    expect(s.size).toBe(0);
  });

  it('runs a job again after the delay its run returns (a retry) instead of its interval', async () => {
    const s = new CheckScheduler(4, () => 0);
    let runs = 0;
    // an hour apart unless each run asks for 5 ms: three runs only come within the test's time by the asked delay
    s.add('a', { intervalMs: 3_600_000, run: async () => (++runs < 3 ? 5 : undefined) });
    while (runs < 3) await sleep(5);
    s.stop();
    expect(runs).toBe(3);
  });

  it('serves every job with one timer: runs due close together start on the same wake-up', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const s = new CheckScheduler(1000);
    let runs = 0;
    for (let i = 0; i < 500; i++) s.add(`j${i}`, { intervalMs: 100, run: async () => void runs++ });
    while (runs < 1500) await sleep(5); // node:timers/promises: not the global setTimeout counted here
    s.stop();
    const set = timers.mock.calls.length;
    timers.mockRestore();
    // a timer per run would be at least `runs` of them
    expect(set).toBeLessThan(runs / 5);
  });
});
