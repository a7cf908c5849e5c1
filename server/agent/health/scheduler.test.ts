import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { CheckScheduler, EARLY_LATE } from './scheduler';

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

  it(`starts every run within ${EARLY_LATE * 100}% of its interval of its due time, in windows of wake-ups`, async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      // random 0.5: no jitter, each run due one interval after the last one started, the first half an interval in
      const s = new CheckScheduler(100_000, () => 0.5);
      const intervals = [1000, 250, 5000, 100, 30_000];
      const jobs: { intervalMs: number; starts: number[] }[] = [];
      for (let i = 0; i < 500; i++) {
        const job = { intervalMs: intervals[i % intervals.length] as number, starts: [] as number[] };
        job.starts.push(performance.now() + job.intervalMs / 2); // the first run's due time
        jobs.push(job);
        s.add(`j${i}`, { intervalMs: job.intervalMs, run: async () => void job.starts.push(performance.now()) });
        await vi.advanceTimersByTimeAsync(7); // added at different times: their due times differ
      }
      await vi.advanceTimersByTimeAsync(60_000);
      s.stop();
      let worst = 0;
      let runs = 0;
      const wakeups = new Set<number>();
      for (const { intervalMs, starts } of jobs) {
        expect(starts.length).toBeGreaterThan(1);
        for (let n = 1; n < starts.length; n++) {
          const due = n === 1 ? (starts[0] as number) : (starts[n - 1] as number) + intervalMs;
          worst = Math.max(worst, Math.abs((starts[n] as number) - due) / intervalMs);
          wakeups.add(starts[n] as number);
          runs++;
        }
      }
      console.log(
        `${runs} runs on ${wakeups.size} wake-ups; worst start ${(worst * 100).toFixed(2)}% of the interval off`,
      );
      expect(worst).toBeLessThanOrEqual(EARLY_LATE);
      expect(worst).toBeGreaterThan(EARLY_LATE / 2); // windows used: runs do start off their exact time
      expect(wakeups.size).toBeLessThan(runs / 4);
    } finally {
      vi.useRealTimers();
    }
  });
});
