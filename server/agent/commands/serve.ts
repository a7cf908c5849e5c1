import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createAgent, type Agent } from '../agent';
import { IpvsadmBackend } from '../ipvsadm-backend';
import { chooseBackend, defaultIpvsDumpPaths } from '../netlink-backend';
import { createAgentServer } from '../serve';
import { createMetricsServer, type MetricsServer } from '../metrics-server';
import { LoadSettings } from '../simulator/load';
import { startSimulatedAgent, type SimulatedAgentOptions } from '../simulator/serve-simulated';
import { loadOrCreateToken } from '../token';
import { renderSave, type Service } from '../../../lib/ipvs';
import { SavedTable } from '../saved-table';
import { DrainKeeper } from '../drains';
import { HealthMonitor } from '../health/monitor';
import { HealthStore } from '../health/store';
import { tcpProber } from '../health/tcp-probe';
import { AGENT_STATE_DIR } from '../units';
import { createLogger } from '../../log';
import { logOperation } from '../op-log';
import type { Io } from './io';
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
  --metrics-listen HOST:PORT   also serve GET /metrics for Prometheus there (from the current table: a scrape
                       never reads the kernel; TLS when --tls-cert is given)
  --metrics-token-file FILE    scrapes must send "Authorization: Bearer" with the token in FILE (created 0600 on
                       first start when missing); without it /metrics is open
  --ipvs-dump FILE     the netlink table reader (default: ipvs-dump beside the agent, built at install); "none"
                       reads the table with ipvsadm listings. Without it, or when its first read fails, the agent
                       reads with ipvsadm and says why in its info
  --state-dir DIR      where the last table set through this agent is kept for restore-on-boot, and the
                       health checks (health.json), their kept weights and journal (default ${AGENT_STATE_DIR})
  --simulated          serve a simulated director (in memory, no kernel, no root): the kernel's schedulers,
                       persistence and timeouts under a synthetic client load; its tables say "simulated"
  --seed demo|empty|FILE   the simulated director's first table (default demo: NAT, DR, TUN, UDP, PCC, fwmark)
  --conns N            the simulated director keeps about N entries in its connection table (default 0)
  --services N         instead of --seed: N TCP services (wrr) of --dests M NAT real servers each (default 10)
  --conns-file FILE    show a captured /proc/net/ip_vs_conn along with the simulated entries, its timers cycling
  --load JSON          the synthetic load to start with, e.g. {"rate":200,"mix":{"tcp/10.1.0.10:80":5}}
  --name NAME          the simulated director's name (default simulated)
  --control-port N     for tests and benches: a control surface on 127.0.0.1:N (0: any free port; it prints its
                       URL) to stop/start the agent's server, pause reads, fail or slow the next commands, mark
                       listing lines unreadable, change the load and reset the table. No token: loopback only`;

const Env = z.object({
  LVS_AGENT_TOKEN: z.string().min(16, 'LVS_AGENT_TOKEN must be at least 16 characters').optional(),
});

interface Listen {
  host: string;
  port: number;
}

function parseListen(s: string, flag = 'listen'): Listen {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(s);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new UsageError(`--${flag}: expected HOST:PORT, got ${JSON.stringify(s)}`);
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
  let opts, listen, tickMs, simulated, metricsListen;
  try {
    const parsed = parseOptions(args, {
      listen: 'string',
      token: 'string',
      'token-file': 'string',
      tick: 'string',
      'tls-cert': 'string',
      'tls-key': 'string',
      'state-dir': 'string',
      'ipvs-dump': 'string',
      'insecure-listen': 'boolean',
      simulated: 'boolean',
      seed: 'string',
      conns: 'string',
      services: 'string',
      dests: 'string',
      'conns-file': 'string',
      load: 'string',
      name: 'string',
      'control-port': 'string',
      'metrics-listen': 'string',
      'metrics-token-file': 'string',
    });
    opts = parsed;
    listen = parseListen(opts.listen ?? '127.0.0.1:7070');
    metricsListen =
      opts['metrics-listen'] === undefined ? undefined : parseListen(opts['metrics-listen'], 'metrics-listen');
    if (opts['metrics-token-file'] !== undefined && !metricsListen)
      throw new UsageError('--metrics-token-file needs --metrics-listen');
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
    if (opts.simulated && opts['ipvs-dump'] !== undefined)
      throw new UsageError('--ipvs-dump reads a kernel: not with --simulated');
    const simOnly = ['seed', 'conns', 'services', 'dests', 'conns-file', 'load', 'name', 'control-port'] as const;
    const given = simOnly.find((k) => parsed[k] !== undefined);
    if (!opts.simulated && given) throw new UsageError(`--${given} needs --simulated`);
    if (opts.services !== undefined && opts.seed !== undefined) throw new UsageError('--services replaces --seed');
    simulated = {
      conns: wholeNumber(opts.conns, 'conns', 0, 2_000_000),
      services: wholeNumber(opts.services, 'services', 0, 10_000),
      dests: wholeNumber(opts.dests, 'dests', 1, 1000, 10),
      controlPort:
        opts['control-port'] === undefined ? undefined : wholeNumber(opts['control-port'], 'control-port', 0, 65535),
      load: opts.load === undefined ? undefined : parseLoad(opts.load),
    };
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
  let metrics: MetricsOptions | undefined;
  if (metricsListen) {
    const file = opts['metrics-token-file'];
    const token = file === undefined ? undefined : loadOrCreateToken(file).token;
    metrics = { listen: metricsListen, token, tls };
  }
  if (opts.simulated) {
    const token = opts.token ?? env.data.LVS_AGENT_TOKEN;
    return serveSimulated(
      {
        ...simulated,
        seed: opts.seed,
        recorded: opts['conns-file'] ? [opts['conns-file']] : [],
        name: opts.name,
        listen,
        tickMs,
        token,
        tls,
        logger: log,
        metrics,
      },
      io,
    );
  }
  const ipvsadm = new IpvsadmBackend();
  const ready = await ipvsadm.check();
  if (!ready.ok) {
    io.err(`lvs-agent serve: cannot manage IPVS here: ${ready.reason}\n`);
    return 1;
  }
  const dumpOpt = opts['ipvs-dump'];
  const { backend, reason: backendReason } =
    dumpOpt === 'none'
      ? { backend: ipvsadm, reason: 'ipvsadm listings: --ipvs-dump none' }
      : await chooseBackend(ipvsadm, dumpOpt === undefined ? defaultIpvsDumpPaths() : [dumpOpt]);
  log.info({ backend: backend.name, reason: backendReason }, `reading the table with ${backendReason}`);
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
  log.info({ tcpChecks: tcpProber().info }, tcpProber().info);
  const drains = new DrainKeeper(agent, join(stateDir, 'drains.json'), log, { journal: health.journalOf('drain') });
  drains.start();
  const server = createAgentServer({
    agent,
    token,
    tls,
    backendName: backend.name,
    backendReason,
    tickMs,
    takeRestore: () => saved.takeRestore(),
    logger: log,
    health,
    drains,
  });
  await server.listen(listen.port, listen.host);
  log.info(
    { url: server.url, director: agent.name, tickMs, version: agent.state?.version },
    `serving ${agent.name} on ${server.url}`,
  );
  const metricsServer = metrics && (await serveMetrics(agent, tickMs, metrics));
  if (metricsServer) log.info({ url: metricsServer.url }, `metrics on ${metricsServer.url}`);
  const signal = await untilSignal();
  log.info({ signal }, `stopping (${signal})`);
  health.stop();
  drains.stop();
  agent.stop();
  await metricsServer?.close();
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

function wholeNumber(v: string | undefined, name: string, min: number, max: number, fallback = 0): number {
  const n = Number(v ?? fallback);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: a whole number, ${min} to ${max}`);
  return n;
}

function parseLoad(text: string): Partial<LoadSettings> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('--load: not JSON');
  }
  const r = LoadSettings.partial().safeParse(value);
  if (!r.success) throw new UsageError(`--load: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

interface MetricsOptions {
  listen: Listen;
  token: string | undefined;
  tls: { cert: string; key: string } | undefined;
}

async function serveMetrics(agent: Agent, tickMs: number, o: MetricsOptions): Promise<MetricsServer> {
  const server = createMetricsServer({
    agent,
    tickMs,
    ...(o.token === undefined ? {} : { token: o.token }),
    ...(o.tls ? { tls: o.tls } : {}),
  });
  await server.listen(o.listen.port, o.listen.host);
  return server;
}

interface SimulatedServe extends Omit<
  SimulatedAgentOptions,
  'host' | 'port' | 'token' | 'tls' | 'seed' | 'name' | 'metrics'
> {
  seed: string | undefined;
  name: string | undefined;
  listen: { host: string; port: number };
  tickMs: number;
  token: string | undefined;
  tls: { cert: string; key: string } | undefined;
  metrics: MetricsOptions | undefined;
}

/** The simulated director behind the same agent code; its token is printed when none was given (it guards no kernel). */
async function serveSimulated(o: SimulatedServe, io: Io): Promise<number> {
  const { listen, seed, name, token, tls, metrics: _metrics, ...rest } = o;
  let sim;
  try {
    sim = await startSimulatedAgent({
      ...rest,
      ...(seed !== undefined ? { seed } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(token !== undefined ? { token } : {}),
      ...(tls !== undefined ? { tls } : {}),
      host: listen.host,
      port: listen.port,
    });
  } catch (e) {
    io.err(`lvs-agent serve: --simulated: ${(e as Error).message}\n`);
    return 1;
  }
  if (token === undefined) io.err(`lvs-agent: token ${sim.token}\n`);
  const table = o.services ? `${o.services} services` : `seed ${seed ?? 'demo'}`;
  io.err(`lvs-agent: serving a SIMULATED director (${table}, no kernel) on ${sim.url} (tick ${o.tickMs} ms)\n`);
  if (sim.controlUrl) io.err(`lvs-agent: control surface (tests only, no token) on ${sim.controlUrl}\n`);
  const metricsServer = o.metrics && (await serveMetrics(sim.agent, o.tickMs, o.metrics));
  if (metricsServer) io.err(`lvs-agent: metrics on ${metricsServer.url}\n`);
  await untilSignal();
  await metricsServer?.close();
  await sim.close();
  return 0;
}
