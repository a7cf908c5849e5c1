import { describe, expect, it } from 'vitest';
import { SNAPSHOT_LIST_DEFAULT, SNAPSHOT_LIST_MAX, snapshotOperations } from '../../../lib/api/operations/snapshots';
import { openDb } from './db';
import { SnapshotStore } from './snapshots';

function storeWith(directors: string[]): SnapshotStore {
  let t = 1_000;
  const store = new SnapshotStore(openDb(':memory:'), () => t++);
  for (const [i, director] of directors.entries())
    store.save({ name: `s${i}`, director, kind: 'auto', createdBy: 'admin', rules: '', services: 0, destinations: 0 });
  return store;
}

describe('SnapshotStore.list', () => {
  it('answers the newest `limit` snapshots of all directors, newest first', () => {
    const store = storeWith(['lab', 'lvs2', 'lab', 'lvs2', 'lab']);
    expect(store.list(undefined, 3).snapshots.map((s) => s.name)).toEqual(['s4', 's3', 's2']);
  });

  it('pages on by id: `before` the last one shown gives the next older ones, and `more` says whether any are left', () => {
    const store = storeWith(['lab', 'lvs2', 'lab', 'lvs2', 'lab']);
    const first = store.list('lab', 2);
    expect(first.snapshots.map((s) => s.name)).toEqual(['s4', 's2']);
    expect(first.more).toBe(true);
    const next = store.list('lab', 2, first.snapshots.at(-1)?.id);
    expect(next).toEqual({ snapshots: [expect.objectContaining({ name: 's0' })], more: false });
    expect(store.list(undefined, 5).more).toBe(false);
  });

  it("answers the newest `limit` of one director's snapshots", () => {
    const store = storeWith(['lab', 'lvs2', 'lab', 'lvs2', 'lab']);
    expect(store.list('lab', 2).snapshots.map((s) => s.name)).toEqual(['s4', 's2']);
    expect(store.list('lvs2', 10).snapshots.map((s) => s.name)).toEqual(['s3', 's1']);
  });
});

describe('snapshots:list input', () => {
  const input = snapshotOperations['snapshots:list'].input;

  it('asks for the default number when no limit is given', () => {
    expect(input.parse({})).toEqual({ limit: SNAPSHOT_LIST_DEFAULT });
    expect(input.parse({ director: 'lab', limit: '5' })).toEqual({ director: 'lab', limit: 5 });
  });

  it('refuses a limit above the maximum, naming the field', () => {
    const r = input.safeParse({ limit: SNAPSHOT_LIST_MAX + 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['limit']);
    expect(r.error?.issues[0]?.message).toMatch(String(SNAPSHOT_LIST_MAX));
  });
});
