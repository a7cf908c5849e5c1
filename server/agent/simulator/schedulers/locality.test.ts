import { describe, expect, it } from 'vitest';
import { LocalityLeastConn, LocalityLeastConnReplicated } from './locality';
import type { SchedDest } from './types';

const d = (id: string, weight: number, activeConns = 0): SchedDest => ({
  id,
  weight,
  activeConns,
  inactiveConns: 0,
  overloaded: false,
});
const to = (virtual: number) => ({ client: 0, clientPort: 0, virtual });

describe('lblc', () => {
  it('keeps a destination address on its real server until that one is busy while another is idle', () => {
    const ds = [d('a', 2), d('b', 2)];
    const s = new LocalityLeastConn();
    expect(s.pick(ds, to(7))?.id).toBe('a');
    (ds[0] as SchedDest).activeConns = 2; // at its weight: not busy yet
    expect(s.pick(ds, to(7))?.id).toBe('a');
    (ds[0] as SchedDest).activeConns = 3; // over its weight while b is under half of its own
    expect(s.pick(ds, to(7))?.id).toBe('b');
    expect(s.pick(ds, to(7))?.id).toBe('b');
  });
});

describe('lblcr', () => {
  it('adds the least-loaded real server to the address set when the set is busy, then uses the set', () => {
    const ds = [d('a', 2), d('b', 2)];
    const s = new LocalityLeastConnReplicated();
    expect(s.pick(ds, to(7))?.id).toBe('a');
    (ds[0] as SchedDest).activeConns = 3;
    expect(s.pick(ds, to(7))?.id).toBe('b');
    (ds[1] as SchedDest).activeConns = 1; // the set {a, b}: b is the lighter member
    expect(s.pick(ds, to(7))?.id).toBe('b');
  });
});
