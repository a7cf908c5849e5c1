// The health monitor end to end on the simulated director: real HTTP servers on 127.0.0.1 as real servers, the
// agent's own edit queue for the changes, and a state directory that outlives the agent.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthConfigInput, HealthUpdate } from '../../../lib/health';
import { createAgent, type Agent } from '../agent';
import { SimulatedDirector } from '../simulator/director';
import { HealthMonitor } from './monitor';
import { HealthStore } from './store';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const svc = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** An HTTP real server whose answer can be switched between 200 and 500. */
async function realServer(): Promise<{ port: number; healthy: boolean }> {
  const state = { port: 0, healthy: true };
  const s: Server = createServer((_req, res) => res.writeHead(state.healthy ? 200 : 500).end());
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  state.port = (s.address() as AddressInfo).port;
  cleanup.push(() => new Promise((r) => s.close(r)));
  return state;
}

async function until(what: string, cond: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`not reached in ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function startAgent(director: SimulatedDirector): Promise<Agent> {
  const agent = createAgent({ backend: director, tickMs: 50, name: 'test', logger: silent });
  await agent.start();
  cleanup.push(() => agent.stop());
  return agent;
}

function startMonitor(agent: Agent, dir: string, config?: HealthConfigInput): HealthMonitor {
  if (config) writeFileSync(join(dir, 'health.json'), JSON.stringify(config));
  const m = new HealthMonitor({ agent, store: new HealthStore(dir), logger: silent, reconcileMs: 50 });
  m.start();
  cleanup.push(() => m.stop());
  return m;
}

const weightOf = (agent: Agent, port: number) =>
  agent.state?.services[0]?.destinations.find((d) => d.port === port)?.weight;
const check = { check: { type: 'http', path: '/' }, intervalMs: 300, timeoutMs: 250, rise: 2, fall: 2 } as const;

describe('health monitor', () => {
  it('quiesces a failing real server, restores its weight after rise passes, pushes and journals both', async () => {
    const a = await realServer();
    const b = await realServer();
    const director = new SimulatedDirector({
      seed: `-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 127.0.0.1:${a.port} -m -w 3\n-a -t 10.1.0.10:80 -r 127.0.0.1:${b.port} -m -w 1\n`,
      load: { rate: 0 },
    });
    const agent = await startAgent(director);
    const dir = mkdtempSync(join(tmpdir(), 'health-'));
    const m = startMonitor(agent, dir, { services: [{ service: svc, check }] });
    const updates: HealthUpdate[] = [];
    m.subscribe((u) => updates.push(u));
    await until('both up', () => m.view().rows.filter((r) => r.status === 'up').length === 2);
    a.healthy = false;
    await until('a quiesced', () => weightOf(agent, a.port) === 0);
    const row = m.view().rows.find((r) => r.destination === `127.0.0.1:${a.port}`);
    expect(row).toMatchObject({
      status: 'down',
      lastError: 'HTTP 500 Internal Server Error',
      configuredWeight: 3,
      kernelWeight: 0,
    });
    expect(
      updates.some((u) => u.rows.some((r) => r.destination === `127.0.0.1:${a.port}` && r.status === 'down')),
    ).toBe(true);
    expect(weightOf(agent, b.port)).toBe(1);
    a.healthy = true;
    await until('a restored', () => weightOf(agent, a.port) === 3);
    const journal = m.journalSince(0);
    expect(journal.filter((e) => e.kind === 'transition').map((e) => [e.actor, e.destination, e.from, e.to])).toEqual([
      ['health-check', `127.0.0.1:${a.port}`, 'up', 'down'],
      ['health-check', `127.0.0.1:${a.port}`, 'down', 'up'],
    ]);
    const edits = journal.filter((e) => e.kind === 'edit');
    expect(edits.map((e) => e.result?.argv.slice(-2))).toEqual([
      ['-w', '0'],
      ['-w', '3'],
    ]);
    expect(edits[0]?.reason).toBe('down: HTTP 500 Internal Server Error');
  });

  it('keeps the configured weight across an agent restart while the real server is quiesced', async () => {
    const a = await realServer();
    const seed = `-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 127.0.0.1:${a.port} -m -w 5\n`;
    const director = new SimulatedDirector({ seed, load: { rate: 0 } });
    const dir = mkdtempSync(join(tmpdir(), 'health-'));
    const first = await startAgent(director);
    const m1 = startMonitor(first, dir, { services: [{ service: svc, check }] });
    a.healthy = false;
    await until('quiesced', () => weightOf(first, a.port) === 0);
    m1.stop();
    first.stop();
    // a new agent on the same kernel (weight 0 there) and the same state directory
    const second = await startAgent(director);
    const m2 = startMonitor(second, dir);
    await until('checked again', () => m2.view().rows.some((r) => r.status !== 'unknown'));
    expect(m2.view().rows[0]).toMatchObject({ configuredWeight: 5, kernelWeight: 0 });
    a.healthy = true;
    await until('restored to the kept weight', () => weightOf(second, a.port) === 5);
  });

  it('removes a failed real server and adds it back with its options; a sorry server answers meanwhile', async () => {
    const a = await realServer();
    const director = new SimulatedDirector({
      seed: `-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 127.0.0.1:${a.port} -m -w 4 -x 100 -y 50\n`,
      load: { rate: 0 },
    });
    const agent = await startAgent(director);
    const m = startMonitor(agent, mkdtempSync(join(tmpdir(), 'health-')), {
      services: [
        {
          service: svc,
          check: { ...check, onFailure: 'remove' },
          sorryServer: { address: '127.0.0.9', port: 80, forward: 'masq', weight: 1 },
        },
      ],
    });
    await until('up', () => m.view().rows[0]?.status === 'up');
    const dests = () => agent.state?.services[0]?.destinations.map((d) => `${d.address}:${d.port} w${d.weight}`) ?? [];
    expect(dests()).toEqual([`127.0.0.1:${a.port} w4`]);
    a.healthy = false;
    await until('removed, sorry server in', () => dests().join() === '127.0.0.9:80 w1');
    a.healthy = true;
    await until('back, sorry server out', () => dests().join() === `127.0.0.1:${a.port} w4`);
    expect(agent.state?.services[0]?.destinations[0]).toMatchObject({ upperThreshold: 100, lowerThreshold: 50 });
  });

  it('quorum: lost when the healthy weight falls below the minimum, regained after; each runs its hook (argv)', async () => {
    const a = await realServer();
    const b = await realServer();
    const director = new SimulatedDirector({
      seed: `-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 127.0.0.1:${a.port} -m -w 2\n-a -t 10.1.0.10:80 -r 127.0.0.1:${b.port} -m -w 1\n`,
      load: { rate: 0 },
    });
    const agent = await startAgent(director);
    const dir = mkdtempSync(join(tmpdir(), 'health-'));
    const hook = (what: string) => [
      process.execPath,
      '-e',
      `require('fs').appendFileSync(${JSON.stringify(join(dir, 'hooks'))}, '${what}\\n')`,
    ];
    const m = startMonitor(agent, dir, {
      services: [{ service: svc, check, quorum: { minWeight: 2, onLost: hook('lost'), onRegained: hook('regained') } }],
    });
    await until('both up', () => m.view().rows.filter((r) => r.status === 'up').length === 2);
    a.healthy = false;
    await until('quorum lost, hook ran', () => m.journalSince(0).some((e) => e.kind === 'hook'));
    expect(m.view().quorum).toEqual({
      [`tcp/10.1.0.10:80`]: { held: false, healthyWeight: 1, minWeight: 2, hysteresis: 0 },
    });
    a.healthy = true;
    await until('quorum regained, hook ran', () => m.journalSince(0).filter((e) => e.kind === 'hook').length === 2);
    expect(
      m
        .journalSince(0)
        .filter((e) => e.kind === 'quorum')
        .map((e) => [e.to, e.reason]),
    ).toEqual([
      ['lost', 'healthy weight 1 < quorum 2'],
      ['held', 'healthy weight 3 >= quorum 2'],
    ]);
    expect(readFileSync(join(dir, 'hooks'), 'utf8')).toBe('lost\nregained\n');
  });

  it('a real server held out for a lost quorum shows no slow start while the sorry server answers', async () => {
    const a = await realServer();
    const b = await realServer();
    const director = new SimulatedDirector({
      seed: `-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 127.0.0.1:${a.port} -m -w 4\n-a -t 10.1.0.10:80 -r 127.0.0.1:${b.port} -m -w 4\n`,
      load: { rate: 0 },
    });
    const agent = await startAgent(director);
    const m = startMonitor(agent, mkdtempSync(join(tmpdir(), 'health-')), {
      services: [
        {
          service: svc,
          check: { ...check, slowStart: { durationMs: 120_000, steps: 4 } },
          quorum: { minWeight: 8 },
          sorryServer: { address: '127.0.0.9', port: 80, forward: 'masq', weight: 1 },
        },
      ],
    });
    const rowOf = (port: number) => m.view().rows.find((r) => r.destination === `127.0.0.1:${port}`);
    await until('both up', () => m.view().rows.filter((r) => r.status === 'up').length === 2);
    b.healthy = false;
    await until('quorum lost', () => m.view().quorum['tcp/10.1.0.10:80']?.held === false);
    b.healthy = true;
    await until('quorum back, b ramping', () => weightOf(agent, b.port) === 1 && weightOf(agent, a.port) === 4);
    expect(rowOf(b.port)).toMatchObject({ rampWeight: 1, rampTarget: 4 });
    a.healthy = false; // b still within its ramp's time: held out with a, the sorry server alone answers
    await until('held out, sorry server in', () => weightOf(agent, b.port) === 0 && weightOf(agent, 80) === 1);
    expect(rowOf(b.port)?.status).toBe('up');
    expect(rowOf(b.port)).not.toHaveProperty('rampWeight');
  });

  it('a bad checks file is a clear error naming the field; the agent runs on without checks', async () => {
    const director = new SimulatedDirector({ seed: '-A -t 10.1.0.10:80 -s wrr\n', load: { rate: 0 } });
    const agent = await startAgent(director);
    const dir = mkdtempSync(join(tmpdir(), 'health-'));
    const m = startMonitor(agent, dir, { services: [{ service: svc, check: { check: { type: 'tcp' }, rise: 0 } }] });
    expect(m.getConfig().error).toBe(
      `${join(dir, 'health.json')}: services.0.check.rise: Too small: expected number to be >=1`,
    );
    expect(m.view()).toEqual({ rows: [], configError: m.getConfig().error, quorum: {} });
    await expect(m.setConfig({ services: [{ service: svc, check: { check: { type: 'dns' } } }] })).rejects.toThrow(
      /^services\.0\.check\.check\.name: /,
    );
    await m.setConfig({ services: [{ service: svc, check }] });
    expect(m.getConfig().error).toBeNull();
    expect(new HealthStore(dir).loadConfig().config.services).toHaveLength(1);
  });
});
