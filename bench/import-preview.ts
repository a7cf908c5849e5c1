// Import preview bench: the longest the dashboard's event loop stalls while a 50,000-rule import (the cap) is read
// and diffed in the import worker, against doing the same work in the event loop as before. Prints the figures of
// this run and their ratio.   node --import tsx bench/import-preview.ts [RULES]
import { previewImport } from '../server/hub/imports/rules';
import { ImportRunner } from '../server/hub/imports/runner';

const RULES = Number(process.argv[2] ?? 50_000);

function rules(count: number): string {
  const lines: string[] = [];
  for (let s = 0; lines.length < count; s++) {
    const vip = `10.1.${(s >> 8) & 255}.${s & 255}`;
    lines.push(`-A -t ${vip}:80 -s wrr`);
    for (let d = 0; d < 99 && lines.length < count; d++)
      lines.push(`-a -t ${vip}:80 -r 10.2.${d}.${s & 255}:80 -m -w 1`);
  }
  return `${lines.join('\n')}\n`;
}

/** The longest event-loop stall (ms: the longest gap between 5 ms ticks) while `work` runs, and its whole time. */
async function stall(work: () => Promise<unknown>): Promise<{ maxMs: number; totalMs: number }> {
  let last = performance.now();
  let maxMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    maxMs = Math.max(maxMs, now - last);
    last = now;
  }, 5);
  const t = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 20)); // the work starts from a running loop
  await work();
  const totalMs = performance.now() - t;
  await new Promise((resolve) => setTimeout(resolve, 20)); // the tick after the work closes its gap
  clearInterval(tick);
  return { maxMs, totalMs };
}

const text = rules(RULES);
const runner = new ImportRunner();
await runner.read('-A -t 10.9.9.9:80 -s rr\n'); // start the worker before measuring
const worker = await stall(() => runner.previewJson(text, []));
const inLoop = await stall(async () => JSON.stringify(previewImport(text, [])));
await runner.close();
const ratio = worker.maxMs / inLoop.maxMs;
console.log(
  `${RULES} rules: longest event-loop stall ${worker.maxMs.toFixed(0)} ms with the worker (preview ${(worker.totalMs / 1000).toFixed(1)} s) vs ${inLoop.maxMs.toFixed(0)} ms in the event loop (${(inLoop.totalMs / 1000).toFixed(1)} s): ${ratio.toFixed(3)}x`,
);
console.log(
  JSON.stringify({
    bench: 'import-preview',
    rules: RULES,
    stallWorkerMs: Math.round(worker.maxMs),
    stallInLoopMs: Math.round(inLoop.maxMs),
    ratio: Number(ratio.toFixed(4)),
  }),
);
