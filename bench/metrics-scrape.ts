// Dashboard /metrics bench: the cost of a scrape of one director with 1,000 services x 10 real servers, built in full
// (every scrape before) against a scrape served from the per-tick cache (a second scrape in the same tick), and the
// cost of a scrape after a tick (one director rebuilt) against the full build. Prints the figures of this run and
// their ratios.   node --import tsx bench/metrics-scrape.ts [SERVICES] [DESTS] [ROUNDS]
import type { Service } from '../lib/ipvs';
import { createCachedMetricsExporter, createMetricsExporter, type DirectorReading } from '../lib/metrics';

const SERVICES = Number(process.argv[2] ?? 1000);
const DESTS = Number(process.argv[3] ?? 10);
const ROUNDS = Number(process.argv[4] ?? 5);

function table(seed: number): { services: Service[] } {
  const counters = (n: number) => ({
    stats: { conns: n, inPkts: n * 10, outPkts: n * 9, inBytes: n * 1500, outBytes: n * 900 },
    rate: { cps: n % 97, inPps: n % 89, outPps: n % 83, inBps: n % 79, outBps: n % 73 },
  });
  const services: Service[] = [];
  for (let s = 0; s < SERVICES; s++) {
    const destinations = [];
    for (let d = 0; d < DESTS; d++)
      destinations.push({
        address: `10.2.${d}.${s & 255}`,
        port: 80,
        forward: 'masq' as const,
        weight: 1 + d,
        activeConns: seed + d,
        inactiveConns: seed + s,
        ...counters(seed + s * DESTS + d),
      });
    services.push({
      protocol: 'tcp',
      address: `10.1.${s >> 8}.${s & 255}`,
      port: 80,
      scheduler: 'wrr',
      flags: [],
      ops: false,
      destinations,
      ...counters(seed + s),
    });
  }
  return { services };
}

const reading = (t: { services: Service[] }): DirectorReading => ({
  table: t,
  metrics: { director: 'big', up: true, stale: false, services: t.services },
});

async function timed(scrape: () => Promise<string>): Promise<{ ms: number; bytes: number }> {
  const t = performance.now();
  const text = await scrape();
  return { ms: performance.now() - t, bytes: text.length };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

let current = reading(table(1));
const full = createMetricsExporter(() => [current.metrics], { directorLabel: true });
const cached = createCachedMetricsExporter(() => [current]);
const fullMs: number[] = [];
const tickMs: number[] = [];
const withinMs: number[] = [];
let bytes = 0;
for (let round = 0; round < ROUNDS; round++) {
  current = reading(table(round + 2)); // a tick: a new table
  const f = await timed(() => full.render());
  const t = await timed(() => cached.render());
  const w = await timed(() => cached.render());
  if (t.bytes !== f.bytes || w.bytes !== f.bytes) throw new Error('the cached exposition differs from the full build');
  fullMs.push(f.ms);
  tickMs.push(t.ms);
  withinMs.push(w.ms);
  bytes = f.bytes;
}
const [fm, tm, wm] = [median(fullMs), median(tickMs), median(withinMs)];
console.log(
  `${SERVICES} x ${DESTS}: ${(bytes / 1e6).toFixed(1)} MB per scrape; median of ${ROUNDS}: full build ${fm.toFixed(0)} ms, ` +
    `after a tick (cached, rebuilt) ${tm.toFixed(0)} ms = ${(tm / fm).toFixed(2)}x, ` +
    `within a tick (cached) ${wm.toFixed(2)} ms = ${(wm / fm).toFixed(5)}x; builds ${cached.builds} for ${ROUNDS * 2} scrapes`,
);
console.log(
  JSON.stringify({
    bench: 'metrics-scrape',
    services: SERVICES,
    dests: DESTS,
    bytes,
    fullMs: Math.round(fm),
    afterTickMs: Math.round(tm),
    withinTickMs: Number(wm.toFixed(3)),
    ratioWithinTick: Number((wm / fm).toFixed(5)),
    ratioAfterTick: Number((tm / fm).toFixed(3)),
  }),
);
