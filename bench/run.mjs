// npm run bench: every bench that needs no browser. The parse and connection-query benches run here; the lab benches run in one lab VM
// (real kernel). Each prints ratios measured in its own run; the JSON lines are collected into bench/results.json.
// npm run bench -- browser: the browser benches instead (Debian's chromium, the dashboard's production build on a
// simulated director), into bench/results-browser.json.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const results = [];
function run(name, cmd, args) {
  console.log(`\n=== ${name}`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  process.stdout.write(r.stdout ?? '');
  for (const line of (r.stdout ?? '').split('\n')) if (line.startsWith('{"bench"')) results.push(JSON.parse(line));
  console.log(`=== ${name}: exit ${r.status} in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  return r.status === 0;
}

const browser = process.argv.includes('browser') || process.argv.includes('--browser');
const tsx = (file, ...args) => [process.execPath, ['--import', 'tsx', file, ...args]];
if (browser) {
  let ok = run(
    'browser overview (1,000 services x 10 real servers, 1 Hz updates)',
    ...tsx('bench/browser/overview.ts'),
  );
  ok = run('browser connection view (120,000 entries)', ...tsx('bench/browser/connections.ts')) && ok;
  writeFileSync(
    'bench/results-browser.json',
    JSON.stringify({ when: new Date().toISOString(), results }, null, 2) + '\n',
  );
  console.log('\nresults in bench/results-browser.json');
  process.exit(ok ? 0 : 1);
}

let ok = run('parse (1,000,000 rows)', process.execPath, [
  '--expose-gc',
  '--max-old-space-size=8192',
  '--import',
  'tsx',
  'bench/parse.ts',
]);
ok = run('import preview (50,000 rules)', ...tsx('bench/import-preview.ts')) && ok;
ok = run('dashboard /metrics scrape (1,000 services x 10 real servers)', ...tsx('bench/metrics-scrape.ts')) && ok;
ok =
  run('connection query (1,000,000 entries) and ticks under a query flood', process.execPath, [
    '--max-old-space-size=8192',
    '--import',
    'tsx',
    'bench/conn-query.ts',
  ]) && ok;
ok = run('health checks (1,000 real servers every second)', ...tsx('bench/health-checks.ts')) && ok;
ok = run('netlink decode (10,000 services x 10 real servers)', ...tsx('bench/netlink-decode.ts')) && ok;
ok = run('netlink read + publish (10,000 services x 10 real servers)', ...tsx('bench/netlink-publish.ts')) && ok;
const labReady = existsSync(`${process.env.LAB_CACHE ?? '/var/cache/lvs-lab'}/initrd.gz`);
if (labReady) {
  // one VM per bench: a crash in one (TCG has shown a rare SIGSEGV in node) does not take the others with it
  const lab = (name, cmd) => {
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (
        run(`lab ${name} (real kernel in the lab VM)${attempt > 1 ? ', retry' : ''}`, 'bash', [
          'lab/lab',
          'run',
          '--mem',
          '2048',
          '--',
          `sh lab/topology up >/dev/null && ${cmd}`,
        ])
      )
        return true;
    }
    return false;
  };
  // The tick bench times our code against ipvsadm: bundled like the agent (scripts/build-agent.mjs), not run through
  // tsx, whose per-function name helpers and module hooks cost ~50% more on the parser alone. So is the netlink bench.
  const bundle = (name) =>
    build({
      entryPoints: [`bench/${name}.ts`],
      outfile: `dist/bench/${name}.mjs`,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
  await bundle('lab-tick');
  ok = lab('tick', 'node dist/bench/lab-tick.mjs') && ok;
  // the netlink reader (dist/ipvs-dump, built at install) against the four listings at 10,000 x 10
  await bundle('lab-netlink');
  ok = lab('netlink 10,000 x 10', 'node dist/bench/lab-netlink.mjs') && ok;
  // an edit's latency (request -> confirmed) at 10,000 x 10 next to 1,000 x 10, in the same VM run
  await bundle('lab-edit-scale');
  ok = lab('edit latency 10,000 x 10 vs 1,000 x 10', 'node dist/bench/lab-edit-scale.mjs') && ok;
  ok = lab('connections', 'node_modules/.bin/tsx bench/lab-conns.ts 20000 60000') && ok;
  ok = lab('latency', 'node_modules/.bin/tsx bench/lab-latency.ts') && ok;
} else console.log('\n=== lab benches skipped: run "npm run lab -- setup" first');
writeFileSync('bench/results.json', JSON.stringify({ when: new Date().toISOString(), results }, null, 2) + '\n');
console.log('\nresults in bench/results.json');
process.exitCode = ok ? 0 : 1;
