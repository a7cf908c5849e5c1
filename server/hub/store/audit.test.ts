import { describe, expect, it } from 'vitest';
import { AuditLog, DRAIN_LOOKBACK, type AuditIntent } from './audit';
import { openDb } from './db';

const SID = 'tcp/10.1.0.10:80';
const DEST = { forward: 'masq', upperThreshold: 0, lowerThreshold: 0 };

function change(log: AuditLog, did: string, operation: string, before: number, after: number, ok = true): void {
  const intent: AuditIntent = {
    user: 'operator',
    source: 'ui',
    director: 'lab',
    operation,
    target: `${SID}|${did}`,
    before: { ...DEST, weight: before },
    after: { ...DEST, weight: after },
    argv: [],
  };
  const id = log.begin(intent);
  log.finish(id, ok ? { ok: true } : { ok: false, error: 'Memory allocation problem' });
}

describe('weightsBeforeDrain', () => {
  it('gives each real server the weight of its newest successful change to 0, across edits in between', () => {
    const log = new AuditLog(openDb(':memory:'));
    change(log, '10.2.0.11:80', 'drain', 62, 0);
    change(log, '10.2.0.12:80', 'set-weight', 7, 9);
    change(log, '10.2.0.12:80', 'drain', 9, 0);
    change(log, '10.2.0.12:80', 'set-weight', 0, 0); // a no-op edit after the drain keeps the drain's weight
    change(log, '10.2.0.11:80', 'set-weight', 62, 0, false); // refused: not a drain
    const w = log.weightsBeforeDrain('lab', SID, ['10.2.0.11:80', '10.2.0.12:80', '10.2.0.13:80']);
    expect(Object.fromEntries(w)).toEqual({ '10.2.0.11:80': 62, '10.2.0.12:80': 9 });
    expect(log.weightsBeforeDrain('other', SID, ['10.2.0.11:80']).size).toBe(0);
  });

  it('reads at most DRAIN_LOOKBACK rows of a real server', () => {
    const log = new AuditLog(openDb(':memory:'));
    change(log, '10.2.0.11:80', 'drain', 5, 0);
    for (let i = 0; i < DRAIN_LOOKBACK; i++) change(log, '10.2.0.11:80', 'edit-destination', 0, 0);
    expect(log.weightsBeforeDrain('lab', SID, ['10.2.0.11:80']).size).toBe(0);
  });
});
