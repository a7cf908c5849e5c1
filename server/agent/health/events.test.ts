// The agent's health:* socket events: zod-checked arguments, explicit acks, live updates.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentClientEvents, AgentServerEvents } from '../../../lib/events';
import type { HealthUpdate } from '../../../lib/health';
import { createAgent } from '../agent';
import { createAgentServer } from '../serve';
import { SimulatedDirector } from '../simulator/director';
import { HealthMonitor } from './monitor';
import { HealthStore } from './store';

const TOKEN = 'health-events-token-0123456789';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(withHealth = true): Promise<Socket<AgentServerEvents, AgentClientEvents>> {
  const rs = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => rs.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => rs.close(r)));
  const port = (rs.address() as AddressInfo).port;
  const director = new SimulatedDirector({
    seed: `-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 127.0.0.1:${port} -m -w 2\n`,
    load: { rate: 0 },
  });
  const agent = createAgent({ backend: director, tickMs: 50, logger: silent });
  await agent.start();
  cleanup.push(() => agent.stop());
  const health = new HealthMonitor({
    agent,
    store: new HealthStore(mkdtempSync(join(tmpdir(), 'health-'))),
    logger: silent,
    reconcileMs: 50,
  });
  health.start();
  cleanup.push(() => health.stop());
  const server = createAgentServer({
    agent,
    token: TOKEN,
    backendName: 'simulated',
    tickMs: 50,
    ...(withHealth ? { health } : {}),
  });
  const url = `http://127.0.0.1:${await server.listen(0)}`;
  cleanup.push(() => server.close());
  const s = connect(url, {
    extraHeaders: { authorization: `Bearer ${TOKEN}` },
    transports: ['websocket'],
    reconnection: false,
  });
  cleanup.push(() => s.close());
  return s;
}

const service = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;

describe('health socket events', () => {
  it('refuses a bad configuration naming the field, takes a good one, then pushes health (no transition: an empty journal)', async () => {
    const s = await setup();
    const bad = await s.emitWithAck('health:config:set', {
      services: [{ service, check: { check: { type: 'tcp' }, fall: -1 } }],
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid', field: 'services.0.check.fall' } });
    expect(await s.emitWithAck('health:config:get')).toEqual({
      ok: true,
      data: { config: { services: [] }, error: null },
    });
    const updates: HealthUpdate[] = [];
    s.on('health:update', (u) => updates.push(u));
    const first = await s.emitWithAck('health:subscribe');
    expect(first).toEqual({ ok: true, data: { rows: [], configError: null, quorum: {} } });
    const set = await s.emitWithAck('health:config:set', {
      services: [{ service, check: { check: { type: 'http', path: '/' }, intervalMs: 200, timeoutMs: 150 } }],
    });
    expect(set).toMatchObject({
      ok: true,
      data: { services: [{ check: { rise: 2, fall: 3, onFailure: 'quiesce' } }] },
    });
    while (!updates.some((u) => u.rows.some((r) => r.status === 'up'))) await new Promise((r) => setTimeout(r, 20));
    expect(updates.at(-1)?.rows[0]).toMatchObject({
      service: 'tcp/10.1.0.10:80',
      status: 'up',
      lastError: null,
      configuredWeight: 2,
    });
    expect(await s.emitWithAck('health:journal', { since: 0 })).toEqual({ ok: true, data: [] });
  });

  it('an agent without checks answers unavailable', async () => {
    const s = await setup(false);
    expect(await s.emitWithAck('health:subscribe')).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
