// Health checks keep running while no dashboard is connected (issue #14): with the dashboard stopped, the agent
// quiesces a real server whose check fails and restores it when it answers again; a dashboard started later on the
// same database copies both transitions and both kernel edits into the History, at the times the agent made them.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboard, type Dashboard } from '../create-dashboard';
import { AGENT_TOKEN, startStack, until, type TestStack } from './stack';

let stack: TestStack;
let later: Dashboard | undefined;
let rs: Server;
let rsPort = 0;
const listen = (port: number) =>
  new Promise<void>((resolve) => {
    rs = createServer((socket) => socket.end());
    rs.listen(port, '127.0.0.1', resolve);
  });

beforeAll(async () => {
  stack = await startStack();
  await listen(0);
  rsPort = (rs.address() as AddressInfo).port;
});
afterAll(async () => {
  await later?.close();
  await stack.close();
  await new Promise((r) => rs.close(r));
});

const web = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
const kernelWeight = async () =>
  (await stack.backend.readServices())
    .find((s) => s.protocol === 'tcp' && s.port === 80)
    ?.destinations.find((d) => d.address === '10.2.0.12')?.weight;

describe('health checks with no dashboard connected', () => {
  it('act on the kernel meanwhile, and reach the History when a dashboard connects again', async () => {
    const res = await stack.api('/api/v1/directors/lab/health/checks', {
      method: 'POST',
      cookie: await stack.login('operator'),
      body: {
        service: web,
        destination: { address: '10.2.0.12', port: 80 },
        check: { check: { type: 'tcp' }, address: '127.0.0.1', port: rsPort, intervalMs: 100, timeoutMs: 80, fall: 1 },
      },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const status = () => stack.health.view().rows.find((r) => r.destination === '10.2.0.12:80')?.status;
    await until('the real server checked up', () => status() === 'up', 400);

    await stack.dashboard.close();
    const away = Date.now();
    await new Promise((r) => rs.close(r));
    await until('the agent quiesces it', async () => (await kernelWeight()) === 0, 400);
    await listen(rsPort);
    await until('the agent restores it', async () => (await kernelWeight()) === 1, 400);
    const back = Date.now();

    later = createDashboard({
      dev: false,
      pages: false,
      port: 0,
      hostname: '127.0.0.1',
      db: stack.db,
      agents: [{ name: 'lab', url: stack.agentUrl, token: AGENT_TOKEN }],
    });
    await later.listen();
    const audit = later.services.audit;
    const rows = () => audit.query({ user: 'health-check', limit: 50 }).filter((r) => r.time >= away && r.time <= back);
    await until('the transitions made while away', () => rows().length >= 4, 400);
    const made = rows()
      .sort((a, b) => a.id - b.id)
      .map((r) => [r.operation, r.target, (r.after as { health?: string }).health ?? r.argv[0]?.at(-1)]);
    expect(made).toEqual([
      ['health-transition', 'tcp/10.1.0.10:80|10.2.0.12:80', 'down'],
      ['health-edit', 'tcp/10.1.0.10:80|10.2.0.12:80', '0'],
      ['health-transition', 'tcp/10.1.0.10:80|10.2.0.12:80', 'up'],
      ['health-edit', 'tcp/10.1.0.10:80|10.2.0.12:80', '1'],
    ]);
  });
});
