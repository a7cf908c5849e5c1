// Health-check cost bench (issue #14): the agent checks 1,000 real servers every second (HTTP GET on a new connection
// each time as the checker did before, HTTP GET on a kept connection as it does now, then TCP connect), each a
// listener on 127.0.0.1 in a separate process; the agent's CPU time (its process and, when it runs, its TCP probe
// helper's, dist/tcp-probe) is measured over the same wall time with the checks on and off (its table ticks go on in
// both). Prints each one's cost as a share of one core, and the ratio of the kept-connection HTTP check's cost to the
// new-connection one's, measured in this run.
// Then the floors, the same 1,000 a second by bare loops in the agent's process: a TCP connect and close, the TCP check
// alone (runCheck without the scheduler and the monitor, through the helper and through node:net), and a fixed GET
// written on a kept connection with its answer taken as one read (no parsing): what the kernel and node's sockets cost
// whatever the checker does.
//   node --import tsx bench/health-checks.ts [REAL_SERVERS] [SECONDS] [KINDS, comma-separated: all by default]
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { CheckKind } from '../lib/health';
import { createAgent } from '../server/agent/agent';
import { runCheck } from '../server/agent/health/checkers';
import { HealthMonitor } from '../server/agent/health/monitor';
import { HealthStore } from '../server/agent/health/store';
import { TcpProber, tcpProber } from '../server/agent/health/tcp-probe';
import { SimulatedDirector } from '../server/agent/simulator/director';

const COUNT = Number(process.argv[2] ?? 1000);
const SECONDS = Number(process.argv[3] ?? 10);
const ONLY = process.argv[4]?.split(',');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

// the real servers: COUNT HTTP listeners in a child process, so that answering costs the agent nothing
const listeners = fork(join(import.meta.dirname, 'health-listeners.mjs'), [String(COUNT)], { stdio: 'inherit' });
const ports = await new Promise<number[]>((resolve) => listeners.once('message', (m) => resolve(m as number[])));
const served = () =>
  new Promise<number>((resolve) => {
    listeners.once('message', (m) => resolve(m as number));
    listeners.send('count');
  });

const rules = ['-A -t 10.1.0.10:80 -s wrr'];
for (const p of ports) rules.push(`-a -t 10.1.0.10:80 -r 127.0.0.1:${p} -m -w 1`);
const director = new SimulatedDirector({ seed: rules.join('\n') + '\n', load: { rate: 0 } });
const agent = createAgent({ backend: director, tickMs: 1000, logger: silent });
await agent.start();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The TCP probe helper's CPU time (ms, its scheduler's run time: user + system), 0 while it does not run. */
function helperCpuMs(): number {
  const pid = tcpProber().pid;
  if (pid === undefined) return 0;
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return 0;
  }
}
/** CPU time of this process and its helper (user + system, ms) over `seconds` of wall time, and the requests served
 * meanwhile. */
async function measure(seconds: number): Promise<{ cpuMs: number; helperMs: number; wallMs: number; checks: number }> {
  const before = await served();
  const cpu = process.cpuUsage();
  const helper = helperCpuMs();
  const t = performance.now();
  await sleep(seconds * 1000);
  const used = process.cpuUsage(cpu);
  const helperMs = helperCpuMs() - helper;
  const wallMs = performance.now() - t;
  return { cpuMs: (used.user + used.system) / 1000 + helperMs, helperMs, wallMs, checks: (await served()) - before };
}

const idle = await measure(SECONDS);
const results: Record<string, number> = {};
const perCheckUs: Record<string, number> = {};
const kinds: [string, CheckKind][] = [
  ['http-new-connection', { type: 'http', path: '/', status: [200], verifyTls: false, reuseConnection: false }],
  ['http', { type: 'http', path: '/', status: [200], verifyTls: false, reuseConnection: true }],
  ['tcp', { type: 'tcp' }],
];
/** The cost of `COUNT` runs a second of one kind, started by `start` (which returns its stop) and counted by `done`. */
async function cost(name: string, start: () => () => void, done: () => number, up?: () => number): Promise<void> {
  const stop = start();
  await sleep(3000); // every check started once (their first runs are spread over the first interval)
  const ran = done();
  const on = await measure(SECONDS);
  const checksPerSecond = (done() - ran) / (on.wallMs / 1000);
  stop();
  const share = on.cpuMs / on.wallMs - idle.cpuMs / idle.wallMs;
  console.log(
    `${name}: ${COUNT} real servers every 1 s: ${checksPerSecond.toFixed(0)} checks/s (${up ? `${up()} up; ` : ''}the listeners saw ${(on.checks / (on.wallMs / 1000)).toFixed(0)} connections/s), agent CPU ${((100 * on.cpuMs) / on.wallMs).toFixed(1)}% of one core (${((100 * on.helperMs) / on.wallMs).toFixed(1)}% its helper's) with checks vs ${((100 * idle.cpuMs) / idle.wallMs).toFixed(1)}% without: the checks cost ${(100 * share).toFixed(2)}% (target <= 5%)`,
  );
  results[name] = Number(share.toFixed(4));
  // a loaded host may not answer 1,000 checks a second: the cost per finished check says what 1,000 a second cost
  perCheckUs[name] = (share * 1e6) / checksPerSecond;
  console.log(
    `${name}: ${perCheckUs[name].toFixed(0)} us of CPU per check: ${(perCheckUs[name] / 10).toFixed(2)}% of one core at 1,000 checks/s`,
  );
  await sleep(1500);
}

/** Every 100 ms, `op` on a tenth of the real servers: each one once a second, as the checks. */
function everySecond(op: (port: number) => void): () => void {
  let next = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < ports.length / 10; i++) op(ports[next++ % ports.length] as number);
  }, 100);
  return () => clearInterval(timer);
}

for (const [name, check] of kinds) {
  if (ONLY && !ONLY.includes(name)) continue;
  const health = new HealthMonitor({
    agent,
    store: new HealthStore(mkdtempSync(join(tmpdir(), 'bench-health-'))),
    logger: silent,
  });
  await cost(
    name,
    () => {
      health.start();
      void health.setConfig({
        services: [
          {
            service: { protocol: 'tcp', address: '10.1.0.10', port: 80 },
            check: { check, intervalMs: 1000, timeoutMs: 900 },
          },
        ],
      });
      return () => health.stop();
    },
    () => health.checksRun,
    () => health.view().rows.filter((r) => r.status === 'up').length,
  );
}

let floorDone = 0;
if (!ONLY || ONLY.includes('floor-tcp'))
  await cost(
    'floor-tcp',
    () =>
      everySecond((port) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => {
          floorDone++;
          s.destroy();
        });
      }),
    () => floorDone,
  );
// the check alone, without the scheduler and the monitor: through the helper (when built) and through node:net
const netOnly = new TcpProber(undefined);
for (const [name, prober] of [
  ['tcp-runcheck-only', tcpProber()],
  ['tcp-runcheck-node-net', netOnly],
] as const)
  if (!ONLY || ONLY.includes(name))
    await cost(
      name,
      () =>
        everySecond((port) => {
          const target = { address: '127.0.0.1', port, timeoutMs: 900, service: 'bench' };
          void runCheck({ type: 'tcp' }, target, Date.now, prober).then(() => floorDone++);
        }),
      () => floorDone,
    );
if (!ONLY || ONLY.includes('floor-kept-request')) {
  const request = Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  const sockets = new Map<number, Socket>();
  for (const port of ports) {
    const s = connect(port, '127.0.0.1');
    s.on('data', () => floorDone++); // the listeners' answer is one small segment
    sockets.set(port, s);
  }
  await cost(
    'floor-kept-request',
    () => everySecond((port) => sockets.get(port)?.write(request)),
    () => floorDone,
  );
  for (const s of sockets.values()) s.destroy();
}
agent.stop();
listeners.kill();
console.log(tcpProber().info);
tcpProber().stop();
const ratio = (perCheckUs.http ?? NaN) / (perCheckUs['http-new-connection'] ?? NaN);
console.log(`http check CPU per check, kept connection vs a new connection per check: ${ratio.toFixed(2)}x`);
console.log(
  JSON.stringify({
    bench: 'health-checks',
    realServers: COUNT,
    seconds: SECONDS,
    coreShare: results,
    cpuUsPerCheck: Object.fromEntries(Object.entries(perCheckUs).map(([k, v]) => [k, Math.round(v)])),
    keptVsNewConnection: Number(ratio.toFixed(3)),
  }),
);
