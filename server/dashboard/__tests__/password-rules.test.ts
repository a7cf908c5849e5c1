// Passwords too easy to guess are refused wherever a password is set: new account, admin reset, own change (the CLI
// and LVS_ADMIN_PASSWORD use the same lib/password-strength.ts rule), naming the field `password`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from './stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const refusedAsWeak = async (r: Response) => {
  expect(r.status).toBe(400);
  expect(await r.json()).toEqual({
    error: { code: 'invalid', field: 'password', message: expect.stringMatching(/^password: too easy to guess/) },
  });
};

describe('password strength over the API', () => {
  it('refuses the account name as its password for a new account', async () => {
    const cookie = await stack.login('admin');
    const body = { name: 'carol-1234', password: 'carol-1234', role: 'viewer' };
    await refusedAsWeak(await stack.api('/api/v1/users', { method: 'POST', cookie, body }));
    expect(stack.dashboard.services.users.get('carol-1234')).toBeUndefined();
  });

  it('refuses a common password when an admin sets one', async () => {
    const cookie = await stack.login('admin');
    const body = { password: 'password12' };
    await refusedAsWeak(await stack.api('/api/v1/users/viewer', { method: 'PATCH', cookie, body }));
  });

  it('refuses ten spaces as a new own password, and keeps the old one', async () => {
    const cookie = await stack.login('operator');
    const body = { current: 'correct horse battery', password: ' '.repeat(10) };
    await refusedAsWeak(await stack.api('/api/v1/auth/password', { method: 'POST', cookie, body }));
    expect(await stack.login('operator')).toMatch(/^lvs_session=/);
  });
});

describe('password strength in the user CLI', () => {
  it('refuses a common password for a new account, naming the field', () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'lvs-cli-'));
    try {
      const r = spawnSync(
        path.resolve('node_modules/.bin/tsx'),
        ['server/dashboard/user-cli.ts', 'add', 'bob', '--role', 'viewer'],
        { env: { ...process.env, LVS_DATA_DIR: data, LVS_PASSWORD: 'password12' }, encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.stderr).toMatch(/^lvs-dashboard user: password: too easy to guess: this is a commonly used password/);
      expect(r.status).toBe(2);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 90_000);
});
