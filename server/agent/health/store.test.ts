import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HealthJournalEntry } from '../../../lib/health';
import { HealthStore, JOURNAL_KEEP } from './store';

const entry = (seq: number): HealthJournalEntry => ({
  seq,
  at: seq,
  actor: 'health-check',
  kind: 'transition',
  service: 'tcp/10.1.0.10:80',
  destination: '10.2.0.11:80',
  from: 'up',
  to: 'down',
  reason: `r${seq}`,
});

describe('HealthStore', () => {
  it('keeps the journal bounded on disk: rewritten down to the last entries when it has doubled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'health-store-'));
    const store = new HealthStore(dir);
    const recent: HealthJournalEntry[] = [];
    for (let seq = 1; seq <= 2.5 * JOURNAL_KEEP; seq++) {
      recent.push(entry(seq));
      if (recent.length > JOURNAL_KEEP) recent.shift();
      store.appendJournal(entry(seq), recent);
    }
    const lines = readFileSync(join(dir, 'health-journal.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(2 * JOURNAL_KEEP);
    const loaded = new HealthStore(dir).loadJournal();
    expect(loaded).toHaveLength(JOURNAL_KEEP);
    expect(loaded.at(-1)?.seq).toBe(2.5 * JOURNAL_KEEP);
  });

  it('round-trips kept weights; an unreadable weights file keeps nothing and says why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'health-store-'));
    const store = new HealthStore(dir);
    const kept = { config: { address: '10.2.0.11', port: 80, forward: 'masq' as const, weight: 7 }, applied: null };
    store.saveWeights(new Map([['tcp/10.1.0.10:80', new Map([['10.2.0.11:80', kept]])]]));
    expect(store.loadWeights().weights.get('tcp/10.1.0.10:80')?.get('10.2.0.11:80')).toEqual(kept);
    writeFileSync(join(dir, 'health-weights.json'), '{"weights": {"x": {"y": {"applied": 1}}}}');
    const bad = store.loadWeights();
    expect(bad.weights.size).toBe(0);
    expect(bad.error).toMatch(/health-weights\.json: /);
  });
});
