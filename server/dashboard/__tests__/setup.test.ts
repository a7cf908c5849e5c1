import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../hub/store/db';
import { createDashboard, type Dashboard } from '../create-dashboard';

const PASSWORD = 'correct horse battery';
let dashboard: Dashboard | undefined;
afterEach(async () => {
  await dashboard?.close();
  dashboard = undefined;
});

async function start() {
  dashboard = createDashboard({
    dev: false,
    pages: false,
    port: 0,
    hostname: '127.0.0.1',
    db: openDb(':memory:'),
    agents: [],
  });
  const url = `http://127.0.0.1:${await dashboard.listen()}`;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/v1/auth/setup`, {
      method: 'POST',
      headers: { origin: url, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const needed = async () => ((await (await fetch(`${url}/api/v1/auth/setup`)).json()) as { needed: boolean }).needed;
  return { url, post, needed, services: dashboard.services };
}

describe('first-start setup link', () => {
  it('creates the first admin once with the printed token, signs them in, and then is gone', async () => {
    const { url, post, needed, services } = await start();
    expect(await needed()).toBe(true);
    const token = services.firstAdmin.issue() ?? '';
    expect(token.length).toBeGreaterThanOrEqual(32);
    const wrong = await post({ token: 'x'.repeat(token.length), name: 'root', password: PASSWORD });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({
      error: { field: 'token', message: expect.stringMatching(/not valid/) },
    });
    const weak = await post({ token, name: 'root', password: 'short' });
    expect(weak.status).toBe(400);
    const r = await post({ token, name: 'root', password: PASSWORD });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ user: { name: 'root', role: 'admin' } });
    const cookie = r.headers.get('set-cookie')?.split(';')[0] ?? '';
    const me = await fetch(`${url}/api/v1/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await needed()).toBe(false);
    const again = await post({ token, name: 'other', password: PASSWORD });
    expect(again.status).toBe(409);
    expect(services.users.list().map((u) => u.name)).toEqual(['root']);
  });

  it('refuses the link from another address unless remote setup is allowed', async () => {
    const { services } = await start();
    const token = services.firstAdmin.issue() ?? '';
    await expect(services.firstAdmin.complete(token, 'root', PASSWORD, '10.0.0.5')).rejects.toThrow(
      /only from the dashboard machine/,
    );
    services.firstAdmin.allowRemote = true;
    await expect(services.firstAdmin.complete(token, 'root', PASSWORD, '10.0.0.5')).resolves.toMatchObject({
      name: 'root',
      role: 'admin',
    });
  });

  it('issues no link once an account exists', async () => {
    const { services } = await start();
    await services.users.add('admin', PASSWORD, 'admin');
    expect(services.firstAdmin.issue()).toBeNull();
  });
});
