// `npm test`: unit tests, then the real-kernel lab suite (when the lab can boot here: always in CI), then the
// browser tests (when Debian's chromium is installed). Ends with one summary line: "N passed, N failed, N skipped".
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const only = process.argv.slice(2);
const want = (suite) => only.length === 0 || only.includes(suite);
const labCache = process.env.LAB_CACHE ?? '/var/cache/lvs-lab';
const labReady = existsSync(join(labCache, 'initrd.gz')) && existsSync('/usr/bin/qemu-system-x86_64');
const out = mkdtempSync(join(tmpdir(), 'lvs-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
/** What failed, named again just above the summary line: a long log is often read from its end only. */
const failures = [];
let broken = false;
const breaks = (why) => {
  broken = true;
  failures.push(why);
};

function run(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${name}: exit ${r.status ?? r.signal} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (r.status !== 0) failures.push(`${name}: exit ${r.status ?? r.signal}`);
  return r.status === 0;
}

/** Runs jobs that each keep about one core busy side by side (tsc, eslint and prettier are single-threaded); each
 * one's output is printed whole when it ends, with its exit and time, so the log reads as if they ran one after
 * another. Resolves whether all passed. */
async function runTogether(jobs) {
  const one = ([name, cmd, args]) =>
    new Promise((resolve) => {
      const started = Date.now();
      const out = [];
      const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (b) => out.push(b));
      child.stderr.on('data', (b) => out.push(b));
      child.on('error', (e) => out.push(Buffer.from(`${e.message}\n`)));
      child.on('close', (code, signal) => {
        console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
        process.stdout.write(Buffer.concat(out));
        console.log(`=== ${name}: exit ${code ?? signal} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        if (code !== 0) failures.push(`${name}: exit ${code ?? signal}`);
        resolve(code === 0);
      });
    });
  return (await Promise.all(jobs.map(one))).every(Boolean);
}

function countVitest(name, file) {
  if (!existsSync(file)) {
    console.log(`=== ${name}: no report written`);
    breaks(`${name}: no report written`);
    return;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  if (r.numTotalTests === 0) breaks(`${name}: no tests ran`);
  for (const f of r.testResults ?? []) {
    const file = relative(process.cwd(), f.name);
    for (const t of f.assertionResults ?? [])
      if (t.status === 'failed') failures.push(`${name}: ${file} › ${t.fullName}`);
    if ((f.assertionResults ?? []).length === 0 && f.status === 'failed')
      failures.push(`${name}: ${file}: ${(f.message ?? 'failed').split('\n')[0]}`);
  }
}

/** Playwright's JSON report nests suites (file, describe) around specs; a spec that was not "expected" failed. */
function playwrightFailures(name, suites, path = []) {
  for (const s of suites ?? []) {
    const here = s.title ? [...path, s.title] : path;
    for (const spec of s.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status !== 'expected' && t.status !== 'skipped')
          failures.push(`${name}: ${[...here, spec.title].join(' › ')} (${t.status})`);
    playwrightFailures(name, s.suites, here);
  }
}

if (want('unit')) {
  const checks = [
    ['typecheck', 'npx', ['tsc', '--noEmit']],
    ['lint', 'npx', ['eslint', '.']],
    ['format', 'npx', ['prettier', '--check', '.']],
  ];
  if (!(await runTogether(checks))) broken = true;
  const report = join(out, 'unit.json');
  if (!run('unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]))
    broken = true;
  countVitest('unit', report);
}

const browsers = want('e2e') && existsSync('playwright.config.ts') && (existsSync('/usr/bin/chromium') || ci);

if (want('lab')) {
  if (labReady || ci) {
    // The suite runs inside the VM; its JSON report comes back through the lab's shared state folder.
    const report = join(process.cwd(), '.lab', 'lab-report.json');
    rmSync(report, { force: true });
    const args = ['lab/lab', 'test', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
    if (!run('lab', 'bash', args, { LAB_RESTORE_LATER: '1' })) broken = true;
    countVitest('lab', report);
    // The fresh-VM restore checks keep about one core busy (a VM booting, then ipvsadm): the browser tests' build
    // takes the other. Neither measures time.
    const after = [['lab restore-check', 'bash', ['lab/lab', 'restore-check']]];
    if (browsers) after.push(['build', process.execPath, ['scripts/build-if-stale.mjs']]);
    if (!(await runTogether(after))) broken = true;
  } else {
    console.log('\n=== lab: skipped (no lab here: run "npm run lab -- setup" once)');
  }
}

if (want('e2e') && existsSync('playwright.config.ts')) {
  if (browsers) {
    // With the lab available the browser tests run against its real kernel too (the 'lab' project), in a second
    // Playwright run: the lab VM keeps both cores of a small machine busy (TCG), which slowed the simulated-director
    // tests to 1-8 s per browser step when they ran beside it.
    const runs = [['memory', {}], ...(labReady ? [['lab', { LAB_E2E: '1', E2E_MEMORY: '0' }]] : [])];
    for (const [project, extra] of runs) {
      const report = join(out, `e2e-${project}.json`);
      const env = { PLAYWRIGHT_JSON_OUTPUT_NAME: report, NEXT_TELEMETRY_DISABLED: '1', ...extra };
      if (!run(`e2e ${project}`, 'npx', ['playwright', 'test', `--project=${project}`], env)) broken = true;
      if (existsSync(report)) {
        const r = JSON.parse(readFileSync(report, 'utf8'));
        const s = r.stats;
        totals.passed += s.expected;
        totals.failed += s.unexpected + s.flaky;
        totals.skipped += s.skipped;
        playwrightFailures(`e2e ${project}`, r.suites);
      } else breaks(`e2e ${project}: no report written`);
    }
  } else {
    console.log('\n=== e2e: skipped (install Debian chromium: apt-get install chromium)');
  }
}

rmSync(out, { recursive: true, force: true });
if (broken && totals.failed === 0) totals.failed = 1; // a suite that crashed before reporting counts as a failure
if (failures.length > 0) console.log(`\nFailed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
