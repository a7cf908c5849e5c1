// The dashboard's parts read the time from one clock part: with a FakeClock a test sets the time every store stamps,
// instead of sleeping or patching Date.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../hub/store/db';
import { FakeClock } from '../../testing/fake-clock';
import { openParts } from '../parts';

const T = Date.UTC(2030, 0, 1);

describe('the clock part', () => {
  it('stamps accounts, sessions, audit rows and snapshots with its time', async () => {
    const clock = new FakeClock(T);
    const parts = openParts({ db: openDb(':memory:'), agents: [], clock });
    try {
      expect(parts.clock).toBe(clock);
      const user = await parts.users.add('ann', 'correct horse battery', 'viewer');
      clock.advance(1000);
      const { session } = parts.sessions.create(user.id, { address: '127.0.0.1', userAgent: 'test' });
      clock.advance(1000);
      const row = parts.audit.record({
        user: 'ann',
        source: 'ui',
        director: 'lab',
        operation: 'set-weight',
        target: 'table',
        before: null,
        after: null,
        argv: [],
      });
      clock.advance(1000);
      const snapshot = parts.snapshots.save({
        name: 'n',
        director: 'lab',
        kind: 'manual',
        createdBy: 'ann',
        rules: '',
        services: 0,
        destinations: 0,
      });
      expect([user.createdAt, session.createdAt, parts.audit.get(row)?.time, snapshot.createdAt]).toEqual([
        T,
        T + 1000,
        T + 2000,
        T + 3000,
      ]);
    } finally {
      parts.directors.close();
    }
  });
});
