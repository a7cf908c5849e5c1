// The simulated director behind the real agent code (Agent + its Socket.IO server): what `lvs-agent serve
// --simulated` and the dashboard's embedded default both run.
import { randomBytes } from 'node:crypto';
import { createAgent, type Agent } from '../agent';
import { createAgentServer, type AgentServer } from '../serve';
import { SimulatedDirector } from './director';
import { DEMO_FWMARK_TARGETS, seedText } from './seeds';

export interface SimulatedAgentOptions {
  /** `demo` (default), `empty` or a file of ipvsadm -S -n rules. */
  seed?: string;
  /** Keep about this many entries in the connection table. */
  conns?: number;
  name?: string;
  tickMs?: number;
  /** A random one when not given. */
  token?: string;
  host?: string;
  port?: number;
  tls?: { cert: string; key: string };
}

export interface SimulatedAgent {
  director: SimulatedDirector;
  agent: Agent;
  server: AgentServer;
  url: string;
  token: string;
  close(): Promise<void>;
}

export async function startSimulatedAgent(opts: SimulatedAgentOptions = {}): Promise<SimulatedAgent> {
  const seed = opts.seed ?? 'demo';
  const director = new SimulatedDirector({
    seed: seedText(seed),
    conns: opts.conns ?? 0,
    fwmarkTargets: seed === 'demo' ? DEMO_FWMARK_TARGETS : {},
    randomSeed: Date.now() & 0xffff,
  });
  const tickMs = opts.tickMs ?? 1000;
  const agent = createAgent({ backend: director, tickMs, name: opts.name ?? 'simulated' });
  await agent.start();
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const server = createAgentServer({
    agent,
    token,
    backendName: director.name,
    tickMs,
    ...(opts.tls ? { tls: opts.tls } : {}),
  });
  try {
    await server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  } catch (e) {
    agent.stop();
    throw e;
  }
  return {
    director,
    agent,
    server,
    url: server.url ?? '',
    token,
    async close() {
      agent.stop();
      await server.close();
    },
  };
}
