#!/usr/bin/env node
// The lab's traffic generator (`npm run lab` starts it in the guest's client namespace through lab/guest-up):
//
//   ip netns exec client node lab/traffic.mjs --rate 20 --state DIR [--vip 10.1.0.10] [--ports 80,8080,8081]
//
// - steady background load: RATE HTTP requests/s in all, spread round-robin over the ports, each on a new TCP
//   connection (Connection: close, no agent) so that IPVS schedules every one; at most --max-inflight of them at
//   once, the rest are shed and counted as such (never queued without bound);
// - control files the host writes into DIR (`lab burst N` -> DIR/ctl-burst, `lab udp N` -> DIR/ctl-udp), polled every
//   half second (9p does not deliver inotify events for changes made on the host) and deleted once taken:
//   burst N sends N extra requests to each port, --burst-concurrency at a time; udp N runs lab/udp-entries.py N (raw
//   socket, from this same client namespace) toward VIP:--udp-port;
// - one status line every --interval seconds (requests ok/failed per port, plus the director's view), and a dump of
//   `ipvsadm -Ln --stats --exact` after each burst or udp run. The director is the root network namespace: its
//   /proc/1/net files are read directly and ipvsadm is run there through nsenter.
//
// Node built-ins only. Stops on SIGTERM/SIGINT (waits up to 3 s for requests in flight) and prints the totals.
import { execFile, spawn } from 'node:child_process';
import { readFileSync, readdirSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    rate: { type: 'string', default: process.env.LAB_RATE ?? '20' },
    state: { type: 'string', default: process.env.LAB_STATE ?? '' },
    vip: { type: 'string', default: '10.1.0.10' },
    ports: { type: 'string', default: '80,8080,8081' },
    'udp-port': { type: 'string', default: '53' },
    'max-inflight': { type: 'string', default: '64' },
    'burst-concurrency': { type: 'string', default: '20' },
    interval: { type: 'string', default: '10' },
    'director-netns': { type: 'string', default: '/proc/1/ns/net' },
  },
});

const rate = Number(opt.rate);
const ports = opt.ports.split(',').map(Number);
const maxInflight = Number(opt['max-inflight']);
const burstConcurrency = Number(opt['burst-concurrency']);
const intervalMs = Number(opt.interval) * 1000;
const directorProc = join(dirname(dirname(opt['director-netns'])), 'net'); // /proc/1/ns/net -> /proc/1/net
if (
  !(rate >= 0) ||
  ports.some((p) => !(p > 0 && p < 65536)) ||
  !(maxInflight > 0) ||
  !(burstConcurrency > 0) ||
  !(intervalMs > 0)
) {
  console.error('usage: traffic.mjs --rate R --state DIR [--vip A] [--ports 80,8080,8081] [--udp-port 53]');
  process.exit(2);
}

const log = (msg) => console.log(`traffic: ${msg}`);
const secs = (ms) => (ms / 1000).toFixed(1);

// ---- HTTP -----------------------------------------------------------------------------------------------------------
const counts = Object.fromEntries(ports.map((p) => [p, { ok: 0, failed: 0 }]));
let shed = 0;
let inflight = 0; // all requests in flight, steady and burst
let steadyInflight = 0; // the steady load's own, bounded by --max-inflight (bursts have their own pool)
const lastErrors = new Map(); // port -> last error text, printed once per status line

function request(port) {
  inflight++;
  return new Promise((resolve) => {
    let settled = false;
    const done = (ok, err) => {
      if (settled) return;
      settled = true;
      inflight--;
      if (ok) counts[port].ok++;
      else {
        counts[port].failed++;
        lastErrors.set(port, err);
      }
      resolve(ok);
    };
    const req = http.request(
      { host: opt.vip, port, path: '/', agent: false, headers: { Connection: 'close' }, timeout: 5000 },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode === 200, `HTTP ${res.statusCode}`));
        res.on('error', (e) => done(false, e.message));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out after 5 s')));
    req.on('error', (e) => done(false, e.code ?? e.message));
    req.end();
  });
}

// Steady load: a token bucket topped up on a coarse timer, so the rate holds even when timers run late (TCG).
let next = 0;
let credit = 0;
let lastTick = Date.now();
const steady = setInterval(() => {
  const now = Date.now();
  credit = Math.min(credit + ((now - lastTick) / 1000) * rate, Math.max(3 * rate, 1)); // at most 3 s of backlog
  lastTick = now;
  while (credit >= 1) {
    credit--;
    const port = ports[next++ % ports.length];
    if (steadyInflight >= maxInflight) shed++;
    else {
      steadyInflight++;
      void request(port).then(() => steadyInflight--);
    }
  }
}, 50);

// Bursts: one shared queue of extra requests worked by a bounded pool.
const burstQueue = [];
let burstWorkers = 0;
function pumpBursts() {
  while (burstWorkers < burstConcurrency && burstQueue.length > 0) {
    const job = burstQueue.shift();
    burstWorkers++;
    void request(job.port).then((ok) => {
      burstWorkers--;
      job.burst.left--;
      if (!ok) job.burst.failed++;
      if (job.burst.left === 0) {
        const b = job.burst;
        log(`burst ${b.n} done: ${b.total - b.failed}/${b.total} ok in ${secs(Date.now() - b.start)} s`);
        void dumpIpvs('after the burst');
      }
      pumpBursts();
    });
  }
}
function burst(n) {
  const b = { n, total: n * ports.length, left: n * ports.length, failed: 0, start: Date.now() };
  log(`burst ${n}: ${n} extra requests to each of :${ports.join(', :')} (${burstConcurrency} at a time)`);
  for (let i = 0; i < n; i++) for (const port of ports) burstQueue.push({ port, burst: b });
  pumpBursts();
}

// ---- UDP entries ----------------------------------------------------------------------------------------------------
const udpQueue = [];
let udpRunning = false;
let udpChild = null;
function udp(n) {
  udpQueue.push(n);
  if (!udpRunning) runUdp();
}
function runUdp() {
  const n = udpQueue.shift();
  if (n === undefined) {
    udpRunning = false;
    return;
  }
  udpRunning = true;
  const start = Date.now();
  log(`udp ${n}: python3 lab/udp-entries.py ${n} ${opt.vip} ${opt['udp-port']}`);
  const child = (udpChild = spawn('python3', [join(here, 'udp-entries.py'), String(n), opt.vip, opt['udp-port']], {
    stdio: ['ignore', 'inherit', 'inherit'],
  }));
  let finished = false;
  const finish = (what) => {
    if (finished) return; // 'error' and 'exit' can both come
    finished = true;
    udpChild = null;
    log(
      `udp ${n}: ${what} in ${secs(Date.now() - start)} s; the director now holds ${entries().UDP ?? 0} UDP connection entries`,
    );
    void dumpIpvs('after the udp run', ['-u', `${opt.vip}:${opt['udp-port']}`]).then(runUdp);
  };
  child.on('error', (e) => finish(`failed to start (${e.message})`));
  child.on('exit', (code, sig) => finish(code === 0 ? 'sent' : `exited with ${sig ?? code}`));
}

// ---- control files --------------------------------------------------------------------------------------------------
const handlers = { 'ctl-burst': burst, 'ctl-udp': udp };
function pollControls() {
  if (!opt.state) return;
  let names;
  try {
    names = readdirSync(opt.state);
  } catch {
    return;
  }
  for (const name of names) {
    const handle = handlers[name];
    if (!handle) continue;
    const file = join(opt.state, name);
    let text;
    try {
      text = readFileSync(file, 'utf8').trim();
      unlinkSync(file);
    } catch {
      continue; // raced with the host rewriting it: next poll
    }
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
      log(`${name}: ignored ${JSON.stringify(text)} (expected a whole number 1..1000000)`);
    else handle(n);
  }
}
const poller = setInterval(pollControls, 500);

// ---- the director's view --------------------------------------------------------------------------------------------
/** Connection entries in the director's table by protocol (templates included). */
function entries() {
  const by = {};
  try {
    const text = readFileSync(join(directorProc, 'ip_vs_conn'), 'utf8');
    let i = text.indexOf('\n') + 1;
    while (i > 0 && i < text.length) {
      const sp = text.indexOf(' ', i);
      const proto = text.slice(i, sp);
      by[proto] = (by[proto] ?? 0) + 1;
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? -1 : nl + 1;
    }
  } catch {
    /* no IPVS yet */
  }
  return by;
}

/** ipvsadm in the director's namespace; asynchronous, so that the load keeps its pace meanwhile. */
function ipvsadm(args) {
  return new Promise((resolve) =>
    execFile(
      'nsenter',
      [`--net=${opt['director-netns']}`, 'ipvsadm', ...args],
      { encoding: 'utf8', timeout: 20_000 },
      (err, stdout, stderr) =>
        resolve(err ? `(ipvsadm ${args.join(' ')} failed: ${(stderr || err.message).trim()})\n` : stdout),
    ),
  );
}

/** `ipvsadm -Ln --stats --exact` squeezed to one field per service: `:80 1234 conns`. */
async function serviceConns() {
  return (await ipvsadm(['-Ln', '--stats', '--exact']))
    .split('\n')
    .map((l) => /^(TCP|UDP|SCTP|FWM)\s+(\S+)\s+(\d+)/.exec(l))
    .filter(Boolean)
    .map((m) => `${m[1] === 'TCP' ? '' : `${m[1].toLowerCase()} `}${m[2].replace(`${opt.vip}:`, ':')} ${m[3]}`)
    .join(', ');
}

async function dumpIpvs(why, select = []) {
  const text =
    (await ipvsadm(['-Ln', '--stats', '--exact', ...select])) +
    (await ipvsadm(['-Ln', ...select])).split('\n').slice(1).join('\n');
  log(`ipvsadm -Ln --stats --exact / -Ln ${select.join(' ')} ${why}:`);
  for (const line of text.split('\n')) if (line.trim()) console.log(`traffic: | ${line}`);
}

const started = Date.now();
let lastOk = 0;
let lastAt = started;
const status = setInterval(async () => {
  const okNow = ports.reduce((sum, p) => sum + counts[p].ok, 0);
  const perPort = ports.map((p) => `:${p} ${counts[p].ok} ok ${counts[p].failed} failed`).join(' | ');
  const line =
    `${secs(Date.now() - started)} s: ${perPort} | ${((okNow - lastOk) / ((Date.now() - lastAt) / 1000)).toFixed(1)} ok/s` +
    `${inflight ? `, ${inflight} in flight` : ''}${shed ? `, ${shed} shed so far` : ''}`;
  const errors = [...lastErrors].map(([port, err]) => `  last failure on :${port}: ${err}`);
  lastErrors.clear();
  lastOk = okNow;
  lastAt = Date.now();
  const conns = await serviceConns();
  const ent = Object.entries(entries())
    .map(([p, n]) => `${p} ${n}`)
    .join(' ');
  log(`${line} || ipvs conns ${conns} | entries ${ent || 'none'}`);
  for (const e of errors) log(e);
}, intervalMs);

log(
  `${rate} requests/s over ${ports.map((p) => `${opt.vip}:${p}`).join(', ')}; watching ${opt.state || '(no state folder)'} for ctl-burst/ctl-udp`,
);

function stop(sig) {
  clearInterval(steady);
  clearInterval(poller);
  clearInterval(status);
  burstQueue.length = 0;
  udpQueue.length = 0;
  udpChild?.kill('SIGTERM');
  const end = Date.now() + 3000;
  const wait = setInterval(() => {
    if (inflight === 0 || Date.now() > end) {
      clearInterval(wait);
      log(
        `stopped (${sig}): ${ports.map((p) => `:${p} ${counts[p].ok} ok ${counts[p].failed} failed`).join(' | ')}${shed ? ` | ${shed} shed` : ''}`,
      );
      process.exit(0);
    }
  }, 50);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
