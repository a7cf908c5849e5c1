// Issue #12: one error type on the request path. The setup link, the accounts, the import reader and the password
// guess limit throw the registry's ApiError where they find the problem, and the REST answers stay what they were
// when each had its own error class that the handlers converted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/errors';
import { FirstAdminSetup } from '../../hub/auth/first-admin';
import { LoginLimiter } from '../../hub/auth/login-limiter';
import { UserStore } from '../../hub/auth/users';
import { ImportRunner } from '../../hub/imports/runner';
import { readImport } from '../../hub/imports/rules';
import { openDb } from '../../hub/store/db';
import { createDashboard, type Dashboard } from '../create-dashboard';

const PASSWORD = 'correct horse battery';
const BAD_RULES = '-X nonsense\n';

describe('errors are thrown as ApiError where they are found', () => {
  it('the setup link: an account exists (conflict), a wrong token (forbidden, field token)', async () => {
    const setup = new FirstAdminSetup(new UserStore(openDb(':memory:')));
    const token = setup.issue() ?? '';
    const wrong = setup.complete('x'.repeat(token.length), 'root', PASSWORD, '127.0.0.1');
    await expect(wrong).rejects.toBeInstanceOf(ApiError);
    await expect(wrong).rejects.toMatchObject({ code: 'forbidden', status: 403, field: 'token' });
    await setup.complete(token, 'root', PASSWORD, '127.0.0.1');
    await expect(setup.complete(token, 'other', PASSWORD, '127.0.0.1')).rejects.toMatchObject({
      code: 'conflict',
      status: 409,
    });
  });

  it('an account name taken (conflict, field name)', async () => {
    const users = new UserStore(openDb(':memory:'));
    await users.add('ann', PASSWORD, 'viewer');
    const again = users.add('ANN', PASSWORD, 'viewer');
    await expect(again).rejects.toBeInstanceOf(ApiError);
    await expect(again).rejects.toMatchObject({ code: 'conflict', field: 'name', message: /ann already exists/ });
  });

  it('import text that is not a table (invalid, field rules), in this thread and from the worker', async () => {
    expect(() => readImport(BAD_RULES)).toThrow(ApiError);
    expect(() => readImport(BAD_RULES)).toThrow(expect.objectContaining({ code: 'invalid', field: 'rules' }));
    // a small text is read in this thread, a large one (here: every one) by the worker: the same error either way
    for (const runner of [new ImportRunner(), new ImportRunner(0)]) {
      try {
        const read = runner.read(BAD_RULES);
        await expect(read).rejects.toBeInstanceOf(ApiError);
        await expect(read).rejects.toMatchObject({ code: 'invalid', field: 'rules', message: /^rules: line 1: / });
        await expect(runner.read('-A -t 10.1.0.10:80 -s rr\n')).resolves.toMatchObject({
          services: [{ address: '10.1.0.10', port: 80 }],
        });
      } finally {
        await runner.close();
      }
    }
  });

  it('too many password guesses (429 with retry-after)', async () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < 10; i++) await limiter.attempt('127.0.0.1', 'ann');
    const over = limiter.attempt('127.0.0.1', 'ann');
    await expect(over).rejects.toBeInstanceOf(ApiError);
    await expect(over).rejects.toMatchObject({ status: 429, detail: { headers: { 'retry-after': '900' } } });
  });
});

describe('the REST answers of the former error classes are unchanged', { timeout: 60_000 }, () => {
  let dashboard: Dashboard;
  let url: string;
  const post = (path: string, body: unknown, cookie = '') =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { origin: url, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
  const answer = async (r: Response) => ({
    status: r.status,
    retryAfter: r.headers.get('retry-after'),
    body: (await r.json()) as unknown,
  });

  beforeAll(async () => {
    dashboard = createDashboard({ dev: false, pages: false, port: 0, hostname: '127.0.0.1', db: openDb(':memory:') });
    url = `http://127.0.0.1:${await dashboard.listen()}`;
  });
  afterAll(() => dashboard.close());

  it('setup, accounts, imports and the guess limit', async () => {
    const token = dashboard.services.firstAdmin.issue() ?? '';
    const setup = (t: string) => post('/api/v1/auth/setup', { token: t, name: 'root', password: PASSWORD });
    expect(await answer(await setup('x'.repeat(token.length)))).toEqual({
      status: 403,
      retryAfter: null,
      body: {
        error: {
          code: 'forbidden',
          field: 'token',
          message: 'this setup link is not valid: use the one the dashboard printed at its last start',
        },
      },
    });
    const cookie = (await setup(token)).headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(await answer(await setup(token))).toEqual({
      status: 409,
      retryAfter: null,
      body: { error: { code: 'conflict', message: 'an account exists already: sign in instead' } },
    });
    expect(
      await answer(await post('/api/v1/users', { name: 'Root', password: PASSWORD, role: 'viewer' }, cookie)),
    ).toEqual({
      status: 409,
      retryAfter: null,
      body: { error: { code: 'conflict', field: 'name', message: 'a user named root already exists' } },
    });
    expect(await answer(await post('/api/v1/directors/lab/import', { rules: BAD_RULES }, cookie))).toEqual({
      status: 400,
      retryAfter: null,
      body: {
        error: {
          code: 'invalid',
          field: 'rules',
          message: 'rules: line 1: expected -A (service) or -a (real server), got "-X": "-X nonsense"',
        },
      },
    });
    for (let i = 0; i < 10; i++) await post('/api/v1/auth/login', { name: 'root', password: `wrong ${i}` });
    expect(await answer(await post('/api/v1/auth/login', { name: 'root', password: PASSWORD }))).toEqual({
      status: 429,
      retryAfter: '900',
      body: { error: { code: 'forbidden', message: 'too many wrong passwords: try again in 15 min' } },
    });
  });
});
