// Connection-query bench (issue #11): a sorted query over 1,000,000 entries in the agent, per sort key, against the
// 100 ms target; then an agent ticking over a MemoryBackend while a flood of sorted queries runs against a large,
// re-read connection table: the longest tick delay and an operator's weight-change latency, in ticks, with and without
// the flood. Wall time and this process's CPU time are both printed: on a shared machine the wall clock also counts
// the time spent waiting for a core.
//
//   node --max-old-space-size=8192 --import tsx bench/conn-query.ts [ROWS] [--tick MS] [--seconds S]
import {
  ConnectionTable,
  SORT_KEYS,
  parseSave,
  drain,
  nextPagesSteps,
  queryConnections,
  prepareRead,
  type ConnectionQuery,
  type TableState,
} from '../lib/ipvs';
import { loadavg } from 'node:os';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { createAgent } from '../server/agent/agent';
import { MemoryBackend } from '../server/agent/memory-backend';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = Number(/^\d+$/.test(process.argv[2] ?? '') ? process.argv[2] : 1_000_000);
const TICK_MS = arg('tick', 500);
const SECONDS = arg('seconds', 12);
const TARGET_MS = 100;
const FIRST_ROUNDS = 3;

const ip = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

/** A director's table: ~220,000 distinct clients (one in ten IPv6), 100 services x 10 real servers, 5 states. */
function connections(rows: number): ConnectionTable {
  const t = new ConnectionTable(rows);
  const id = (s: string) => t.text.id(s);
  const states = ['ESTABLISHED', 'TIME_WAIT', 'FIN_WAIT', 'SYN_RECV', 'CLOSE'].map(id);
  const [tcp, udp] = [id('tcp'), id('udp')];
  let x = 1;
  const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  for (let i = 0; i < rows; i++) {
    const r = rnd();
    const client =
      r % 10 === 0 ? id(`2001:db8::${(rnd() % 50_000).toString(16)}`) : id(ip(0x0a000000 + (rnd() % 400_000)));
    const svc = rnd() % 100;
    t.push({
      protocol: r % 7 === 0 ? udp : tcp,
      state: states[rnd() % 5] as number,
      expires: rnd() % 900,
      client,
      clientPort: 1024 + (rnd() % 60_000),
      virtual: id(ip(0x0a010000 + svc)),
      virtualPort: 80,
      dest: id(ip(0x0a020000 + svc * 16 + (rnd() % 10))),
      destPort: 80,
    });
  }
  return t;
}

/** A new read as the agent gets it from the reader worker: the columns and their sort keys (worked out there). */
const copy = (t: ConnectionTable) => ConnectionTable.fromColumns(t.toColumns());

function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = f();
  const wall = performance.now() - t;
  const u = process.cpuUsage(c);
  return { value, wall, cpu: (u.user + u.system) / 1000 };
}

const f0 = (n: number) => n.toFixed(0);
const f2 = (n: number) => n.toFixed(2);
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;
const results: Record<string, unknown> = { rows: ROWS };

// 1. Sorted queries, each key on a fresh copy of the read (so the first query builds everything it needs).
const base = connections(ROWS);
const preparing = timed(() => prepareRead(base));
console.log(
  `table: ${ROWS.toLocaleString('en')} entries, ${base.text.values.length.toLocaleString('en')} distinct texts; ` +
    `sort keys worked out in the reader worker (not the agent's thread): ${f0(preparing.wall)} / ${f0(preparing.cpu)} ms`,
);
results.workerPrepareMs = preparing.wall;
results.workerPrepareCpuMs = preparing.cpu;
// the code compiled first (the agent has answered queries before this read): each key once over a small table
const small = connections(20_000);
for (const sort of SORT_KEYS) queryConnections(small, { sort, offset: 10_000, limit: 200 });
const loads = () => loadavg().map(f2).join(' ');
results.loadBefore = loadavg();
console.log(
  `load average ${loads()}
` +
    `sort key  | first query after a read, median of ${FIRST_ROUNDS} reads: wall / CPU ms, ratio to 100 ms (worst CPU) | order built after it | next pages (median of 6) | new filter | its next page`,
);
const perKey: Record<string, unknown> = {};
for (const sort of SORT_KEYS) {
  let table = copy(base);
  const firsts: { wall: number; cpu: number }[] = [];
  for (let k = 0; k < FIRST_ROUNDS; k++) {
    table = copy(base);
    firsts.push(timed(() => queryConnections(table, { sort, offset: ROWS / 2, limit: 200 })));
  }
  const first = { wall: median(firsts.map((t) => t.wall)), cpu: median(firsts.map((t) => t.cpu)) };
  const worstCpu = Math.max(...firsts.map((t) => t.cpu));
  // as the agent does right after answering: the whole order, which the next pages walk
  const build = timed(() => drain(nextPagesSteps(table, { sort })));
  const next = [0, 1, 2, 3, 4, 5].map((k) =>
    timed(() => queryConnections(table, { sort, desc: k % 2 === 1, offset: k * 40_000, limit: 200 })),
  );
  const filter: ConnectionQuery = { sort, client: '10.0.1', state: 'fin_wait', limit: 200 };
  const filtered = timed(() => queryConnections(table, filter));
  const page2 = timed(() => queryConnections(table, { ...filter, offset: 200 }));
  const [nw, nc] = [median(next.map((t) => t.wall)), median(next.map((t) => t.cpu))];
  console.log(
    `${sort.padEnd(9)} | ${f0(first.wall)} / ${f0(first.cpu)} ms = ${f2(first.wall / TARGET_MS)}x / ${f2(first.cpu / TARGET_MS)}x (${f0(worstCpu)}) | ` +
      `${f0(build.wall)} / ${f0(build.cpu)} ms | ` +
      `${f0(nw)} / ${f0(nc)} ms = ${f2(nw / TARGET_MS)}x | ${f0(filtered.wall)} / ${f0(filtered.cpu)} ms = ${f2(filtered.wall / TARGET_MS)}x | ${f0(page2.wall)} ms`,
  );
  perKey[sort] = {
    firstMs: first.wall,
    firstCpuMs: first.cpu,
    firstWorstCpuMs: worstCpu,
    orderBuildMs: build.wall,
    orderBuildCpuMs: build.cpu,
    nextMs: nw,
    nextCpuMs: nc,
    filterMs: filtered.wall,
    filterPage2Ms: page2.wall,
    matched: filtered.value.matched,
  };
}
results.sorted = perKey;

// 2. An agent ticking every TICK_MS while a flood of sorted queries runs; every read of the connection table is a new
// table (as from the kernel), so each read's sort orders are built again under the flood.
const seed: string[] = [];
for (let s = 0; s < 100; s++) {
  seed.push(`-A -t ${ip(0x0a010000 + s)}:80 -s wrr`);
  for (let d = 0; d < 10; d++) seed.push(`-a -t ${ip(0x0a010000 + s)}:80 -r ${ip(0x0a020000 + s * 16 + d)}:80 -m -w 1`);
}
const reads = Array.from({ length: Math.ceil(SECONDS / 2) + 4 }, () => copy(base));
class ReadingBackend extends MemoryBackend {
  readCount = 0;
  override async readConnections(): Promise<ConnectionTable> {
    return reads[this.readCount++ % reads.length] as ConnectionTable;
  }
}
const backend = new ReadingBackend();
backend.services = parseSave(seed.join('\n'));
const agent = createAgent({ backend, tickMs: TICK_MS, name: 'bench' });
await agent.start();
const ticks: number[] = [];
agent.subscribe(() => ticks.push(performance.now()));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// garbage collections during a phase: full (mark-compact) ones, and the longest of any kind as perf_hooks times it
// (a full one's time includes its incremental marking, not only the pause)
const gcs: PerformanceEntry[] = [];
const gcKind = (e: PerformanceEntry) => (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
new PerformanceObserver((list) => gcs.push(...list.getEntries())).observe({ entryTypes: ['gc'] });

async function phase(flood: boolean) {
  const stopWatching = agent.connections.watch();
  await agent.connections.read();
  let queries = 0;
  let running = true;
  const flooders = flood
    ? Array.from({ length: 8 }, async (_, w) => {
        for (let k = 0; running; k++) {
          const sort = SORT_KEYS[(w + k) % SORT_KEYS.length] ?? 'client';
          const filter = k % 3 === 0 ? { dest: `10.2.${k % 7}` } : {};
          await agent.connections.query({
            sort,
            desc: k % 2 === 0,
            offset: (k * 7919) % (ROWS / 2),
            limit: 1000,
            ...filter,
          });
          queries++;
        }
      })
    : [];
  await sleep(TICK_MS * 2);
  const from = ticks.length;
  const gcFrom = gcs.length;
  const edits: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  for (let k = 0; performance.now() < end; k++) {
    const state = agent.state as TableState;
    const t = performance.now();
    const reply = await agent.edit({
      epoch: agent.epoch,
      version: state.version,
      edit: {
        kind: 'set-weight',
        service: { protocol: 'tcp', address: '10.1.0.1', port: 80 },
        destination: { address: '10.2.0.17', port: 80 },
        weight: 1 + (k % 5),
      },
    });
    if (!reply.ok) throw new Error(`edit refused: ${reply.error.message}`);
    edits.push(performance.now() - t);
    await sleep(TICK_MS * 1.37);
  }
  running = false;
  await Promise.all(flooders);
  stopWatching();
  const gaps = ticks.slice(from).map((t, i, a) => (i === 0 ? TICK_MS : t - (a[i - 1] as number)));
  const lateness = Math.max(0, ...gaps.map((g) => g - TICK_MS));
  const phaseGcs = gcs.slice(gcFrom);
  return {
    maxTickDelayMs: lateness,
    fullGcs: phaseGcs.filter((e) => gcKind(e) === constants.NODE_PERFORMANCE_GC_MAJOR).length,
    longestGcMs: Math.max(0, ...phaseGcs.map((e) => e.duration)),
    editP50Ms: median(edits),
    editMaxMs: Math.max(...edits),
    edits: edits.length,
    queries,
    ticks: gaps.length,
  };
}

results.loadBeforeFlood = loadavg();
console.log(`\nload average ${loads()}`);
const quiet = await phase(false);
const flooded = await phase(true);
results.loadAfter = loadavg();
agent.stop();
const inTicks = (ms: number) => f2(ms / TICK_MS);
console.log(
  `\nagent ticking every ${TICK_MS} ms, ${SECONDS} s each, ${ROWS.toLocaleString('en')}-entry table re-read every >= 2 s`,
);
console.log(
  `                     | longest tick delay       | weight edit p50 / max             | queries answered | full GCs, longest GC`,
);
for (const [name, r] of [
  ['no queries', quiet],
  ['8 query loops', flooded],
] as const) {
  console.log(
    `${name.padEnd(20)} | ${f0(r.maxTickDelayMs).padStart(5)} ms = ${inTicks(r.maxTickDelayMs)} ticks | ${f0(r.editP50Ms)} / ${f0(r.editMaxMs)} ms = ${inTicks(r.editP50Ms)} / ${inTicks(r.editMaxMs)} ticks | ${r.queries} | ${r.fullGcs}, ${f0(r.longestGcMs)} ms`,
  );
}
console.log(`connection reads during the bench: ${backend.readCount}; load average ${loads()}`);
results.flood = { tickMs: TICK_MS, seconds: SECONDS, quiet, flooded };
console.log(JSON.stringify({ bench: 'conn-query', ...results }));
process.exit(0);
