// The dashboard's /metrics: all directors with a `director` label, behind LVS_METRICS_TOKEN on the main port, or open
// on LVS_METRICS_LISTEN.
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { promtoolCheck, samples } from '../../../lib/metrics/__tests__/exposition';
import { createAgent } from '../../agent/agent';
import { MemoryBackend } from '../../agent/memory-backend';
import { createAgentServer } from '../../agent/serve';
import { openDb } from '../../hub/store/db';
import { PairStore } from '../../hub/store/pairs';
import { createDashboard, type DashboardOptions } from '../create-dashboard';
import { metricsOptionsFromEnv } from '../metrics';

const TOKEN = 'dashboard-metrics-agent-token-0123';
const METRICS_TOKEN = 'prometheus-scrape-token-0123456789';
const RULES = (weight: number) => `-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w ${weight}\n`;

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function agentAt(weight: number): Promise<string> {
  const agent = createAgent({ backend: new MemoryBackend(RULES(weight)), tickMs: 100 });
  await agent.start();
  const server = createAgentServer({ agent, token: TOKEN, backendName: 'memory', tickMs: 100 });
  const port = await server.listen(0);
  cleanup.push(async () => {
    agent.stop();
    await server.close();
  });
  return `http://127.0.0.1:${port}`;
}

async function dashboardWith(metrics: DashboardOptions['metrics']): Promise<string> {
  const db = openDb(':memory:');
  // a pair whose backup has another weight: one item of drift
  new PairStore(db).set({ name: 'web', first: 'lvs1', second: 'lvs2', mode: 'master-backup' }, 'admin');
  const dashboard = createDashboard({
    dev: false,
    pages: false,
    port: 0,
    hostname: '127.0.0.1',
    db,
    agents: [
      { name: 'lvs1', url: await agentAt(1), token: TOKEN },
      { name: 'lvs2', url: await agentAt(5), token: TOKEN },
      { name: 'gone', url: 'http://127.0.0.1:1', token: TOKEN },
    ],
    metrics,
  });
  const port = await dashboard.listen();
  cleanup.push(() => dashboard.close());
  for (let i = 0; i < 250 && !(dashboard.hub.link('lvs1')?.state && dashboard.hub.link('lvs2')?.state); i++)
    await new Promise((r) => setTimeout(r, 20));
  return `http://127.0.0.1:${port}`;
}

describe('dashboard /metrics', () => {
  it('serves every director with a director label to the bearer of LVS_METRICS_TOKEN, and passes promtool', async () => {
    const url = await dashboardWith({ token: METRICS_TOKEN });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const all = samples(text);
    const weights = all.filter((s) => s.name === 'node_ipvs_backend_weight');
    expect(weights.map((s) => [s.labels.director, s.value])).toEqual([
      ['lvs1', 1],
      ['lvs2', 5],
    ]);
    const up = all.filter((s) => s.name === 'lvs_director_up').map((s) => [s.labels.director, s.value]);
    expect(up).toEqual([
      ['lvs1', 1],
      ['lvs2', 1],
      ['gone', 0],
    ]);
    const drift = all.filter((s) => s.name === 'lvs_pair_drift');
    expect(drift.map((s) => [s.labels, s.value])).toEqual([[{ pair: 'web', master: 'lvs1', backup: 'lvs2' }, 1]]);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('is off on the main port without a token, and open on LVS_METRICS_LISTEN', async () => {
    const port = await freePort();
    const url = await dashboardWith(metricsOptionsFromEnv({ LVS_METRICS_LISTEN: `127.0.0.1:${port}` }));
    const off = await fetch(`${url}/metrics`);
    expect(off.status).toBe(404);
    expect(await off.text()).toMatch(/LVS_METRICS_TOKEN/);
    const open = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(open.status).toBe(200);
    expect(await open.text()).toMatch(/^lvs_director_up\{director="lvs1"\} 1$/m);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
  });

  it('names the variable and the reason on a bad setting', () => {
    expect(() => metricsOptionsFromEnv({ LVS_METRICS_TOKEN: 'short' })).toThrow(
      'LVS_METRICS_TOKEN: must be at least 16 characters',
    );
    expect(() => metricsOptionsFromEnv({ LVS_METRICS_LISTEN: '9190' })).toThrow(
      /^LVS_METRICS_LISTEN: must be HOST:PORT/,
    );
    expect(metricsOptionsFromEnv({ LVS_METRICS_LISTEN: '[::1]:9190' })).toEqual({
      listen: { host: '::1', port: 9190 },
    });
  });
});
