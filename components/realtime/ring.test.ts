import { describe, expect, it } from 'vitest';
import { METRICS, RateRing, WINDOW_MS, type Sample } from './ring';

const sample = (t: number): Sample => ({ t, ...Object.fromEntries(METRICS.map((m) => [m, t])) }) as Sample;

describe('RateRing', () => {
  it('starts small and grows to hold the whole window at a 1 s tick, then drops what left the window', () => {
    const ring = new RateRing();
    const ticks = WINDOW_MS / 1000;
    for (let i = 0; i < ticks; i++) ring.push(sample(i * 1000));
    expect(ring.length).toBe(ticks);
    expect(ring.samples()[0]?.t).toBe(0);
    expect(ring.samples().at(-1)?.cps).toBe((ticks - 1) * 1000);
    // another window of ticks: the ring keeps the last window, not everything
    for (let i = ticks; i < 3 * ticks; i++) ring.push(sample(i * 1000));
    expect(ring.length).toBeLessThan(2 * ticks);
    expect(ring.samples(0).filter((s) => s.t >= (3 * ticks - 1) * 1000 - WINDOW_MS + 1000)).toHaveLength(ticks);
  });
});
