// Netlink decode bench (issue #18), on this machine: decodeIpvsDump over a 10,000-service x 10-real-server stream in
// native/ipvs-dump.c's format (the records of lib/ipvs/__fixtures__/lab/netlink/*.jsonl, the table bench/lab-netlink.ts
// builds with syntheticSeed; services in a scrambled order, as the kernel's hash table gives them). The lab bench
// compares the whole read with ipvsadm's four listings in the VM; this one times the decode alone, to profile it, and
// the longest of the steps the agent decodes in (its event loop gets a turn between two):
//   node --import tsx bench/netlink-decode.ts [SERVICES] [DESTS] [ROUNDS]     (add --cpu-prof before --import to profile)
import { countDestinations, decodeIpvsDumpSteps } from '../lib/ipvs';
import { syntheticStream } from './netlink-stream';

const SERVICES = Number(process.argv[2] ?? 10_000);
const DESTS = Number(process.argv[3] ?? 10);
const ROUNDS = Number(process.argv[4] ?? 5);

const text = syntheticStream(SERVICES, DESTS);
const runs: number[] = [];
const cpus: number[] = [];
const longestSteps: number[] = [];
let steps = 0;
for (let round = 0; round < ROUNDS; round++) {
  const cpu = process.cpuUsage();
  const t = performance.now();
  // the steps the agent runs with turns of its event loop between them (server/agent/netlink-backend.ts): the
  // longest is the longest the decode holds the agent's thread; in CPU time (of the process: the collector's helper
  // threads count too), as wall time on a shared host counts the other processes' turns
  const decode = decodeIpvsDumpSteps(text);
  let longest = 0;
  let since = process.cpuUsage();
  let step = decode.next();
  for (steps = 1; ; steps++) {
    const used = process.cpuUsage(since);
    longest = Math.max(longest, (used.user + used.system) / 1000);
    if (step.done) break;
    since = process.cpuUsage();
    step = decode.next();
  }
  longestSteps.push(longest);
  const dump = step.value;
  runs.push(performance.now() - t);
  const used = process.cpuUsage(cpu);
  cpus.push((used.user + used.system) / 1000);
  if (dump.services.length !== SERVICES || countDestinations(dump.services) !== SERVICES * DESTS || dump.problems[0])
    throw new Error(`decoded ${dump.services.length} services, ${countDestinations(dump.services)} real servers`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const result = {
  services: SERVICES,
  destinations: SERVICES * DESTS,
  streamBytes: text.length,
  decodeMs: Math.round(median(runs)),
  decodeCpuMs: Math.round(median(cpus)),
  longestStepMs: +median(longestSteps).toFixed(1),
  steps,
  rounds: ROUNDS,
};
console.log(
  `netlink-decode ${SERVICES}x${DESTS} (${(text.length / 1e6).toFixed(1)} MB): decode ${result.decodeMs} ms wall, ` +
    `${result.decodeCpuMs} ms CPU, in ${steps} steps, the longest ${result.longestStepMs} ms CPU (medians of ${ROUNDS}; ` +
    `each: ${runs.map(Math.round).join(', ')} ms; longest steps ${longestSteps.map((x) => x.toFixed(1)).join(', ')})`,
);
console.log(JSON.stringify({ bench: 'netlink-decode', ...result }));
