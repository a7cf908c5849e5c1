import { describe, expect, it } from 'vitest';
import { Failover, LeastConn, NeverQueue, Overflow, shortestExpectedDelay, weightedLeastConn } from './least-conn';
import type { SchedDest, Scheduler } from './types';

const d = (id: string, weight: number, activeConns = 0, inactiveConns = 0, overloaded = false): SchedDest => ({
  id,
  weight,
  activeConns,
  inactiveConns,
  overloaded,
});
const pick = (s: Scheduler, ds: SchedDest[]) => s.pick(ds, { client: 0, clientPort: 0, virtual: 0 })?.id;

describe('lc', () => {
  it('counts an active connection as 256 inactive ones; ties go to the first listed', () => {
    expect(pick(new LeastConn(), [d('a', 1, 1, 0), d('b', 1, 0, 255)])).toBe('b');
    expect(pick(new LeastConn(), [d('a', 1, 1, 0), d('b', 1, 0, 256)])).toBe('a');
    expect(pick(new LeastConn(), [d('a', 0, 0), d('b', 5, 3), d('c', 1, 3, 0, true)])).toBe('b');
  });
});

describe('wlc', () => {
  it('divides the overhead by the weight: 2 active on weight 3 beat 1 active on weight 1', () => {
    // a: 256/1, b: 512/3 -> b
    expect(pick(weightedLeastConn(), [d('a', 1, 1), d('b', 3, 2)])).toBe('b');
    // a: 256/1, b: 1024/3 -> a
    expect(pick(weightedLeastConn(), [d('a', 1, 1), d('b', 3, 4)])).toBe('a');
  });
  it('never picks weight 0 or an overloaded real server', () => {
    expect(pick(weightedLeastConn(), [d('z', 0), d('o', 9, 0, 0, true), d('a', 1, 50)])).toBe('a');
    expect(pick(weightedLeastConn(), [d('z', 0)])).toBeUndefined();
  });
});

describe('sed and nq', () => {
  it('sed: (active + 1) / weight, inactive connections ignored', () => {
    // a: 1/1 = 1, b: 3/3 = 1 -> tie, a stays; with b at 1 active: 2/3 < 1 -> b
    expect(pick(shortestExpectedDelay(), [d('a', 1, 0, 900), d('b', 3, 2)])).toBe('a');
    expect(pick(shortestExpectedDelay(), [d('a', 1, 0, 900), d('b', 3, 1)])).toBe('b');
  });
  it('nq: an idle real server at once, even a light one', () => {
    expect(pick(new NeverQueue(), [d('heavy', 100, 1), d('light', 1, 0)])).toBe('light');
    expect(pick(new NeverQueue(), [d('heavy', 100, 1), d('light', 1, 1)])).toBe('heavy');
  });
});

describe('fo and ovf', () => {
  it('fo: the highest weight available, the first listed of equals', () => {
    expect(pick(new Failover(), [d('a', 2), d('b', 5), d('c', 5)])).toBe('b');
    expect(pick(new Failover(), [d('a', 2), d('b', 5, 0, 0, true)])).toBe('a');
  });
  it('ovf: the highest weight until its active connections exceed its weight', () => {
    expect(pick(new Overflow(), [d('a', 1), d('b', 3, 3)])).toBe('b');
    expect(pick(new Overflow(), [d('a', 1), d('b', 3, 4)])).toBe('a');
    expect(pick(new Overflow(), [d('a', 1, 2), d('b', 3, 4)])).toBeUndefined();
  });
});
