import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEta, timeToEmpty } from './drain-eta';

const line = (n: number, stepMs: number, start: number, perSecond: number) => {
  const t = Array.from({ length: n }, (_, i) => 1_000_000 + i * stepMs);
  return { t, v: t.map((x) => start + ((x - t[0]!) / 1000) * perSecond) };
};

describe('timeToEmpty', () => {
  it('carries a steady fall to zero: 200 conns falling 2 per second empty in 100 s from the first sample', () => {
    const { t, v } = line(31, 1000, 200, -2); // the last sample (30 s in) is at 140
    expect(timeToEmpty(t, v)).toBeCloseTo(70_000, -1);
  });

  it('finds the same time whatever the noise around the line', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 61, maxLength: 61 }), (noise) => {
        const { t, v } = line(61, 1000, 1000, -5);
        const noisy = v.map((y, i) => y + (noise[i] ?? 0));
        const eta = timeToEmpty(t, noisy);
        expect(eta).not.toBeNull();
        expect(Math.abs((eta as number) - 140_000)).toBeLessThan(5_000); // 700 left at 5 per second
      }),
    );
  });

  it('gives none for a flat or rising count or too few samples, and 0 for an empty server', () => {
    expect(timeToEmpty(...(Object.values(line(30, 1000, 50, 0)) as [number[], number[]]))).toBeNull();
    expect(timeToEmpty(...(Object.values(line(30, 1000, 50, 1)) as [number[], number[]]))).toBeNull();
    expect(timeToEmpty(...(Object.values(line(2, 1000, 50, -10)) as [number[], number[]]))).toBeNull();
    expect(timeToEmpty([1, 2, 3], [3, 1, 0])).toBe(0);
  });

  it('uses only the last minute: an old plateau does not slow a recent fall', () => {
    const old = line(60, 1000, 500, 0);
    const recent = line(31, 1000, 500, -10);
    const t = [...old.t.map((x) => x - 120_000), ...recent.t];
    expect(timeToEmpty(t, [...old.v, ...recent.v])).toBeCloseTo(20_000, -2);
  });
});

describe('formatEta', () => {
  it('rounds to what a person reads', () => {
    expect(formatEta(3_000)).toBe('less than 5 s');
    expect(formatEta(42_000)).toBe('about 40 s');
    expect(formatEta(150_000)).toBe('about 3 min');
  });
});
