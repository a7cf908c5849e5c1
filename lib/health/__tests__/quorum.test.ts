import { describe, expect, it } from 'vitest';
import { QuorumConfig, quorumHeld } from '..';

describe('quorum with hysteresis (keepalived: lost below quorum - hysteresis, regained at quorum + hysteresis)', () => {
  const q = QuorumConfig.parse({ minWeight: 10, hysteresis: 2 });

  it('is judged against the minimum alone the first time', () => {
    expect(quorumHeld(q, 10, undefined)).toBe(true);
    expect(quorumHeld(q, 9, undefined)).toBe(false);
  });

  it('holds down to minWeight - hysteresis, and comes back only at minWeight + hysteresis', () => {
    const seen: boolean[] = [];
    let held: boolean | undefined;
    for (const w of [12, 9, 8, 7, 10, 11, 12, 9]) seen.push((held = quorumHeld(q, w, held)));
    expect(seen).toEqual([true, true, true, false, false, false, true, true]);
  });

  it('refuses a hysteresis that is not below the minimum, by name', () => {
    const r = QuorumConfig.safeParse({ minWeight: 2, hysteresis: 2 });
    expect(r.success || r.error.issues[0]).toMatchObject({ path: ['hysteresis'], message: 'must be below minWeight' });
  });
});
