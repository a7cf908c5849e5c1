import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferPool, type PooledArray } from '../buffer-pool';

type Step = { take: 'u8' | 'u16' | 'u32'; n: number; zeroed: boolean } | { give: number } | { giveForeign: number };

const steps = fc.array(
  fc.oneof(
    fc.record({
      take: fc.constantFrom('u8' as const, 'u16' as const, 'u32' as const),
      n: fc.oneof(fc.nat(40), fc.integer({ min: 1000, max: 70_000 })),
      zeroed: fc.boolean(),
    }),
    fc.record({ give: fc.nat() }),
    fc.record({ giveForeign: fc.nat(100) }),
  ),
  { maxLength: 60 },
);

describe('the buffer pool', () => {
  it('never lends one buffer to two holders, keeps what it lent apart from what it is given, and zeroes on request', () => {
    fc.assert(
      fc.property(steps, fc.integer({ min: 1, max: 6 }), (list: Step[], keep) => {
        const pool = new BufferPool(keep);
        const held: PooledArray[] = [];
        for (const step of list) {
          if ('take' in step) {
            const a = pool[step.take](step.n, step.zeroed);
            expect(a.length).toBe(step.n);
            if (step.zeroed) expect(a.every((x) => x === 0)).toBe(true);
            // whatever a holder wrote, another holder's array does not see it
            for (const other of held) expect(other.buffer).not.toBe(a.buffer);
            a.fill(7);
            held.push(a);
          } else if ('give' in step) {
            if (held.length === 0) continue;
            const [a] = held.splice(step.give % held.length, 1) as [PooledArray];
            pool.give(a, a); // twice: taken back once
          } else pool.give(new Uint32Array(step.giveForeign)); // not the pool's: left alone
          expect(pool.kept).toBeLessThanOrEqual(keep);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lends a given-back buffer again for any request it can hold, and makes a new one only when none fits', () => {
    const pool = new BufferPool();
    const order = pool.u32(1_000_000);
    pool.give(order);
    const again = pool.u32(999_000);
    expect(again.buffer).toBe(order.buffer);
    const marks = pool.u8(1_000_000);
    expect(marks.buffer).not.toBe(order.buffer); // lent out already
    pool.give(again, marks);
    expect(pool.u8(900_000).buffer).toBe(marks.buffer); // the smallest that holds it
    const larger = pool.u32(5_000_000);
    expect([order.buffer, marks.buffer]).not.toContain(larger.buffer);
  });

  it('lets its kept buffers go when cleared, and still takes back what it lent before', () => {
    const pool = new BufferPool();
    const [kept, lent] = [pool.u32(1000), pool.u32(1000)];
    pool.give(kept);
    pool.clear();
    expect(pool.kept).toBe(0);
    expect(pool.u32(1000).buffer).not.toBe(kept.buffer);
    pool.give(lent);
    expect(pool.u32(1000).buffer).toBe(lent.buffer);
  });
});
