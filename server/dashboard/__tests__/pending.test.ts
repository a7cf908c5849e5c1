// Audit rows a stopped dashboard left pending (killed mid-import, while the agent finished): the next dashboard
// settles each one from the director's live table, keeping the row and saying what it found.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, type AuditIntent } from '../../hub/store/audit';
import { openDb } from '../../hub/store/db';
import { until } from '../../testing/until';
import { SEED, startStack, type TestStack } from './stack';

const WITHOUT_UDP = SEED.split('\n')
  .filter((l) => !l.includes('-u '))
  .join('\n');
const WITH_HTTPS = `${SEED}-A -t 10.1.0.10:443 -s rr\n-a -t 10.1.0.10:443 -r 10.2.0.11:443 -m -w 1\n`;
const apply = (before: string, after: string, argv: string[][]): AuditIntent => ({
  user: 'admin',
  source: 'restore',
  director: 'lab',
  operation: 'apply',
  target: 'import',
  before,
  after,
  argv,
});
const weight = (w: number): AuditIntent => ({
  user: 'operator',
  source: 'ui',
  director: 'lab',
  operation: 'set-weight',
  target: 'tcp/10.1.0.10:80|10.2.0.11:80',
  before: { address: '10.2.0.11', port: 80, forward: 'masq', weight: 3 },
  after: { address: '10.2.0.11', port: 80, forward: 'masq', weight: w },
  argv: [['ipvsadm', '-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', String(w)]],
});

let stack: TestStack;
const ids: Record<string, number> = {};
beforeAll(async () => {
  // the rows an earlier dashboard wrote before it was killed; the agent's table is SEED
  const db = openDb(':memory:');
  const earlier = new AuditLog(db);
  const udp = [
    ['ipvsadm', '-A', '-u', '10.1.0.10:53', '-s', 'rr'],
    ['ipvsadm', '-a', '-u', '10.1.0.10:53', '-r', '10.2.0.11:53', '-m', '-w', '1'],
  ];
  const https = [
    ['ipvsadm', '-A', '-t', '10.1.0.10:443', '-s', 'rr'],
    ['ipvsadm', '-a', '-t', '10.1.0.10:443', '-r', '10.2.0.11:443', '-m', '-w', '1'],
  ];
  ids.completed = earlier.begin(apply(WITHOUT_UDP, SEED, udp));
  ids.partial = earlier.begin(apply(WITHOUT_UDP, WITH_HTTPS, [...udp, ...https]));
  ids.untouched = earlier.begin(apply(SEED, WITH_HTTPS, https));
  ids.weightDone = earlier.begin(weight(1));
  ids.weightNot = earlier.begin(weight(5));
  ids.finished = earlier.begin(weight(7));
  earlier.finish(ids.finished, { ok: false, error: 'kernel: refused' });
  stack = await startStack({ db });
});
afterAll(() => stack.close());

describe('pending audit rows after a restart', () => {
  it('settles each from the live table: completed, partly applied or not applied, keeping every row', async () => {
    const audit = stack.dashboard.services.audit;
    const row = (k: string) => audit.get(ids[k] as number)!;
    await until(() => Object.keys(ids).every((k) => row(k).status !== 'pending'));
    expect(row('completed')).toMatchObject({
      status: 'ok',
      error: null,
      note: expect.stringMatching(/^completed: found in the live table/),
    });
    expect(row('partial')).toMatchObject({
      status: 'partial',
      note: expect.stringMatching(
        /^partly applied: 2 of the 4 planned operations are not in the live table \(ipvsadm -A -t 10\.1\.0\.10:443/,
      ),
    });
    expect(row('partial').error).toBe(row('partial').note);
    expect(row('untouched')).toMatchObject({
      status: 'error',
      note: expect.stringMatching(/^not applied: the live table is as it was before/),
    });
    expect(row('weightDone')).toMatchObject({ status: 'ok', note: expect.stringMatching(/^completed/) });
    expect(row('weightNot')).toMatchObject({ status: 'error', note: expect.stringMatching(/^not applied/) });
    // a row that had finished is left as it was; the history keeps every row with what it planned
    expect(row('finished')).toMatchObject({ status: 'error', error: 'kernel: refused', note: null });
    expect(row('partial').argv).toHaveLength(4);
    expect(audit.query({ director: 'lab' }).length).toBeGreaterThanOrEqual(Object.keys(ids).length);
  });
});
