// Netlink read + publish bench (issue #18), on this machine: what the agent does with a tick's netlink read of a
// 10,000 x 10 table (bench/netlink-stream.ts) after the read before it: decode the stream into the model (in the steps
// the agent runs with turns of its event loop between them), then publish it (server/agent/agent.ts `publish`: the
// version signature, configSignature, and the delta from the last table, diffState), which runs in one piece. Two
// tables: "idle", where 1% of the services' counters moved since the last read, and "busy", where all of them did;
// each decoded as the agent does, given the last dump (a service whose block of lines did not change is kept), and
// afresh, paired in one run. Then "confirmation": the publish of an edit's confirmation (one service read again, with
// a new weight, in the table the last read published).
//   node --import tsx bench/netlink-publish.ts [SERVICES] [DESTS] [ROUNDS]   (add --cpu-prof before --import to profile)
import { loadavg } from 'node:os';
import {
  configSignature,
  decodeIpvsDumpSteps,
  diffState,
  type Destination,
  type IpvsDump,
  type Service,
  type TableState,
} from '../lib/ipvs';
import { syntheticStream } from './netlink-stream';

const SERVICES = Number(process.argv[2] ?? 10_000);
const DESTS = Number(process.argv[3] ?? 10);
const ROUNDS = Number(process.argv[4] ?? 6);

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/** The decode in the agent's steps: its CPU time and the longest step (the longest it holds the agent's thread). */
function decode(text: string, last?: IpvsDump): { dump: IpvsDump; ms: number; longestStep: number } {
  const start = process.cpuUsage();
  const steps = decodeIpvsDumpSteps(text, last);
  let longestStep = 0;
  for (;;) {
    const since = process.cpuUsage();
    const step = steps.next();
    longestStep = Math.max(longestStep, cpuMs(since));
    if (step.done) return { dump: step.value, ms: cpuMs(start), longestStep };
  }
}

const state = (dump: IpvsDump, version: number): TableState => ({
  epoch: 'bench',
  version,
  updatedAt: version,
  services: dump.services,
  timeouts: dump.timeouts,
  daemons: dump.daemons,
  owners: [],
});

interface Row {
  decode: number;
  longestStep: number;
  signature: number;
  diff: number;
}

/** The table with the service at `at` read again after an edit of its first real server's weight. */
function confirmed(services: Service[], at: number, weight: number): Service[] {
  const one = structuredClone(services[at] as Service);
  (one.destinations[0] as Destination).weight = weight;
  return services.map((s, i) => (i === at ? one : s));
}

function run(kind: 'idle' | 'busy' | 'confirmation', keep: boolean): Row[] {
  const moved = (round: number) => (s: number) => (kind === 'busy' || s % 100 === 0 ? round : 0);
  let prev = decode(syntheticStream(SERVICES, DESTS, moved(0))).dump;
  let prevState = state(prev, 1);
  let prevSignature = configSignature(prevState);
  const rows: Row[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const d =
      kind === 'confirmation'
        ? {
            dump: { ...prev, services: confirmed(prev.services, (round * 997) % SERVICES, round + 1) },
            ms: 0,
            longestStep: 0,
          }
        : decode(syntheticStream(SERVICES, DESTS, moved(round)), keep ? prev : undefined);
    const next = state(d.dump, 1);
    let since = process.cpuUsage();
    const signature = configSignature(next, prevState.services);
    const sigMs = cpuMs(since);
    since = process.cpuUsage();
    const delta = diffState(prevState, next);
    const diffMs = cpuMs(since);
    if ((signature !== prevSignature) !== (kind === 'confirmation')) throw new Error('the signature is wrong');
    const changed = delta?.counters ? 'columns' : (delta?.changed?.length ?? 0);
    if (kind === 'confirmation' && changed !== 1) throw new Error(`confirmation: ${String(changed)} services changed`);
    if (kind === 'idle' && changed !== SERVICES / 100) throw new Error(`idle: ${String(changed)} services changed`);
    if (kind === 'busy' && changed !== 'columns') throw new Error(`busy: ${String(changed)} services changed`);
    rows.push({ decode: d.ms, longestStep: d.longestStep, signature: sigMs, diff: diffMs });
    [prev, prevState, prevSignature] = [d.dump, next, signature];
  }
  return rows;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(
  `netlink-publish ${SERVICES} x ${DESTS}, ${ROUNDS} reads after a first; load average ${loadavg().map((l) => l.toFixed(2))}`,
);
for (const [kind, keep] of [
  ['idle', true],
  ['idle', false],
  ['busy', true],
  ['busy', false],
  ['confirmation', true],
] as const) {
  const rows = run(kind, keep);
  const m = (k: keyof Row) => median(rows.map((r) => r[k]));
  const publish = median(rows.map((r) => r.signature + r.diff));
  console.log(
    `${kind}${kind === 'confirmation' ? '' : keep ? ', given the last dump' : ', afresh'}: decode ${m('decode').toFixed(0)} ms CPU (longest step ${m('longestStep').toFixed(1)}), publish ` +
      `${publish.toFixed(0)} ms in one piece = signature ${m('signature').toFixed(0)} + delta ${m('diff').toFixed(0)} ` +
      `(medians; publishes ${rows.map((r) => (r.signature + r.diff).toFixed(0)).join(', ')})`,
  );
  console.log(
    JSON.stringify({
      bench: 'netlink-publish',
      table: kind,
      kept: keep,
      services: SERVICES,
      destinations: SERVICES * DESTS,
      decodeCpuMs: Math.round(m('decode')),
      longestStepMs: +m('longestStep').toFixed(1),
      publishCpuMs: Math.round(publish),
      signatureCpuMs: Math.round(m('signature')),
      diffCpuMs: Math.round(m('diff')),
    }),
  );
}
console.log(`load average ${loadavg().map((l) => l.toFixed(2))}`);
