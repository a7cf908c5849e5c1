import { describe, expect, it } from 'vitest';
import { CheckConfig } from '@/lib/health';
import { describeCheck } from './describe';

describe('describeCheck', () => {
  it('names a slow start when the check has one, and nothing of it otherwise', () => {
    const check = { check: { type: 'tcp' }, intervalMs: 2000, rise: 2, fall: 3 };
    expect(describeCheck(CheckConfig.parse(check))).toBe('TCP connect, every 2 s, rise 2 / fall 3, quiesce on failure');
    expect(describeCheck(CheckConfig.parse({ ...check, slowStart: { durationMs: 60_000, steps: 4 } }))).toBe(
      'TCP connect, every 2 s, rise 2 / fall 3, quiesce on failure, slow start 60 s in 4 steps',
    );
  });
});
