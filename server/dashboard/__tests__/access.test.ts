// Every REST route and every Socket.IO event, enumerated from their registries: no session is refused, a role below
// the declared one is refused, the declared role gets through. Plus Origin checks and sign-in answers (limits: login-limits.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_EVENT_ROLES } from '../../../lib/access';
import type { ClientEvents } from '../../../lib/events';
import { ROLES, roleAtLeast, type Role } from '../../../lib/roles';
import { ROUTES } from '../http/routes';
import { request, socketFor, startStack, type TestStack } from './stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const SAMPLE_PARAMS: Record<string, string> = { director: 'lab', id: '999999', name: 'nobody' };
const pathOf = (p: string) => p.replace(/\{(\w+)\}/g, (_, n: string) => SAMPLE_PARAMS[n] ?? 'x');

/** Valid arguments for each event: a new event without a sample does not compile. */
const SAMPLE_ARGS: Record<keyof ClientEvents, unknown[]> = {
  'directors:list': [],
  'director:subscribe': [{ director: 'lab' }],
  'director:unsubscribe': [{ director: 'lab' }],
  'service:update': [{ director: 'lab', request: { version: 0, edit: { kind: 'zero' } } }],
  'conns:watch': [{ director: 'lab', on: false }],
  'conns:query': [{ director: 'lab', query: {} }],
};

describe('REST routes', () => {
  const guarded = ROUTES.filter((r) => r.access !== 'public');

  it('has routes only under /api/v1, each with a role, and only login, logout, first setup and the document open', () => {
    expect(ROUTES.every((r) => r.path.startsWith('/api/v1/'))).toBe(true);
    expect(
      ROUTES.filter((r) => r.access === 'public')
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/auth/setup',
      '/api/v1/auth/setup',
      '/api/v1/openapi.json',
    ]);
  });

  it.each(guarded.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: refuses no session and lower roles, accepts its role',
    async (_, r) => {
      const init = (cookie?: string) => ({ method: r.method, cookie, body: r.method === 'GET' ? undefined : {} });
      expect((await stack.api(pathOf(r.path), init())).status).toBe(401);
      expect((await stack.api(pathOf(r.path), init('lvs_session=forged-token'))).status).toBe(401);
      for (const role of ROLES) {
        const res = await stack.api(pathOf(r.path), init(await stack.login(role)));
        if (roleAtLeast(role, r.access as Role)) expect([401, 403], `${role} refused`).not.toContain(res.status);
        else expect(res.status, `${role} let in`).toBe(403);
      }
    },
  );

  it('describes every route and its role in the OpenAPI document', async () => {
    const res = await stack.api('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { 'x-required-role': string }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    for (const r of ROUTES)
      expect(doc.paths[r.path]?.[r.method.toLowerCase()]?.['x-required-role'], `${r.method} ${r.path}`).toBe(r.access);
  });

  it('refuses a state-changing request from another origin even with a valid session', async () => {
    const cookie = await stack.login('admin');
    const evil = await stack.api('/api/v1/snapshots', {
      method: 'POST',
      cookie,
      body: { director: 'lab', name: 'x' },
      headers: { origin: 'http://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({
      error: { code: 'forbidden', message: expect.stringMatching(/cross-site/) },
    });
    const fetchMeta = await stack.api('/api/v1/snapshots', {
      method: 'POST',
      cookie,
      body: { director: 'lab', name: 'x' },
      headers: { origin: '', 'sec-fetch-site': 'cross-site' },
    });
    expect(fetchMeta.status).toBe(403);
    expect(stack.dashboard.hub.snapshots.list()).toHaveLength(0);
  });

  it('names the field and the reason for bad input', async () => {
    const cookie = await stack.login('admin');
    const r = await stack.api('/api/v1/users', {
      method: 'POST',
      cookie,
      body: { name: 'x y', password: 'short', role: 'viewer' },
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      error: { code: 'invalid', field: 'name', message: expect.stringMatching(/^name: letters, digits/) },
    });
  });
});

describe('Socket.IO events', () => {
  it('refuses a connection without a session or from another origin', async () => {
    await expect(socketFor(stack.url, {})).rejects.toThrow(/unauthorized/);
    await expect(socketFor(stack.url, { cookie: 'lvs_session=forged' })).rejects.toThrow(/unauthorized/);
    const cookie = await stack.login('admin');
    await expect(socketFor(stack.url, { cookie, origin: 'http://evil.example' })).rejects.toThrow(/cross-site/);
  });

  it.each(Object.entries(CLIENT_EVENT_ROLES))('%s: refuses lower roles, accepts %s', async (event, need) => {
    for (const role of ROLES) {
      const socket = await socketFor(stack.url, { cookie: await stack.login(role), origin: stack.url });
      try {
        const r = await request(socket, event as keyof ClientEvents, ...SAMPLE_ARGS[event as keyof ClientEvents]);
        if (roleAtLeast(role, need))
          expect(r.ok ? 'ok' : r.error.code, `${role}`).not.toMatch(/^(forbidden|unauthorized)$/);
        else expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      } finally {
        socket.close();
      }
    }
  });

  it('needs admin for table-wide settings (timeouts) even though service:update is an operator event', async () => {
    const edit = { kind: 'set-timeouts', timeouts: { tcp: 900, tcpfin: 120, udp: 300 } };
    const op = await socketFor(stack.url, { cookie: await stack.login('operator') });
    const r = await request(op, 'service:update', { director: 'lab', request: { version: 0, edit } });
    op.close();
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/admin/) } });
  });

  it('re-checks the session per event: after logout the socket is refused and closed', async () => {
    const cookie = await stack.login('viewer');
    const socket = await socketFor(stack.url, { cookie });
    expect(await request(socket, 'directors:list')).toMatchObject({ ok: true });
    const ended = new Promise<void>((resolve) => socket.once('session:ended', () => resolve()));
    const out = await stack.api('/api/v1/auth/logout', { method: 'POST', cookie });
    expect(out.status).toBe(204);
    await ended;
    await new Promise((r) => setTimeout(r, 50));
    expect(socket.connected).toBe(false);
    expect((await stack.api('/api/v1/auth/me', { cookie })).status).toBe(401);
  });

  it('picks up a role change on the next event, without a new login', async () => {
    const { hub } = stack.dashboard;
    const u = await hub.users.add('temp-op', 'temporary password', 'operator');
    const r = await stack.api('/api/v1/auth/login', {
      method: 'POST',
      body: { name: 'temp-op', password: 'temporary password' },
    });
    const socket = await socketFor(stack.url, { cookie: (r.headers.get('set-cookie') ?? '').split(';')[0]! });
    const version = stack.dashboard.hub.link('lab')!.state!.version;
    const zero = () =>
      request(socket, 'service:update', { director: 'lab', request: { version, edit: { kind: 'zero' } } });
    expect(await zero()).toMatchObject({ ok: true });
    hub.users.setRole(u.id, 'viewer');
    expect(await zero()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    socket.close();
  });
});

describe('login', () => {
  it('answers the same for an unknown user and a wrong password', async () => {
    const a = await stack.api('/api/v1/auth/login', {
      method: 'POST',
      body: { name: 'nobody', password: 'whatever123' },
    });
    const b = await stack.api('/api/v1/auth/login', {
      method: 'POST',
      body: { name: 'viewer', password: 'whatever123' },
    });
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(await a.json()).toEqual(await b.json());
  });

  it('sets an httpOnly SameSite cookie and lists, ends and changes sessions', async () => {
    const r = await stack.api('/api/v1/auth/login', {
      method: 'POST',
      body: { name: 'operator', password: 'correct horse battery' },
    });
    expect(r.headers.get('set-cookie')).toMatch(
      /^lvs_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );
    const one = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
    const two = await stack.login('operator');
    const list = (await (await stack.api('/api/v1/auth/sessions', { cookie: one })).json()) as {
      sessions: { id: string; current: boolean }[];
    };
    expect(list.sessions.length).toBeGreaterThanOrEqual(2);
    expect(list.sessions.filter((s) => s.current)).toHaveLength(1);
    const all = await stack.api('/api/v1/auth/logout-all', { method: 'POST', cookie: one });
    expect(await all.json()).toMatchObject({ ended: expect.any(Number) });
    expect((await stack.api('/api/v1/auth/me', { cookie: one })).status).toBe(401);
    expect((await stack.api('/api/v1/auth/me', { cookie: two })).status).toBe(401);
  });
});
