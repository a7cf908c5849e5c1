// Lab bench (inside the lab VM, as root): one full table refresh with 1,000 services x 10 real servers. Time spent
// in ipvsadm (the four listings a tick reads) against time spent in our code (parse, merge, version signature,
// delta), and the delta's size when 1% of the counters change. Prints ratios.
// `npm run bench` bundles it like the agent (dist/bench/lab-tick.mjs) and runs that; through tsx by hand:
//   bash lab/lab run -- 'sh lab/topology up >/dev/null && node_modules/.bin/tsx bench/lab-tick.ts'
// (tsx's own overhead then counts as ours).
import { execFileSync } from 'node:child_process';
import {
  configSignature,
  diffState,
  listingToServices,
  mergeListing,
  parseListing,
  type TableState,
} from '../lib/ipvs';
import { IpvsadmBackend } from '../server/agent/ipvsadm-backend';
import { syntheticSeed } from '../server/agent/simulator/seeds';

const SERVICES = Number(process.argv[2] ?? 1000);
const DESTS = Number(process.argv[3] ?? 10);
execFileSync('ipvsadm', ['-C']); // bench set-up only: the product never flushes
execFileSync('ipvsadm', ['-R'], { input: syntheticSeed(SERVICES, DESTS) });

const backend = new IpvsadmBackend();
const LISTINGS = [
  ['-Ln', '--tun-info'],
  ['-Ln', '--thresholds'],
  ['-Ln', '--stats', '--exact'],
  ['-Ln', '--rate', '--exact'],
];
const rounds: { ipvsadmMs: number; oursMs: number }[] = [];
let prev: TableState | null = null;
let state: TableState | null = null;
for (let round = 0; round < 5; round++) {
  let ipvsadmMs = 0;
  const outs: string[] = [];
  for (const args of LISTINGS) {
    const t = performance.now();
    const r = await backend.run(args, 120_000);
    ipvsadmMs += performance.now() - t;
    if (!r.ok) throw new Error(r.stderr);
    outs.push(r.stdout);
  }
  const t = performance.now();
  let services = listingToServices(parseListing(outs[0] as string));
  for (const o of outs.slice(1)) services = mergeListing(services, parseListing(o));
  const next: TableState = { epoch: 'bench', version: 1, updatedAt: Date.now(), services, daemons: [], owners: [] };
  configSignature(next);
  if (state) diffState(state, next);
  const oursMs = performance.now() - t;
  prev = state;
  state = next;
  rounds.push({ ipvsadmMs, oursMs });
}
void prev;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ipvsadmMs = median(rounds.map((r) => r.ipvsadmMs));
const oursMs = median(rounds.map((r) => r.oursMs));

// 1% of the real servers' counters change between two ticks
const base = state as TableState;
const changed: TableState = structuredClone(base);
let n = 0;
changed.services.forEach((s, i) =>
  s.destinations.forEach((d, j) => {
    if ((i * DESTS + j) % 100 === 0 && d.stats) {
      d.stats = { ...d.stats, conns: d.stats.conns + 1, inPkts: d.stats.inPkts + 3 };
      n++;
    }
  }),
);
const delta = diffState(base, changed);
const deltaBytes = Buffer.byteLength(JSON.stringify(delta));
const fullBytes = Buffer.byteLength(JSON.stringify(changed));
const result = {
  services: SERVICES,
  destinations: SERVICES * DESTS,
  ipvsadmMs: Math.round(ipvsadmMs),
  oursMs: Math.round(oursMs),
  overheadRatio: +(oursMs / ipvsadmMs).toFixed(3),
  changedCounters: n,
  deltaBytes,
  snapshotBytes: fullBytes,
  deltaRatio: +(deltaBytes / fullBytes).toFixed(4),
};
console.log(
  `lab-tick ${SERVICES}x${DESTS}: ipvsadm ${result.ipvsadmMs} ms, our code ${result.oursMs} ms = ${result.overheadRatio}x (target <= 0.5); ` +
    `delta for 1% changed counters ${deltaBytes} B vs snapshot ${fullBytes} B = ${result.deltaRatio}x`,
);
console.log(JSON.stringify({ bench: 'lab-tick', ...result }));
execFileSync('ipvsadm', ['-C']);
process.exit(0);
