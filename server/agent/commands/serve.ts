import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createAgent } from '../agent';
import { IpvsadmBackend } from '../ipvsadm-backend';
import { createAgentServer } from '../serve';
import { startSimulatedAgent } from '../simulator/serve-simulated';
import { loadOrCreateToken } from '../token';
import { renderSave, type Service } from '../../../lib/ipvs';
import { SavedTable } from '../saved-table';
import { HealthMonitor } from '../health/monitor';
import { HealthStore } from '../health/store';
import { AGENT_STATE_DIR } from '../units';
import { createLogger } from '../../log';
import { logOperation } from '../op-log';
import type { Io } from '../cli';
import { UsageError, parseOptions } from './options';

const DEFAULT_TOKEN_FILE = `${AGENT_STATE_DIR}/token`;
const HELP = `usage: lvs-agent serve [options]

Runs the agent: polls the kernel's IPVS table, pushes it to the dashboard over Socket.IO, applies edits one at a
time. Every connection must present the token as "Authorization: Bearer TOKEN" on the websocket upgrade
(websocket only). Refuses to start when it cannot reach IPVS, and says why.
  --listen HOST:PORT   where to listen (default 127.0.0.1:7070)
  --token TOKEN        the token (or env LVS_AGENT_TOKEN)
  --token-file FILE    read the token from FILE, or create one there on first start, mode 0600
                       (default ${DEFAULT_TOKEN_FILE})
  --tick MS            poll period (default 1000)
  --tls-cert FILE      serve TLS with this certificate ...
  --tls-key FILE       ... and this key
  --insecure-listen    allow plain http on an address other than loopback (the token then travels in clear)
  --state-dir DIR      where the last table set through this agent is kept for restore-on-boot, and the
                       health checks (health.json), their kept weights and journal (default ${AGENT_STATE_DIR})
  --simulated          serve a simulated director (in memory, no kernel, no root): the kernel's schedulers,
                       persistence and timeouts under a synthetic client load; its tables say "simulated"
  --seed demo|empty|FILE   the simulated director's first table (default demo: NAT, DR, TUN, UDP, PCC, fwmark)
  --conns N            the simulated director keeps about N entries in its connection table (default 0)`;

const Env = z.object({
  LVS_AGENT_TOKEN: z.string().min(16, 'LVS_AGENT_TOKEN must be at least 16 characters').optional(),
});

function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(s);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new UsageError(`--listen: expected HOST:PORT, got ${JSON.stringify(s)}`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

function isLoopback(host: string): boolean {
  return /^127\./.test(host) || host === '::1' || host === 'localhost';
}

export async function runServe(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP + '\n');
    return 0;
  }
  let opts, listen, tickMs;
  try {
    opts = parseOptions(args, {
      listen: 'string',
      token: 'string',
      'token-file': 'string',
      tick: 'string',
      'tls-cert': 'string',
      'tls-key': 'string',
      'state-dir': 'string',
      'insecure-listen': 'boolean',
      simulated: 'boolean',
      seed: 'string',
      conns: 'string',
    });
    listen = parseListen(opts.listen ?? '127.0.0.1:7070');
    tickMs = Number(opts.tick ?? 1000);
    if (!Number.isInteger(tickMs) || tickMs < 100)
      throw new UsageError('--tick: a whole number of milliseconds, at least 100');
    if (!!opts['tls-cert'] !== !!opts['tls-key']) throw new UsageError('--tls-cert and --tls-key go together');
    if (!opts['tls-cert'] && !isLoopback(listen.host) && !opts['insecure-listen']) {
      throw new UsageError(
        `--listen ${listen.host}: plain http only on loopback; give --tls-cert and --tls-key, or say --insecure-listen`,
      );
    }
    if (opts.token !== undefined && opts.token.length < 16) throw new UsageError('--token: at least 16 characters');
    if (!opts.simulated && (opts.seed ?? opts.conns) !== undefined)
      throw new UsageError('--seed and --conns need --simulated');
    const conns = Number(opts.conns ?? 0);
    if (!Number.isInteger(conns) || conns < 0 || conns > 2_000_000)
      throw new UsageError('--conns: a whole number, 0 to 2000000');
  } catch (e) {
    io.err(`lvs-agent serve: ${(e as Error).message}\n`);
    return 2;
  }
  const env = Env.safeParse(process.env);
  if (!env.success) {
    io.err(`lvs-agent serve: ${env.error.issues[0]?.message}\n`);
    return 2;
  }
  const log = createLogger('lvs-agent');
  const tls =
    opts['tls-cert'] && opts['tls-key']
      ? { cert: readFileSync(opts['tls-cert'], 'utf8'), key: readFileSync(opts['tls-key'], 'utf8') }
      : undefined;
  if (opts.simulated) {
    const token = opts.token ?? env.data.LVS_AGENT_TOKEN;
    return serveSimulated({ seed: opts.seed, conns: Number(opts.conns ?? 0), listen, tickMs, token, tls }, io);
  }
  const backend = new IpvsadmBackend();
  const ready = await backend.check();
  if (!ready.ok) {
    io.err(`lvs-agent serve: cannot manage IPVS here: ${ready.reason}\n`);
    return 1;
  }
  let token = opts.token ?? env.data.LVS_AGENT_TOKEN;
  if (!token) {
    const file = opts['token-file'] ?? DEFAULT_TOKEN_FILE;
    const t = loadOrCreateToken(file);
    token = t.token;
    log.info({ file, created: t.created }, `token ${t.created ? 'created in' : 'read from'} ${file}`);
  }
  const stateDir = opts['state-dir'] ?? AGENT_STATE_DIR;
  const saved = new SavedTable(stateDir);
  const keep = (services: Service[]) => {
    try {
      saved.save(renderSave(services));
    } catch (e) {
      // the kernel has the change: a full disk must not turn it into a failed edit
      log.error({ file: saved.rulesFile, err: e }, 'cannot save the table for restore-on-boot');
    }
  };
  const agent = createAgent({
    backend,
    tickMs,
    onChanged: (s) => keep(s.services),
    onOperation: logOperation(log),
    logger: log,
  });
  // a slow or failing first read does not stop the agent: it serves, retries each tick, and tells the dashboard why
  await agent.start().catch((e: Error) => log.warn({ err: e.message }, `first read of the table failed: ${e.message}`));
  // checks run in the agent, with or without a dashboard connected; a bad checks file leaves them off, not the agent
  const health = new HealthMonitor({ agent, store: new HealthStore(stateDir), logger: log });
  health.start();
  const server = createAgentServer({
    agent,
    token,
    tls,
    backendName: backend.name,
    tickMs,
    takeRestore: () => saved.takeRestore(),
    health,
  });
  await server.listen(listen.port, listen.host);
  log.info(
    { url: server.url, director: agent.name, tickMs, version: agent.state?.version },
    `serving ${agent.name} on ${server.url}`,
  );
  const signal = await untilSignal();
  log.info({ signal }, `stopping (${signal})`);
  health.stop();
  agent.stop();
  await server.close();
  log.info('stopped');
  return 0;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

interface SimulatedServe {
  seed: string | undefined;
  conns: number;
  listen: { host: string; port: number };
  tickMs: number;
  token: string | undefined;
  tls: { cert: string; key: string } | undefined;
}

/** The simulated director behind the same agent code; its token is printed when none was given (it guards no kernel). */
async function serveSimulated(o: SimulatedServe, io: Io): Promise<number> {
  let sim;
  try {
    sim = await startSimulatedAgent({
      seed: o.seed,
      conns: o.conns,
      host: o.listen.host,
      port: o.listen.port,
      tickMs: o.tickMs,
      token: o.token,
      tls: o.tls,
    });
  } catch (e) {
    io.err(`lvs-agent serve: --simulated: ${(e as Error).message}\n`);
    return 1;
  }
  if (o.token === undefined) io.err(`lvs-agent: token ${sim.token}\n`);
  io.err(
    `lvs-agent: serving a SIMULATED director (seed ${o.seed ?? 'demo'}, no kernel) on ${sim.url} (tick ${o.tickMs} ms)\n`,
  );
  await untilSignal();
  await sim.close();
  return 0;
}
