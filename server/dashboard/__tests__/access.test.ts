// Every operation of the registry (lib/api/operations), over each transport it has: its REST route and/or socket
// event exists, no session and every role below the declared one are refused, the declared role succeeds with an
// answer its output schema accepts, and the OpenAPI document describes it. Plus Origin checks and sign-in answers
// (limits: login-limits.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDownload } from '../../../lib/api/contracts';
import { NoInput, NoOutput, requiredRole, type Operation, type RestBinding } from '../../../lib/api/operation';
import { OPERATIONS, type OperationName } from '../../../lib/api/operations';
import type { ClientEvents } from '../../../lib/api/types';
import { ROLES, roleAtLeast, type Role } from '../../../lib/roles';
import { openDb } from '../../hub/store/db';
import { createDashboard } from '../create-dashboard';
import { OWN_ACCOUNT, SAMPLES, restRequest, type Caller } from './operations';
import { PASSWORD, request, socketFor, startStack, type TestStack } from './stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const ALL = Object.entries(OPERATIONS) as [OperationName, Operation][];
const REST = ALL.flatMap(([name, op]) => (op.rest ? [[name, op, op.rest] as const] : []));
const SOCKET = ALL.filter(([, op]) => op.socket);

let accounts = 0;
/** A caller of this role: the stack's account with a new session, or a fresh account of that role. */
async function caller(role: Role, own: boolean): Promise<Caller & { cookie: string }> {
  const { services } = stack.dashboard;
  const user = own ? await services.users.add(`${role}-own-${++accounts}`, PASSWORD, role) : services.users.get(role)!;
  const { token } = services.sessions.create(user.id, { address: '127.0.0.1', userAgent: 'role test' });
  return { stack, userId: user.id, name: user.name, cookie: `lvs_session=${token}` };
}

/** The REST answer as the operation's output (a file from its headers), checked by the output schema. */
async function restOutput(op: Operation, rest: RestBinding, res: Response, input: unknown): Promise<unknown> {
  if (op.output === NoOutput) {
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    return null;
  }
  if (op.output === FileDownload) {
    expect(res.status).toBe(200);
    const filename = /attachment; filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
    return { filename, contentType: res.headers.get('content-type'), text: await res.text() };
  }
  const body = (await res.json()) as unknown;
  const status = typeof rest.status === 'function' ? rest.status(body as never) : (rest.status ?? 200);
  expect(res.status, `${JSON.stringify(body)} for ${JSON.stringify(input)}`).toBe(status);
  return body;
}

describe('REST routes', () => {
  it('has routes only under /api/v1, each with a role, and only login, logout, first setup and the document open', () => {
    expect(REST.every(([, , rest]) => rest.path.startsWith('/api/v1/'))).toBe(true);
    expect(
      REST.filter(([, op]) => op.access === 'public')
        .map(([, , rest]) => rest.path)
        .sort(),
    ).toEqual([
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/auth/setup',
      '/api/v1/auth/setup',
      '/api/v1/openapi.json',
    ]);
  });

  it.each(REST.filter(([, op]) => op.access !== 'public'))(
    '%s: refuses no session and lower roles, succeeds for its role',
    async (name, op, rest) => {
      const send = (path: string, body: unknown, cookie?: string) =>
        stack.api(path, { method: rest.method, cookie, body });
      for (const role of ROLES) {
        const who = await caller(role, OWN_ACCOUNT.has(name));
        const input = (await SAMPLES[name](who)) as Record<string, unknown>;
        const { path, body } = restRequest(op, rest, input);
        expect((await send(path, body)).status).toBe(401);
        expect((await send(path, body, 'lvs_session=forged-token')).status).toBe(401);
        const res = await send(path, body, who.cookie);
        const need = requiredRole(op, op.input.parse(input)) as Role;
        if (!roleAtLeast(role, need)) {
          expect(res.status, `${role} let in`).toBe(403);
          continue;
        }
        const output = await restOutput(op, rest, res, input);
        expect(op.output.safeParse(output).error, `${role}: ${JSON.stringify(output)}`).toBeUndefined();
      }
    },
    // password operations hash several times per role (scrypt): slow on a loaded machine
    60_000,
  );

  it.each(REST.filter(([name, op]) => op.access === 'public' && name !== 'setup:complete'))(
    '%s: open, succeeds without a session',
    async (name, op, rest) => {
      const who = await caller('viewer', true);
      const input = (await SAMPLES[name](who)) as Record<string, unknown>;
      const { path, body } = restRequest(op, rest, input);
      const res = await stack.api(path, { method: rest.method, body });
      const output = await restOutput(op, rest, res, input);
      expect(op.output.safeParse(output).error).toBeUndefined();
    },
  );

  it('setup:complete: open, succeeds without a session on a dashboard without accounts', async () => {
    const op = OPERATIONS['setup:complete'];
    const fresh = createDashboard({
      dev: false,
      pages: false,
      port: 0,
      hostname: '127.0.0.1',
      db: openDb(':memory:'),
      agents: [],
    });
    try {
      const url = `http://127.0.0.1:${await fresh.listen()}`;
      const input = {
        ...(await SAMPLES['setup:complete']({ stack, userId: 0, name: '' })),
        token: fresh.services.firstAdmin.issue(),
      };
      const res = await fetch(`${url}${op.rest.path}`, {
        method: op.rest.method,
        headers: { origin: url, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      expect(res.status).toBe(200);
      expect(op.output.safeParse(await res.json()).error).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  it('describes every route, its role and its answer in the OpenAPI document', async () => {
    const res = await stack.api('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { 'x-required-role': string; operationId: string }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    for (const [name, op, rest] of REST) {
      const entry = doc.paths[rest.path]?.[rest.method.toLowerCase()];
      expect(entry?.['x-required-role'], `${rest.method} ${rest.path}`).toBe(op.access);
      expect(entry?.operationId).toBe(name);
    }
  });

  it('refuses a state-changing request from another origin even with a valid session', async () => {
    const cookie = await stack.login('admin');
    const saved = stack.dashboard.services.snapshots.list(undefined, 1000).snapshots.length;
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
    expect(stack.dashboard.services.snapshots.list(undefined, 1000).snapshots).toHaveLength(saved);
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

  it.each(SOCKET)('%s: refuses lower roles, succeeds for its role', async (name, op) => {
    for (const role of ROLES) {
      const who = await caller(role, OWN_ACCOUNT.has(name));
      const socket = await socketFor(stack.url, { cookie: who.cookie, origin: stack.url });
      try {
        const input = await SAMPLES[name](who);
        const args = op.input === NoInput ? [] : [input];
        const r = await request(socket, name as keyof ClientEvents, ...args);
        if (!roleAtLeast(role, requiredRole(op, op.input.parse(input)) as Role)) {
          expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
          continue;
        }
        expect(r.ok ? 'ok' : r.error, role).toBe('ok');
        if (r.ok) expect(op.output.safeParse(r.data).error, role).toBeUndefined();
      } finally {
        socket.close();
      }
    }
  });

  it('needs admin for table-wide settings (timeouts) even though service:update is an operator event', async () => {
    const edit = { kind: 'set-timeouts', timeouts: { tcp: 900, tcpfin: 120, udp: 300 } };
    const op = await socketFor(stack.url, { cookie: await stack.login('operator') });
    const r = await request(op, 'service:update', {
      director: 'lab',
      request: { epoch: stack.dashboard.hub.link('lab')!.state!.epoch, version: 0, edit },
    });
    op.close();
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/admin/) } });
  });

  it('re-checks the session per event: after logout the socket is refused and closed', async () => {
    const cookie = await stack.login('viewer');
    const socket = await socketFor(stack.url, { cookie });
    expect(await request(socket, 'directors:list')).toMatchObject({ ok: true });
    const ended = new Promise<void>((resolve) => socket.once('session:ended', () => resolve()));
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const out = await stack.api('/api/v1/auth/logout', { method: 'POST', cookie });
    expect(out.status).toBe(204);
    await Promise.all([ended, closed]);
    expect(socket.connected).toBe(false);
    expect((await stack.api('/api/v1/auth/me', { cookie })).status).toBe(401);
  });

  it('picks up a role change on the next event, without a new login', async () => {
    const { services } = stack.dashboard;
    const u = await services.users.add('temp-op', 'temporary password', 'operator');
    const r = await stack.api('/api/v1/auth/login', {
      method: 'POST',
      body: { name: 'temp-op', password: 'temporary password' },
    });
    const socket = await socketFor(stack.url, { cookie: (r.headers.get('set-cookie') ?? '').split(';')[0]! });
    const { epoch, version } = stack.dashboard.hub.link('lab')!.state!;
    const zero = () =>
      request(socket, 'service:update', { director: 'lab', request: { epoch, version, edit: { kind: 'zero' } } });
    expect(await zero()).toMatchObject({ ok: true });
    services.users.setRole(u.id, 'viewer');
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
