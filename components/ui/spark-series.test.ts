import { describe, expect, it } from 'vitest';
import { sparkPointsOf, withStored, type SparkPoints } from './spark-series';

const line = (pairs: [number, number][]): SparkPoints => ({
  t: Float64Array.from(pairs, ([t]) => t),
  v: Float64Array.from(pairs, ([, v]) => v),
});
const pairsOf = (p: SparkPoints) => Array.from(p.t, (t, i) => [t, p.v[i]]);

describe('withStored', () => {
  it('puts the stored points from before the first live one ahead of the live ones', () => {
    const stored = line([
      [1000, 1],
      [2000, 2],
      [3000, 3],
      [4000, 4],
    ]);
    const live = line([
      [4000, 40],
      [5000, 50],
    ]);
    // the stored point at the live one's time is the same tick: the live one is kept
    expect(pairsOf(withStored(live, stored, 0))).toEqual([
      [1000, 1],
      [2000, 2],
      [3000, 3],
      [4000, 40],
      [5000, 50],
    ]);
  });

  it('leaves out stored points older than the window', () => {
    const stored = line([
      [1000, 1],
      [2000, 2],
      [3000, 3],
    ]);
    expect(pairsOf(withStored(line([[4000, 4]]), stored, 2000))).toEqual([
      [2000, 2],
      [3000, 3],
      [4000, 4],
    ]);
  });

  it('draws the stored points alone while nothing live has come', () => {
    const stored = line([
      [1000, 1],
      [2000, 2],
    ]);
    expect(pairsOf(withStored(line([]), stored, 0))).toEqual([
      [1000, 1],
      [2000, 2],
    ]);
  });

  it('breaks the line where neither the history nor the ring has points', () => {
    const stored = line([
      [1000, 1],
      [2000, 2],
    ]);
    const merged = pairsOf(withStored(line([[20_000, 20]]), stored, 0));
    expect(merged).toHaveLength(4);
    expect(merged[2]?.[0]).toBe(2001);
    expect(merged[2]?.[1]).toBeNaN();
    expect(merged[3]).toEqual([20_000, 20]);
  });

  it('returns the live line itself without stored points before it', () => {
    const live = line([[1000, 1]]);
    expect(withStored(live, undefined, 0)).toBe(live);
    expect(withStored(live, line([[5000, 5]]), 0)).toBe(live);
  });
});

describe('sparkPointsOf', () => {
  it('takes one value of each point, a missing one as NaN (a break in the line)', () => {
    const p = sparkPointsOf(
      [{ t: 1, active: 3 }, { t: 2, active: null }, { t: 3 }] as { t: number; active?: number | null }[],
      (x) => x.active,
    );
    expect(Array.from(p.t)).toEqual([1, 2, 3]);
    expect(p.v[0]).toBe(3);
    expect(p.v[1]).toBeNaN();
    expect(p.v[2]).toBeNaN();
  });
});
