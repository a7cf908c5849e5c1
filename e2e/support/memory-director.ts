// A simulated director for developing and testing the dashboard without the lab VM: the real agent (createAgent +
// createAgentServer) on 127.0.0.1 over a MemoryBackend seeded with `ipvsadm -S -n` text, with counters that move like a
// loaded director (rates follow the scheduler and the weights; a drained real server's connections fall off), a
// connection table (the lab's /proc/net/ip_vs_conn capture plus synthetic entries whose expiry counts down), and a
// small HTTP control endpoint the e2e tests use to stop/restart the agent on the same port or make the next kernel
// operation fail.
//
//   npx tsx e2e/support/memory-director.ts [--port 7071] [--control-port 0] [--token T] [--seed FILE]
//                                          [--conns N] [--tick MS] [--name lab] [--services N [--dests M]]
//
// --services N replaces the seed with N synthetic TCP services of M real servers each (10 by default): the benches'
// large director (bench/browser/).
//
// Prints one JSON line {"agentPort","controlPort","token"} on stdout once both listen. Control endpoint (POST):
//   /agent/stop    close the agent's server (the dashboard sees the director unreachable)
//   /agent/start   listen again on the same port
//   /agent/restart a new run of the agent over the same table: a new epoch, versions from v1 again
//   /agent/pause   stop polling (the dashboard sees the director stale); /agent/resume
//   /fail-next     the next ipvsadm run fails with the body as the kernel's error text
//   /delay         every ipvsadm run takes the body's number of milliseconds
//   /conns-delay   every read of the connection table takes the body's number of milliseconds (a large table)
//   /unreadable    the body's JSON [{lineNumber, line, reason, service?}]: listing lines the agent "cannot read"
//                  (their services leave the table read, as with a real ipvsadm line the parser skips)
//   /reset         re-seed the table from the seed file and forget the argv log
// and GET /health, GET /state (the backend's table as JSON).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConnectionTable,
  destinationId,
  parseProcConns,
  serviceId,
  serviceKey,
  type ParseProblem,
  type Service,
} from '../../lib/ipvs';
import { createAgent } from '../../server/agent/agent';
import type { CommandResult } from '../../server/agent/backend';
import { MemoryBackend } from '../../server/agent/memory-backend';
import { createAgentServer, type AgentServer } from '../../server/agent/serve';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'lib/ipvs/__fixtures__/lab');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

const opts = {
  port: Number(arg('port', '0')),
  controlPort: Number(arg('control-port', '0')),
  token: arg('token', 'memory-director-token-0123456789'),
  seed: arg('seed', path.join(FIXTURES, 'save.Sn.txt')),
  conns: Number(arg('conns', '0')),
  tickMs: Number(arg('tick', '1000')),
  name: arg('name', 'memory'),
  services: Number(arg('services', '0')),
  dests: Number(arg('dests', '10')),
};

/** A deterministic 0..1 number per string (FNV-1a). */
function hash01(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 0xffffffff;
}

interface Sim {
  active: number;
  inactive: number;
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}

const WEIGHTED = new Set(['wrr', 'wlc', 'sed', 'nq', 'lblc', 'lblcr', 'mh', 'ovf']);

/** MemoryBackend with moving counters, a live connection table, and a switch to fail the next command. */
class SimulatedBackend extends MemoryBackend {
  private readonly sims = new Map<string, Sim>();
  private last = Date.now();
  private readonly started = Date.now();
  failNext: string | null = null;
  connsDelayMs = 0;
  base = new ConnectionTable();
  unreadable: ParseProblem[] = [];

  problems(): readonly ParseProblem[] {
    return this.unreadable;
  }

  override async readServices(): Promise<Service[]> {
    const now = Date.now();
    const dt = Math.min(5, Math.max(0, (now - this.last) / 1000));
    this.last = now;
    const t = (now - this.started) / 1000;
    for (const svc of this.services) {
      const sid = serviceId(serviceKey(svc));
      const h = hash01(sid);
      // Most services idle along at a few connections/s; a few are busy.
      const base = svc.destinations.length === 0 ? 0 : h < 0.3 ? 0.4 + h * 3 : 2 + h * 60;
      const wave =
        1 + 0.35 * Math.sin((2 * Math.PI * t) / 90 + h * 6) + 0.15 * Math.sin((2 * Math.PI * t) / 17 + h * 3);
      const up = svc.destinations.filter((d) => d.weight > 0);
      const weightSum = up.reduce((a, d) => a + d.weight, 0);
      const top = Math.max(0, ...up.map((d) => d.weight));
      const rate = up.length === 0 ? 0 : base * wave * (0.9 + Math.random() * 0.2);
      const total = {
        conns: 0,
        inPkts: 0,
        outPkts: 0,
        inBytes: 0,
        outBytes: 0,
        cps: 0,
        inPps: 0,
        outPps: 0,
        inBps: 0,
        outBps: 0,
      };
      for (const d of svc.destinations) {
        const key = `${sid}|${destinationId(d)}`;
        let sim = this.sims.get(key);
        if (!sim) {
          sim = { active: 0, inactive: 0, conns: Math.floor(h * 1e5), inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };
          this.sims.set(key, sim);
        }
        let share = 0;
        if (d.weight > 0) {
          if (svc.scheduler === 'fo') share = d.weight === top ? 1 / up.filter((x) => x.weight === top).length : 0;
          else if (WEIGHTED.has(svc.scheduler)) share = d.weight / weightSum;
          else share = 1 / up.length;
        }
        const cps = rate * share;
        // DR and TUN replies go from the real server to the client: a kernel never counts them (nor does this)
        const out = d.forward === 'masq' ? 1 : 0;
        sim.active += (cps * 4 - sim.active) * Math.min(1, 0.25 * dt);
        sim.inactive += (cps * 40 - sim.inactive) * Math.min(1, 0.1 * dt);
        sim.conns += cps * dt;
        sim.inPkts += cps * 11 * dt;
        sim.outPkts += cps * 9 * out * dt;
        sim.inBytes += cps * 1100 * dt;
        sim.outBytes += cps * 15500 * out * dt;
        d.activeConns = Math.round(sim.active);
        d.inactiveConns = Math.round(sim.inactive);
        d.stats = {
          conns: Math.floor(sim.conns),
          inPkts: Math.floor(sim.inPkts),
          outPkts: Math.floor(sim.outPkts),
          inBytes: Math.floor(sim.inBytes),
          outBytes: Math.floor(sim.outBytes),
        };
        d.rate = {
          cps: Math.round(cps),
          inPps: Math.round(cps * 11),
          outPps: Math.round(cps * 9 * out),
          inBps: Math.round(cps * 1100),
          outBps: Math.round(cps * 15500 * out),
        };
        for (const k of ['conns', 'inPkts', 'outPkts', 'inBytes', 'outBytes'] as const) total[k] += d.stats[k];
        for (const k of ['cps', 'inPps', 'outPps', 'inBps', 'outBps'] as const) total[k] += d.rate[k];
      }
      svc.stats = {
        conns: total.conns,
        inPkts: total.inPkts,
        outPkts: total.outPkts,
        inBytes: total.inBytes,
        outBytes: total.outBytes,
      };
      svc.rate = { cps: total.cps, inPps: total.inPps, outPps: total.outPps, inBps: total.inBps, outBps: total.outBps };
    }
    const read = await super.readServices();
    const skipped = new Set(this.unreadable.map((p) => p.service));
    return read.filter((s) => !skipped.has(serviceId(serviceKey(s))));
  }

  override async run(args: string[]): Promise<CommandResult> {
    if (this.failNext !== null) {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      const stderr = this.failNext;
      this.failNext = null;
      this.log.push(args);
      return { argv: ['ipvsadm', ...args], ok: false, exitCode: 2, stdout: '', stderr, durationMs: 1, timedOut: false };
    }
    return super.run(args);
  }

  /** The captured table, with every expiry counting down (an entry that runs out comes back as a new one). */
  override async readConnections(): Promise<ConnectionTable> {
    if (this.connsDelayMs) await new Promise((r) => setTimeout(r, this.connsDelayMs));
    const elapsed = Math.floor((Date.now() - this.started) / 1000);
    const t = ConnectionTable.fromColumns(this.base.toColumns());
    const expires = t.expires;
    for (let i = 0; i < t.length; i++) {
      const e = this.base.expires[i] as number;
      const period = e > 200 ? 301 : 121;
      expires[i] = (((e - elapsed) % period) + period) % period;
    }
    return t;
  }
}

function connectionTable(services: Service[], extra: number): ConnectionTable {
  const table = parseProcConns(readFileSync(path.join(FIXTURES, 'proc-ip_vs_conn.txt'), 'utf8'));
  const targets = services.flatMap((s) =>
    s.protocol === 'fwmark' || !s.address || s.address.includes(':') ? [] : s.destinations.map((d) => ({ s, d })),
  );
  const id = (v: string) => table.text.id(v);
  // The fwmark persistence templates of a later capture (IPv4 mark 1, IPv6 mark 3): protocol IP, mark as address.
  const marked = parseProcConns(readFileSync(path.join(FIXTURES, 'fwmark6.proc-ip_vs_conn.txt'), 'utf8'));
  for (const c of marked.toArray().filter((x) => x.protocol === 'ip')) {
    table.push({
      protocol: id(c.protocol),
      state: id(c.state),
      expires: c.expires,
      client: id(c.clientAddress),
      clientPort: c.clientPort,
      virtual: id(c.virtualAddress),
      virtualPort: c.virtualPort,
      dest: id(c.destAddress),
      destPort: c.destPort,
    });
  }
  const states = {
    tcp: ['ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'TIME_WAIT', 'TIME_WAIT', 'FIN_WAIT', 'SYN_RECV', 'CLOSE_WAIT'],
    udp: ['UDP'],
    sctp: ['ESTABLISHED'],
  };
  for (let i = 0; i < extra && targets.length; i++) {
    const { s, d } = targets[Math.floor(hash01(`t${i}`) * targets.length)] as (typeof targets)[number];
    const proto = s.protocol as 'tcp' | 'udp' | 'sctp';
    const st = states[proto][i % states[proto].length] as string;
    const template = s.persistent !== undefined && i % 7 === 0;
    const client = `10.${100 + (i % 50)}.${(i >> 8) & 255}.${i & 255}`;
    table.push({
      protocol: id(proto),
      state: id(template ? 'NONE' : st),
      expires: template ? (s.persistent ?? 300) : st === 'ESTABLISHED' ? 100 + (i % 800) : 1 + (i % 120),
      client: id(client),
      clientPort: template ? 0 : 1024 + (i % 60000),
      virtual: id(s.address ?? ''),
      virtualPort: s.port ?? 0,
      dest: id(d.address),
      destPort: d.port,
    });
  }
  return table;
}

/** `ipvsadm -S -n` text of `services` wrr services on port 80 with `dests` NAT real servers each. */
function syntheticSeed(services: number, dests: number): string {
  const rules: string[] = [];
  for (let s = 0; s < services; s++) {
    const [hi, lo] = [Math.floor(s / 250), s % 250];
    rules.push(`-A -t 10.${100 + hi}.${lo}.1:80 -s wrr`);
    for (let d = 0; d < dests; d++)
      rules.push(`-a -t 10.${100 + hi}.${lo}.1:80 -r 10.${200 + hi}.${lo}.${d + 1}:80 -m -w ${d + 1}`);
  }
  return rules.join('\n') + '\n';
}

const seedText = opts.services > 0 ? syntheticSeed(opts.services, opts.dests) : readFileSync(opts.seed, 'utf8');
const backend = new SimulatedBackend(seedText);
backend.base = connectionTable(backend.services, opts.conns);
let agent = createAgent({ backend, tickMs: opts.tickMs, name: opts.name });
await agent.start();

let agentPort = opts.port;
let server: AgentServer | null = null;
async function startServer(): Promise<void> {
  if (server) return;
  const s = createAgentServer({ agent, token: opts.token, backendName: 'memory', tickMs: opts.tickMs });
  agentPort = await s.listen(agentPort, '127.0.0.1');
  server = s;
}
async function stopServer(): Promise<void> {
  const s = server;
  server = null;
  await s?.close();
}
await startServer();

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString()));
    req.on('end', () => resolve(s));
  });
}

let paused = false;
const control = createServer((req, res) => {
  const reply = (status: number, data: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
  };
  void (async () => {
    const route = `${req.method} ${req.url?.split('?')[0]}`;
    switch (route) {
      case 'GET /health':
        return reply(200, { ok: true, agentPort, serving: server !== null, paused });
      case 'GET /state':
        return reply(200, {
          services: backend.services,
          epoch: agent.epoch,
          version: agent.state?.version,
          log: backend.log.slice(-20),
        });
      case 'POST /agent/stop':
        await stopServer();
        return reply(200, { ok: true });
      case 'POST /agent/start':
        await startServer();
        return reply(200, { ok: true, agentPort });
      case 'POST /agent/restart':
        await stopServer();
        agent.stop();
        agent = createAgent({ backend, tickMs: opts.tickMs, name: opts.name });
        await agent.start();
        paused = false;
        await startServer();
        return reply(200, { ok: true, epoch: agent.epoch });
      case 'POST /agent/pause':
        if (!paused) agent.stop();
        paused = true;
        return reply(200, { ok: true });
      case 'POST /agent/resume':
        if (paused) await agent.start();
        paused = false;
        return reply(200, { ok: true });
      case 'POST /fail-next':
        backend.failNext = (await body(req)) || 'Memory allocation problem';
        return reply(200, { ok: true });
      case 'POST /delay':
        backend.delayMs = Number(await body(req)) || 0;
        return reply(200, { ok: true });
      case 'POST /conns-delay':
        backend.connsDelayMs = Number(await body(req)) || 0;
        return reply(200, { ok: true });
      case 'POST /unreadable':
        backend.unreadable = JSON.parse((await body(req)) || '[]') as ParseProblem[];
        await agent.refresh();
        return reply(200, { ok: true });
      case 'POST /reset': {
        backend.services = new MemoryBackend(seedText).services;
        backend.unreadable = [];
        backend.failNext = null;
        backend.delayMs = 0;
        backend.log.length = 0;
        backend.connsDelayMs = 0;
        await agent.refresh();
        return reply(200, { ok: true, version: agent.state?.version });
      }
      default:
        return reply(404, { error: `no route ${route}` });
    }
  })().catch((e: unknown) => reply(500, { error: String(e) }));
});
await new Promise<void>((resolve) => control.listen(opts.controlPort, '127.0.0.1', resolve));
const controlPort = (control.address() as AddressInfo).port;
console.log(JSON.stringify({ agentPort, controlPort, token: opts.token }));

async function shutdown(): Promise<void> {
  agent.stop();
  control.close();
  await stopServer();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
