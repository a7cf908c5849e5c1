// The simulated director's control surface: the faults and switches tests drive, on 127.0.0.1 only.
import { afterEach, describe, expect, it } from 'vitest';
import { ControlledDirector } from './controlled';
import { DEMO_SEED } from './seeds';
import { startSimulatedAgent, type SimulatedAgent } from './serve-simulated';

let sim: SimulatedAgent | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function post(route: string, body = ''): Promise<{ status: number; data: Record<string, unknown> }> {
  const r = await fetch(`${sim?.controlUrl}${route}`, { method: 'POST', body });
  return { status: r.status, data: (await r.json()) as Record<string, unknown> };
}

describe('control surface', () => {
  it('is off unless asked for, and on 127.0.0.1 when asked', async () => {
    sim = await startSimulatedAgent({ seed: 'empty', tickMs: 60_000 });
    expect(sim.controlUrl).toBeNull();
    await sim.close();
    sim = await startSimulatedAgent({ seed: 'empty', tickMs: 60_000, controlPort: 0 });
    expect(sim.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('fails the next command with the given text, once; reset brings the first table back', async () => {
    sim = await startSimulatedAgent({ seed: 'demo', tickMs: 60_000, controlPort: 0 });
    expect((await post('/fail-next', 'Memory allocation problem')).status).toBe(200);
    const args = ['-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '5'];
    expect(await sim.director.run(args)).toMatchObject({ ok: false, stderr: 'Memory allocation problem' });
    expect(await sim.director.run(args)).toMatchObject({ ok: true });
    expect(sim.director.services[0]?.destinations.find((d) => d.address === '10.2.0.11')?.weight).toBe(5);
    await post('/reset');
    expect(sim.director.services[0]?.destinations.find((d) => d.address === '10.2.0.11')?.weight).toBe(1);
    expect(sim.director.log).toEqual([]);
  });

  it('shows the timeouts and sync daemons in /state, and reset puts the kernel defaults back', async () => {
    sim = await startSimulatedAgent({ seed: 'empty', tickMs: 60_000, controlPort: 0 });
    await sim.director.run(['--set', '60', '0', '0']);
    await sim.director.run(['--start-daemon', 'master', '--mcast-interface', 'eth0', '--syncid', '7']);
    const state = async () => (await fetch(`${sim?.controlUrl}/state`)).json() as Promise<Record<string, unknown>>;
    expect(await state()).toMatchObject({
      timeouts: { tcp: 60, tcpfin: 120, udp: 300 },
      daemons: [{ state: 'master', mcastInterface: 'eth0', syncId: 7, maxlen: 1472 }],
    });
    await post('/reset');
    expect(await state()).toMatchObject({ timeouts: { tcp: 900, tcpfin: 120, udp: 300 }, daemons: [] });
  });

  it('runs keepalived with a keepalived.conf: the agent reports the services it owns at once; reset stops it', async () => {
    sim = await startSimulatedAgent({ seed: 'demo', tickMs: 60_000, controlPort: 0 });
    const conf =
      'virtual_server 10.1.0.10 80 {\n  real_server 10.2.0.11 80 {\n  }\n}\nvirtual_server fwmark 1 {\n  real_server 10.2.0.12 80 {\n  }\n}\n';
    expect(await post('/keepalived', conf)).toEqual({
      status: 200,
      data: { ok: true, keepalived: { services: ['tcp/10.1.0.10:80', 'fwmark/1'] } },
    });
    expect(sim.agent.state?.owners).toEqual(['keepalived']);
    expect(
      (await post('/keepalived', 'virtual_server 10.1.0.300 80 {\n  real_server 10.2.0.11 80 {\n  }\n}\n')).data
        .keepalived,
    ).toMatchObject({
      services: null,
      reason: expect.stringMatching(/line 1: virtual_server\.address/),
    });
    await post('/reset');
    expect(sim.agent.state?.owners).toEqual([]);
    expect(sim.agent.state?.keepalived).toBeUndefined();
  });

  it('stops and starts the agent on the same port, and refuses a bad body naming the field', async () => {
    sim = await startSimulatedAgent({ seed: 'empty', tickMs: 60_000, controlPort: 0 });
    const url = sim.url;
    await post('/agent/stop');
    await expect(fetch(url)).rejects.toThrow();
    await post('/agent/start');
    expect(sim.url).toBe(url);
    expect(await (await fetch(url)).text()).toMatch(/^lvs-agent/);
    expect(await post('/delay', 'soon')).toMatchObject({
      status: 400,
      data: { error: expect.stringMatching(/^milliseconds/) },
    });
    expect(await post('/load', '{"rate":-1}')).toMatchObject({
      status: 400,
      data: { error: expect.stringMatching(/^load: rate/) },
    });
  });
});

describe('freeze', () => {
  it('holds the connection table still until thawed, then time runs on', async () => {
    let t = 1_000_000;
    const d = new ControlledDirector({ seed: DEMO_SEED, now: () => t, load: { rate: 500, longLived: 0 } });
    t += 2000;
    const before = (await d.readConnections()).length;
    expect(before).toBeGreaterThan(100);
    d.freeze();
    t += 5000;
    expect((await d.readConnections()).length).toBe(before);
    d.thaw();
    t += 2000;
    expect((await d.readConnections()).length).not.toBe(before);
  });
});
