import { describe, expect, it } from 'vitest';
import { RoundRobin, WeightedRoundRobin } from './round-robin';
import type { SchedDest, Scheduler } from './types';

const dest = (id: string, weight: number, more: Partial<SchedDest> = {}): SchedDest => ({
  id,
  weight,
  activeConns: 0,
  inactiveConns: 0,
  overloaded: false,
  ...more,
});
const picks = (s: Scheduler, dests: SchedDest[], n: number) =>
  Array.from({ length: n }, () => s.pick(dests, { client: 0, clientPort: 0, virtual: 0 })?.id ?? '-');

describe('rr', () => {
  it('walks the list from its head and wraps, skipping weight 0 and overloaded real servers', () => {
    const ds = [dest('a', 1), dest('b', 0), dest('c', 5), dest('d', 1, { overloaded: true })];
    expect(picks(new RoundRobin(), ds, 5)).toEqual(['a', 'c', 'a', 'c', 'a']);
  });
  it('keeps its place when a real server is added at the head, and steps back when the last pick is removed', () => {
    const ds = [dest('a', 1), dest('b', 1), dest('c', 1)];
    const rr = new RoundRobin();
    expect(picks(rr, ds, 2)).toEqual(['a', 'b']);
    ds.unshift(dest('n', 1));
    rr.changed(ds, { kind: 'add', id: 'n' });
    expect(picks(rr, ds, 3)).toEqual(['c', 'n', 'a']);
    ds.splice(1, 1); // a, the last pick
    rr.changed(ds, { kind: 'del', id: 'a', index: 1 });
    expect(picks(rr, ds, 2)).toEqual(['b', 'c']);
  });
  it('has nothing to pick when every real server has weight 0', () => {
    expect(picks(new RoundRobin(), [dest('a', 0)], 1)).toEqual(['-']);
  });
});

describe('wrr', () => {
  it('weights 1:3 listed A then B: B B A B, repeating', () => {
    const ds = [dest('A', 1), dest('B', 3)];
    expect(picks(new WeightedRoundRobin(ds), ds, 8)).toEqual(['B', 'B', 'A', 'B', 'B', 'B', 'A', 'B']);
  });
  it('weights 3:1 listed B then A: B B B A, repeating', () => {
    const ds = [dest('B', 3), dest('A', 1)];
    expect(picks(new WeightedRoundRobin(ds), ds, 8)).toEqual(['B', 'B', 'B', 'A', 'B', 'B', 'B', 'A']);
  });
  it('steps by the weights gcd: 4:2 behaves as 2:1', () => {
    const ds = [dest('x', 4), dest('y', 2)];
    expect(picks(new WeightedRoundRobin(ds), ds, 6)).toEqual(['x', 'x', 'y', 'x', 'x', 'y']);
  });
  it('after a weight change restarts at the head with the new maximum', () => {
    const ds = [dest('A', 1), dest('B', 3)];
    const wrr = new WeightedRoundRobin(ds);
    expect(picks(wrr, ds, 1)).toEqual(['B']);
    (ds[0] as SchedDest).weight = 5;
    wrr.changed(ds);
    // cw stays 3 (under the new maximum 5): A and B alternate down to cw 1; then cw 5 and 4 are A's alone
    expect(picks(wrr, ds, 10)).toEqual(['A', 'B', 'A', 'B', 'A', 'B', 'A', 'A', 'A', 'B']);
  });
  it('skips overloaded real servers and has nothing when all weights are 0', () => {
    const ds = [dest('A', 1), dest('B', 3, { overloaded: true })];
    expect(picks(new WeightedRoundRobin(ds), ds, 3)).toEqual(['A', 'A', 'A']);
    const none = [dest('A', 0), dest('B', 0)];
    expect(picks(new WeightedRoundRobin(none), none, 1)).toEqual(['-']);
  });
});
