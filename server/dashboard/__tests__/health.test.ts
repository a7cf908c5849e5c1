// Health checks through the dashboard: a check set on one service reaches the agent (saved, used at once, audited),
// a bad one is refused naming the request's field, and the live health the agent pushes is handed out.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, until, type TestStack } from './stack';

let stack: TestStack;
let rs: Server;
let rsPort = 0;
beforeAll(async () => {
  stack = await startStack();
  rs = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => rs.listen(0, '127.0.0.1', r));
  rsPort = (rs.address() as AddressInfo).port;
});
afterAll(async () => {
  await stack.close();
  await new Promise((r) => rs.close(r));
});

const web = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;

describe('health checks through the dashboard', () => {
  it("sets a service's check on the agent, audits it, and hands out the health it reports", async () => {
    const cookie = await stack.login('operator');
    // checks go to a listener on 127.0.0.1 (the check's address and port), never to the seeded 10.2.0.x
    const check = {
      check: { type: 'http', path: '/' },
      address: '127.0.0.1',
      port: rsPort,
      intervalMs: 200,
      timeoutMs: 150,
    };
    const res = await stack.api('/api/v1/directors/lab/health/checks', {
      method: 'POST',
      cookie,
      body: { service: web, check },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ config: { check: { check: { type: 'http' }, rise: 2 } } });
    expect(stack.health.getConfig().config.services).toHaveLength(1);
    const got = await (
      await stack.api('/api/v1/directors/lab/health/config?service=tcp/10.1.0.10:80', { cookie })
    ).json();
    expect(got).toMatchObject({ config: { check: { port: rsPort } }, error: null });

    const [row] = stack.dashboard.services.audit.query({ user: 'operator', limit: 1 });
    expect(row).toMatchObject({
      operation: 'health-check-config',
      target: 'tcp/10.1.0.10:80',
      status: 'ok',
      before: null,
    });

    await until('both real servers up', async () => {
      const s = (await (await stack.api('/api/v1/directors/lab/health', { cookie })).json()) as {
        rows: { status: string }[];
      };
      return s.rows.length === 2 && s.rows.every((r) => r.status === 'up');
    });
  });

  it('refuses a bad check naming the field of the request, and keeps the one there', async () => {
    const cookie = await stack.login('operator');
    const res = await stack.api('/api/v1/directors/lab/health/checks', {
      method: 'POST',
      cookie,
      body: {
        service: web,
        destination: { address: '10.2.0.11', port: 80 },
        check: { check: { type: 'tcp' }, intervalMs: 100, timeoutMs: 500 },
      },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { field: 'check.timeoutMs' } });
    expect(stack.health.getConfig().config.services[0]?.destinations).toEqual([]);
  });

  it('copies each transition into the audit history as a row by health-check', async () => {
    const cookie = await stack.login('operator');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const res = await stack.api('/api/v1/directors/lab/health/checks', {
      method: 'POST',
      cookie,
      body: {
        service: web,
        destination: { address: '10.2.0.12', port: 80 },
        check: {
          check: { type: 'tcp' },
          address: '127.0.0.1',
          port: deadPort,
          intervalMs: 200,
          timeoutMs: 150,
          fall: 1,
        },
      },
    });
    expect(res.status).toBe(200);
    const rows = () => stack.dashboard.services.audit.query({ user: 'health-check', limit: 50 });
    await until('a transition row', () => rows().some((r) => r.operation === 'health-transition'));
    expect(rows().find((r) => r.operation === 'health-transition')).toMatchObject({
      source: 'health-check',
      target: 'tcp/10.1.0.10:80|10.2.0.12:80',
      before: { health: 'up' },
      after: { health: 'down', reason: expect.stringMatching(/ECONNREFUSED|refused/) },
      status: 'ok',
    });
    // the quiesce it caused is there too, with the command the agent ran
    await until('the edit row', () => rows().some((r) => r.operation === 'health-edit'));
    expect(rows().find((r) => r.operation === 'health-edit')?.argv[0]).toContain('-w');
    // the agent made that weight change itself: it is not an outside edit as well
    expect(stack.dashboard.services.audit.query({ user: 'external', limit: 50 })).toEqual([]);
  });

  it("sets a service's sorry server and quorum (its checks kept), audits it, refuses a bad one by field, reports the quorum", async () => {
    const cookie = await stack.login('operator');
    const set = (body: object) =>
      stack.api('/api/v1/directors/lab/health/service', { method: 'POST', cookie, body: { service: web, ...body } });
    const bad = await set({
      sorryServer: { address: '10.2.0.99', port: 99999, forward: 'masq', weight: 1 },
      quorum: { minWeight: 2, hysteresis: 2 },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: 'sorryServer.port' } });
    const hysteresis = await set({ sorryServer: null, quorum: { minWeight: 2, hysteresis: 2 } });
    expect(await hysteresis.json()).toMatchObject({
      error: { field: 'quorum.hysteresis', message: 'quorum.hysteresis: must be below minWeight' },
    });
    const checksBefore = serviceOf()?.check;
    const res = await set({
      sorryServer: { address: '10.2.0.99', port: 80, forward: 'masq', weight: 1 },
      quorum: { minWeight: 100, hysteresis: 1, onLost: ['/bin/true'] },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({
      config: { sorryServer: { address: '10.2.0.99' }, quorum: { minWeight: 100, hysteresis: 1 } },
    });
    expect(serviceOf()?.check).toEqual(checksBefore);
    const [row] = stack.dashboard.services.audit.query({ user: 'operator', limit: 1 });
    expect(row).toMatchObject({
      operation: 'health-service-config',
      target: 'tcp/10.1.0.10:80',
      status: 'ok',
      before: { sorryServer: null, quorum: null },
      after: { sorryServer: { port: 80 }, quorum: { minWeight: 100 } },
    });
    await until('the quorum reported lost', async () => {
      const s = (await (await stack.api('/api/v1/directors/lab/health', { cookie })).json()) as {
        quorum: Record<string, { held: boolean; minWeight: number }>;
      };
      return s.quorum['tcp/10.1.0.10:80']?.held === false && s.quorum['tcp/10.1.0.10:80'].minWeight === 100;
    });
    const cleared = await set({ sorryServer: null, quorum: null });
    expect(await cleared.json()).toMatchObject({ config: { check: checksBefore } });
    expect(serviceOf()).not.toHaveProperty('quorum');
  });
});

const serviceOf = () =>
  stack.health.getConfig().config.services.find((s) => 'port' in s.service && s.service.port === 80);
