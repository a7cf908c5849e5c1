// Lab bench (inside the lab VM, as root; issue #18): an edit's latency (request -> kernel applied -> confirmation
// read -> confirmed reply) on a director of 1,000 x 10 and of 10,000 x 10, in the same VM run, while the agent ticks
// every second with the reader it chooses at start (netlink when dist/ipvs-dump is there). Edits are made at spread
// moments of the tick, so most land while a tick's read runs: an edit waits for that read only, then its confirmation
// reads its own service. Prints both medians, their ratio and their difference in ticks (target: within one tick).
//   bash lab/lab run --mem 2048 -- 'sh lab/topology up >/dev/null && node_modules/.bin/tsx bench/lab-edit-scale.ts'
//   [BIG (10000)] [SMALL (1000)] [DESTS (10)] [EDITS (12)]
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAgent } from '../server/agent/agent';
import { IpvsadmBackend } from '../server/agent/ipvsadm-backend';
import { chooseBackend } from '../server/agent/netlink-backend';
import { syntheticSeed } from '../server/agent/simulator/seeds';

const [BIG, SMALL, DESTS, EDITS] = [10_000, 1_000, 10, 12].map((d, i) => Number(process.argv[2 + i] ?? d)) as [
  number,
  number,
  number,
  number,
];
const TICK = 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Figures {
  services: number;
  backend: string;
  editMs: number[];
  lastTickMs: number | null;
  stretched: boolean;
  /** The longest the agent's event loop was held during the edits (a full read's decode and publish hold it). */
  loopMaxMs: number;
}

async function measure(services: number): Promise<Figures> {
  execFileSync('ipvsadm', ['-C']); // bench set-up only: the product never flushes
  const seed = syntheticSeed(services, DESTS);
  execFileSync('ipvsadm', ['-R'], { input: seed, maxBuffer: 1 << 30 });
  const ipvsadm = new IpvsadmBackend({ defaultTimeoutMs: 600_000 });
  const { backend, reason } = await chooseBackend(ipvsadm, [resolve('dist/ipvs-dump')]);
  console.log(`${services} x ${DESTS}: ${reason}`);
  const agent = createAgent({ backend, tickMs: TICK, opTimeoutMs: 600_000, logger: { warn: () => undefined } });
  await agent.start();
  // a service in the middle of the table, and its first real server (the seed's own lines)
  const first = seed.split('\n').filter((l) => l.startsWith('-a '))[Math.floor(services / 2) * DESTS] ?? '';
  const [, , vip, , rip] = first.split(' ');
  const [address, port] = [vip?.slice(0, vip.lastIndexOf(':')), Number(vip?.slice(vip.lastIndexOf(':') + 1))];
  const [rAddress, rPort] = [rip?.slice(0, rip.lastIndexOf(':')), Number(rip?.slice(rip.lastIndexOf(':') + 1))];
  const editMs: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  for (let i = 0; i < EDITS; i++) {
    await sleep((i * 397) % TICK); // spread over the tick's phases
    const state = agent.state;
    if (!state || !address || !rAddress) throw new Error(`no table or no service line in the seed: ${first}`);
    const t = performance.now();
    const r = await agent.edit({
      epoch: state.epoch,
      version: state.version,
      edit: {
        kind: 'set-weight',
        service: { protocol: 'tcp', address, port },
        destination: { address: rAddress, port: rPort },
        weight: (i % 9) + 1,
      },
    });
    if (!r.ok || !r.data.confirmed) throw new Error(`edit ${i} failed: ${JSON.stringify(r).slice(0, 500)}`);
    editMs.push(performance.now() - t);
    console.log(`${services} x ${DESTS}: edit ${i + 1} ${Math.round(editMs[i] as number)} ms`);
  }
  loop.disable();
  const { lastTickMs, stretched } = agent.tick;
  agent.stop();
  return { services, backend: backend.name, editMs, lastTickMs, stretched, loopMaxMs: loop.max / 1e6 };
}

const small = await measure(SMALL);
const big = await measure(BIG);
execFileSync('ipvsadm', ['-C']);
const [s, b] = [median(small.editMs), median(big.editMs)];
const result = {
  dests: DESTS,
  tickMs: TICK,
  backend: big.backend,
  smallServices: SMALL,
  bigServices: BIG,
  smallEditP50Ms: Math.round(s),
  bigEditP50Ms: Math.round(b),
  smallEditMaxMs: Math.round(Math.max(...small.editMs)),
  bigEditMaxMs: Math.round(Math.max(...big.editMs)),
  ratio: +(b / s).toFixed(2),
  ticksApart: +((b - s) / TICK).toFixed(2),
  bigLastTickMs: big.lastTickMs === null ? null : Math.round(big.lastTickMs),
  bigStretched: big.stretched,
  smallLoopMaxMs: Math.round(small.loopMaxMs),
  bigLoopMaxMs: Math.round(big.loopMaxMs),
  edits: EDITS,
};
console.log(
  `lab-edit-scale (${result.backend}): edit request -> confirmed p50 ${result.bigEditP50Ms} ms at ${BIG} x ${DESTS} vs ` +
    `${result.smallEditP50Ms} ms at ${SMALL} x ${DESTS} = ${result.ratio}x, ${result.ticksApart} ticks apart (target: ` +
    `within 1); max ${result.bigEditMaxMs} / ${result.smallEditMaxMs} ms; at ${BIG} a tick took ${result.bigLastTickMs} ` +
    `ms${result.bigStretched ? ' (stretched)' : ''}; event loop held up to ${result.bigLoopMaxMs} / ` +
    `${result.smallLoopMaxMs} ms (medians of ${EDITS} edits each)`,
);
console.log(JSON.stringify({ bench: 'lab-edit-scale', ...result }));
process.exit(0);
