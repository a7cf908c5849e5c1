// Lab bench (inside the lab VM, as root; issue #18): reading a 10,000-service x 10-real-server table. The netlink
// reader's full read (dist/ipvs-dump run once, its stream decoded into the model) against the four ipvsadm listings a
// tick reads (--tun-info, --thresholds, --stats --exact, --rate --exact; ipvsadm's own time, not our parse). Both in
// the same VM run, each netlink read between two listings, medians of a few rounds; prints the ratio (target <= 0.1x). The full read is a cold one (a reader
// with nothing kept: an agent's first read, or a busy director where every service's counters moved); a second figure
// is the steady read of this idle table by a reader that keeps the services whose lines did not change.
// `npm run bench` bundles it (dist/bench/lab-netlink.mjs) and runs that; by hand:
//   bash lab/lab run --mem 2048 -- 'sh lab/topology up >/dev/null && node_modules/.bin/tsx bench/lab-netlink.ts'
// Arguments: SERVICES DESTS ROUNDS [spread] (10000 10 3; spread: the services' addresses spread over the kernel's hash).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { countDestinations, type IpvsDump } from '../lib/ipvs';
import { IpvsadmBackend } from '../server/agent/ipvsadm-backend';
import { NetlinkBackend } from '../server/agent/netlink-backend';
import { syntheticSeed } from '../server/agent/simulator/seeds';

const SERVICES = Number(process.argv[2] ?? 10_000);
const DESTS = Number(process.argv[3] ?? 10);
const ROUNDS = Number(process.argv[4] ?? 3);
// The kernel hashes a service into one of 256 chains by the low byte of its address (with its protocol and port), and
// each real-server dump looks its service up by walking that chain: syntheticSeed's addresses all end in .1, so all
// services share one chain. `spread` gives each address the last byte (its third + 1), spreading them over the chains.
const SPREAD = process.argv[5] === 'spread';
const seed = syntheticSeed(SERVICES, DESTS);
const rules = SPREAD
  ? seed.replace(/-t 10\.(\d+)\.(\d+)\.1:80/g, (_, a, b) => `-t 10.${a}.${b}.${Number(b) + 1}:80`)
  : seed;
execFileSync('ipvsadm', ['-C']); // bench set-up only: the product never flushes
const t = performance.now();
execFileSync('ipvsadm', ['-R'], { input: rules });
const buildMs = performance.now() - t;
console.log(`${SERVICES} x ${DESTS}${SPREAD ? ' (spread)' : ''} built with ipvsadm -R in ${Math.round(buildMs)} ms`);

const ipvsadm = new IpvsadmBackend({ defaultTimeoutMs: 600_000 });
const reader = () => new NetlinkBackend(resolve('dist/ipvs-dump'), ipvsadm, 600_000);
const netlink = reader();
await netlink.dump(); // what it keeps for the steady reads
const LISTINGS = [
  ['-Ln', '--tun-info'],
  ['-Ln', '--thresholds'],
  ['-Ln', '--stats', '--exact'],
  ['-Ln', '--rate', '--exact'],
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ipvsadmRuns: number[] = [];
const netlinkRuns: number[] = [];
const steadyRuns: number[] = [];
const helperRuns: number[] = [];
const ratios = { netlink: [] as number[], steady: [] as number[], helper: [] as number[] };
async function timed(run: () => unknown): Promise<number> {
  const t = performance.now();
  await run();
  return performance.now() - t;
}
function checked(d: IpvsDump): void {
  if (d.services.length !== SERVICES || countDestinations(d.services) !== SERVICES * DESTS)
    throw new Error(`netlink read ${d.services.length} services, ${countDestinations(d.services)} real servers`);
}
for (let round = 0; round < ROUNDS; round++) {
  // each netlink read between two of the four listings (which a tick runs in parallel on a many-core director, one
  // after the other here, as in the figure): on a shared host the load drifts over a round's minutes, and a
  // ratio of reads taken far apart measured the drift as much as the readers
  const listing = async (i: number) => {
    const r = await ipvsadm.run(LISTINGS[i] as string[], 600_000);
    if (!r.ok) throw new Error(r.stderr);
  };
  let listings = await timed(() => listing(0));
  const cold = await timed(async () => checked(await reader().dump()));
  listings += await timed(() => listing(1));
  const helper = await timed(() => execFileSync(netlink.helper, [], { maxBuffer: 1 << 30 }));
  listings += await timed(() => listing(2));
  const steady = await timed(async () => checked(await netlink.dump()));
  listings += await timed(() => listing(3));
  ipvsadmRuns.push(listings);
  netlinkRuns.push(cold);
  helperRuns.push(helper);
  steadyRuns.push(steady);
  ratios.netlink.push(cold / listings);
  ratios.helper.push(helper / listings);
  ratios.steady.push(steady / listings);
  // each round as it ends: under TCG on a busy host a run may not finish
  console.log(
    `round ${round + 1}: ipvsadm ${Math.round(listings)} ms, netlink ${Math.round(cold)} ms = ` +
      `${(cold / listings).toFixed(3)}x (steady ${Math.round(steady)} ms), helper ${Math.round(helper)} ms`,
  );
}
const result = {
  services: SERVICES,
  spread: SPREAD,
  destinations: SERVICES * DESTS,
  buildMs: Math.round(buildMs),
  ipvsadmMs: Math.round(median(ipvsadmRuns)),
  netlinkMs: Math.round(median(netlinkRuns)),
  steadyMs: Math.round(median(steadyRuns)),
  helperMs: Math.round(median(helperRuns)),
  // medians of each round's own ratio
  ratio: +median(ratios.netlink).toFixed(3),
  steadyRatio: +median(ratios.steady).toFixed(3),
  helperRatio: +median(ratios.helper).toFixed(3),
  rounds: ROUNDS,
};
console.log(
  `lab-netlink ${SERVICES}x${DESTS}: four ipvsadm listings ${result.ipvsadmMs} ms, netlink full read (helper + decode into ` +
    `the model, cold) ${result.netlinkMs} ms = ${result.ratio}x (target <= 0.1); steady read of the idle table ` +
    `${result.steadyMs} ms = ${result.steadyRatio}x; the helper alone ${result.helperMs} ms = ` +
    `${result.helperRatio}x (medians of ${ROUNDS}, the ratios each round's own; table built with ipvsadm -R in ${result.buildMs} ms)`,
);
console.log(JSON.stringify({ bench: 'lab-netlink', ...result }));
execFileSync('ipvsadm', ['-C']);
process.exit(0);
