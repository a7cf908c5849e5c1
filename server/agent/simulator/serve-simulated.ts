// The simulated director behind the real agent code (Agent + its Socket.IO server): what `lvs-agent serve
// --simulated` and the dashboard's embedded default both run. With a control port, tests and benches can also stop
// and start its server on the same port, pause its reads and inject faults (control.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../log';
import { createAgent, type Agent } from '../agent';
import { DrainKeeper } from '../drains';
import { HealthMonitor } from '../health/monitor';
import { HealthStore } from '../health/store';
import { createAgentServer, type AgentServer } from '../serve';
import { startControl } from './control';
import { ControlledDirector } from './controlled';
import type { SimulatedAgent } from './simulated-agent';
import type { LoadSettings } from './load';
import { DEMO_FWMARK_TARGETS, seedText, syntheticSeed } from './seeds';

export type { SimulatedAgent };

export interface SimulatedAgentOptions {
  /** `demo` (default), `empty` or a file of ipvsadm -S -n rules. */
  seed?: string;
  /** Instead of the seed: this many TCP services of `dests` NAT real servers each (a large director). */
  services?: number;
  dests?: number;
  /** Keep about this many entries in the connection table. */
  conns?: number;
  /** Captured /proc/net/ip_vs_conn files shown along with the simulated entries. */
  recorded?: string[];
  /** The synthetic load to start with (the rest from DEFAULT_LOAD). */
  load?: Partial<LoadSettings>;
  name?: string;
  tickMs?: number;
  /** A random one when not given. */
  token?: string;
  host?: string;
  port?: number;
  tls?: { cert: string; key: string };
  logger?: Logger;
  /** Serve the control surface on 127.0.0.1 at this port (0: any free one); none when not given. */
  controlPort?: number;
  /** Where its health checks keep their files (a fresh temporary directory, removed on close, when not given). */
  stateDir?: string;
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function startSimulatedAgent(opts: SimulatedAgentOptions = {}): Promise<SimulatedAgent> {
  const seed = opts.seed ?? 'demo';
  const director = new ControlledDirector({
    seed: opts.services ? syntheticSeed(opts.services, opts.dests ?? 10) : seedText(seed),
    conns: opts.conns ?? 0,
    fwmarkTargets: seed === 'demo' && !opts.services ? DEMO_FWMARK_TARGETS : {},
    randomSeed: Date.now() & 0xffff,
    recorded: opts.recorded ?? [],
    ...(opts.load ? { load: opts.load } : {}),
  });
  const tickMs = opts.tickMs ?? 1000;
  const newAgent = () => createAgent({ backend: director, tickMs, name: opts.name ?? 'simulated' });
  let agent = newAgent();
  await agent.start();
  // Health checks as on a real director (checks reach real listeners; point them at 127.0.0.1 with a check address).
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'lvs-simulated-'));
  const store = new HealthStore(stateDir);
  const newHealth = (a: Agent) => new HealthMonitor({ agent: a, store, logger: opts.logger ?? silent });
  let health = newHealth(agent);
  health.start();
  const newDrains = (a: Agent, h: HealthMonitor) =>
    new DrainKeeper(a, join(stateDir, 'drains.json'), opts.logger ?? silent, { journal: h.journalOf('drain') });
  let drains = newDrains(agent, health);
  drains.start();
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const host = opts.host ?? '127.0.0.1';
  let port = opts.port ?? 0;
  let server: AgentServer | null = null;
  let url = '';
  let paused = false;
  const startServing = async () => {
    if (server) return;
    const s = createAgentServer({
      agent,
      token,
      backendName: director.name,
      tickMs,
      ...(opts.tls ? { tls: opts.tls } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
      health,
      drains,
    });
    port = await s.listen(port, host);
    url = s.url ?? '';
    server = s;
  };
  const stopServing = async () => {
    const s = server;
    server = null;
    await s?.close();
  };
  try {
    await startServing();
  } catch (e) {
    health.stop();
    agent.stop();
    throw e;
  }
  const sim: SimulatedAgent = {
    director,
    get agent() {
      return agent;
    },
    get health() {
      return health;
    },
    get url() {
      return url;
    },
    token,
    controlUrl: null,
    get serving() {
      return server !== null;
    },
    get paused() {
      return paused;
    },
    stopServing,
    startServing,
    pause() {
      if (!paused) agent.stop();
      paused = true;
    },
    async resume() {
      if (paused) await agent.start();
      paused = false;
    },
    async restart() {
      await stopServing();
      health.stop();
      agent.stop();
      agent = newAgent();
      await agent.start();
      health = newHealth(agent); // reads its files again, as a restarted agent does
      health.start();
      drains.stop();
      drains = newDrains(agent, health);
      drains.start();
      paused = false;
      await startServing();
    },
    async close() {
      drains.stop();
      health.stop();
      agent.stop();
      await control?.close();
      await stopServing();
      if (opts.stateDir === undefined) rmSync(stateDir, { recursive: true, force: true });
    },
  };
  let control: { url: string; close(): Promise<void> } | undefined;
  if (opts.controlPort !== undefined) {
    try {
      control = await startControl(sim, opts.controlPort);
    } catch (e) {
      await sim.close();
      throw e;
    }
    sim.controlUrl = control.url;
  }
  return sim;
}
