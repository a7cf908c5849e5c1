import { describe, expect, it } from 'vitest';
import { tickText } from './tick-text';

describe('tickText', () => {
  it('says the interval, and when reads overran it the stretched interval and how long a read takes', () => {
    expect(tickText({ tickMs: 1000, lastTickMs: 120, stretched: false })).toBe('ticks every 1 s');
    expect(tickText({ tickMs: 1000, lastTickMs: 4250, stretched: true })).toBe(
      'ticks every 5.3 s (stretched: a read takes 4.3 s)',
    );
    expect(tickText({ tickMs: 500 })).toBe('ticks every 0.5 s'); // an older agent says nothing of its ticks
  });
});
