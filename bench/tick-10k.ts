// Host bench (issue #18): the simulated agent's tick at 10,000 x 10 (100,000 real servers) against its 1 s cadence,
// split into the simulated kernel's read (the director's tick and listing), the agent's own work on it (merge,
// version signature, delta) and the serialization of the delta the dashboard link sends (JSON, as Socket.IO does).
// The director is built as `lvs-agent serve --simulated --services N --dests D` builds it (serve-simulated.ts); a
// simulated clock moves 1 s per tick, so every tick sees one second of load, whatever the host's speed.
//   node --import tsx bench/tick-10k.ts [services=10000] [dests=10] [ticks=10]
// Profile: node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/tick-10k.ts
import { loadavg } from 'node:os';
import { createAgent } from '../server/agent/agent';
import { ControlledDirector } from '../server/agent/simulator/controlled';
import { syntheticSeed } from '../server/agent/simulator/seeds';

const SERVICES = Number(process.argv[2] ?? 10_000);
const DESTS = Number(process.argv[3] ?? 10);
const TICKS = Number(process.argv[4] ?? 10);
const TICK_MS = 1000;

let clock = Date.now();
const now = () => clock;
const director = new ControlledDirector({ seed: syntheticSeed(SERVICES, DESTS), conns: 0, randomSeed: 1, now });
const agent = createAgent({ backend: director, tickMs: TICK_MS, name: 'bench', now });

let readMs = 0;
const read = director.readServices.bind(director);
director.readServices = async () => {
  const t = performance.now();
  try {
    return await read();
  } finally {
    readMs += performance.now() - t;
  }
};
let sendMs = 0;
let sentBytes = 0;
agent.subscribe((m) => {
  if (m.type !== 'delta') return;
  const t = performance.now();
  sentBytes = JSON.stringify(m.delta).length;
  sendMs += performance.now() - t;
});

console.log(`tick bench: ${SERVICES} x ${DESTS}, ${TICKS} ticks; load average ${loadavg().map((l) => l.toFixed(2))}`);
const t0 = performance.now();
await agent.refresh(); // the first read: the snapshot
console.log(`first read (snapshot): ${(performance.now() - t0).toFixed(0)} ms`);
const rows: { total: number; read: number; agent: number; send: number; bytes: number }[] = [];
for (let i = 0; i < TICKS; i++) {
  clock += TICK_MS;
  [readMs, sendMs] = [0, 0];
  const t = performance.now();
  await agent.refresh();
  const total = performance.now() - t;
  rows.push({ total, read: readMs, agent: total - readMs - sendMs, send: sendMs, bytes: sentBytes });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
for (const [i, r] of rows.entries())
  console.log(
    `tick ${i + 1}: ${r.total.toFixed(0)} ms = read ${r.read.toFixed(0)} + agent ${r.agent.toFixed(0)} + ` +
      `delta JSON ${r.send.toFixed(0)} (${(r.bytes / 1024).toFixed(0)} KB)`,
  );
const m = (k: 'total' | 'read' | 'agent' | 'send') => median(rows.map((r) => r[k])).toFixed(0);
console.log(
  `median tick ${m('total')} ms (${(Number(m('total')) / TICK_MS).toFixed(2)} of the ${TICK_MS} ms cadence): ` +
    `read ${m('read')}, agent ${m('agent')}, delta JSON ${m('send')}; slowest ${Math.max(...rows.map((r) => r.total)).toFixed(0)} ms; ` +
    `load average ${loadavg().map((l) => l.toFixed(2))}`,
);
agent.stop();
