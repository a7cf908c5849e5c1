// The simulated director runs health checks like a real one: against real listeners (on 127.0.0.1 here, named by
// the check's address and port), kept across an agent restart, cleared by the control surface's reset.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedAgent, type SimulatedAgent } from './serve-simulated';

let sim: SimulatedAgent | undefined;
const servers: { close(cb: () => void): void }[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 250 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};

describe('simulated director health checks', () => {
  it('checks a real listener, keeps its checks over a restart, and reset removes them', async () => {
    const rs = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => rs.listen(0, '127.0.0.1', r));
    servers.push(rs);
    const port = (rs.address() as AddressInfo).port;
    sim = await startSimulatedAgent({ seed: 'demo', tickMs: 100, controlPort: 0 });
    await sim.health.setConfig({
      services: [
        {
          service: { protocol: 'tcp', address: '10.1.0.10', port: 80 },
          check: { check: { type: 'http', path: '/' }, address: '127.0.0.1', port, intervalMs: 200, timeoutMs: 150 },
        },
      ],
    });
    const up = () => sim!.health.view().rows.some((r) => r.status === 'up');
    await until('a real server up', up);
    await fetch(`${sim.controlUrl}/agent/restart`, { method: 'POST' });
    expect(sim.health.getConfig().config.services).toHaveLength(1);
    await until('a real server up after the restart', up);
    await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
    expect(sim.health.getConfig().config.services).toEqual([]);
  });
});
