import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedAgent, type SimulatedAgent } from '../../agent/simulator/serve-simulated';
import { openDb } from '../../hub/store/db';
import { createDashboard, type Dashboard } from '../create-dashboard';

const PASSWORD = 'correct horse battery';
let sim: SimulatedAgent;
let dashboard: Dashboard;
let url = '';
let cookie = '';

beforeAll(async () => {
  sim = await startSimulatedAgent({ tickMs: 100 });
  dashboard = createDashboard({
    dev: false,
    pages: false,
    port: 0,
    hostname: '127.0.0.1',
    db: openDb(':memory:'),
    agents: [{ name: 'simulated', url: sim.url, token: sim.token }],
  });
  url = `http://127.0.0.1:${await dashboard.listen()}`;
  await dashboard.services.users.add('viewer', PASSWORD, 'viewer');
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { origin: url, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'viewer', password: PASSWORD }),
  });
  cookie = r.headers.get('set-cookie')?.split(';')[0] ?? '';
  const link = dashboard.hub.link('simulated');
  for (let i = 0; i < 250 && !link?.state; i++) await new Promise((res) => setTimeout(res, 20));
});
afterAll(async () => {
  await dashboard.close();
  await sim.close();
});

const get = (path: string) => fetch(`${url}${path}`, { headers: { cookie } });

describe('a simulated director is labelled in the API and every export', () => {
  it('lists it as simulated and its table says so', async () => {
    expect(await (await get('/api/v1/directors')).json()).toMatchObject({
      directors: [{ name: 'simulated', simulated: true }],
    });
    const table = (await (await get('/api/v1/directors/simulated/table')).json()) as {
      simulated?: boolean;
      services: unknown[];
    };
    expect(table.simulated).toBe(true);
    expect(table.services).toHaveLength(6);
  });

  it('heads the rules and keepalived exports with a comment, and marks the JSON', async () => {
    const rules = await (await get('/api/v1/directors/simulated/export?format=save')).text();
    expect(rules.split('\n')[0]).toBe('# lvs-dashboard: the table of a SIMULATED director (in memory, no kernel)');
    expect(rules).toContain('-A -t 10.1.0.10:80 -s wrr');
    const keepalived = await (await get('/api/v1/directors/simulated/export?format=keepalived')).text();
    expect(keepalived.split('\n')[0]).toMatch(/SIMULATED director/);
    const json = (await (await get('/api/v1/directors/simulated/export?format=json')).json()) as {
      simulated?: boolean;
    };
    expect(json.simulated).toBe(true);
  });
});
