// Starts what the e2e projects need, on free ports of 127.0.0.1, and hands their addresses to the tests through
// E2E_STACKS (workers inherit the environment of this process):
//   memory (unless E2E_MEMORY=0): `lvs-agent serve --simulated` (the product's simulated director, with its control
//   surface for the tests' faults) + a dashboard
//   lab (LAB_E2E=1): `bash lab/lab up` (the real kernel in a VM, its own state folder and agent port) + a dashboard
// The dashboard runs the production build (`next build` first when app/, components/ or lib/ changed since the last
// build); E2E_DEV=1 runs it in development mode instead. Everything started here is stopped by pid in the teardown.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAccounts, E2E_PASSWORD } from './accounts';
import { agentAnswers, freePort, httpOk, LOG_DIR, ROOT, start, stop, waitFor, type Proc } from './processes';
import type { Stack } from './stack';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** `next build` unless the last build is newer than every source (scripts/build-if-stale.mjs). */
export function buildIfStale(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-if-stale.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

/** Each dashboard gets a throwaway data folder (its database) with the account admin / E2E_PASSWORD. */
export function startDashboard(name: string, env: Record<string, string>, dev: boolean): Proc {
  const data = mkdtempSync(path.join(os.tmpdir(), `lvs-e2e-${name}-`));
  process.on('exit', () => rmSync(data, { recursive: true, force: true }));
  // Trusts X-Forwarded-For like a dashboard behind a reverse proxy, so the login lockout test has an address of its own.
  const common = {
    PORT: '0',
    HOST: '127.0.0.1',
    LVS_DATA_DIR: data,
    LVS_ADMIN_PASSWORD: E2E_PASSWORD,
    LVS_TRUST_PROXY: '1',
    ...env,
  };
  return dev
    ? start(name, TSX, ['server/dashboard/main.ts', '--dev'], { ...common, NODE_ENV: 'development' })
    : start(name, process.execPath, ['scripts/start.mjs'], { ...common, NODE_ENV: 'production' });
}

export async function dashboardUrl(proc: Proc): Promise<string> {
  const url = await waitFor(
    `${proc.name} to listen`,
    180_000,
    async () => proc.output.map((l) => /lvs-dashboard: (http:\/\/127\.0\.0\.1:\d+)\//.exec(l)?.[1]).find(Boolean),
    proc,
  );
  await waitFor(`${proc.name} to serve pages`, 120_000, () => httpOk(`${url}/login`), proc);
  await createAccounts(url);
  return url;
}

/** What the memory project's director holds: the lab's table and captured connection entries (with the fwmark
 * templates of a later capture), plus the simulator's own connections; fwmark 1 gets no synthetic clients, so its one
 * template is the captured one. */
const MEMORY_TABLE = [
  '--seed',
  'lib/ipvs/__fixtures__/lab/save.Sn.txt',
  '--conns-file',
  'e2e/fixtures/recorded-ip_vs_conn.txt',
  '--load',
  JSON.stringify({ mix: { 'fwmark/1': 0 } }),
];

/** The product's simulated director (`lvs-agent serve --simulated --control-port 0`; extra `args` such as
 * ['--conns', '120000'], or ['--services', '1000'] for a synthetic table instead of the lab's) and a dashboard on it;
 * both are added to `procs` for the caller to stop. */
export async function startMemoryStack(o: {
  name: string;
  director: string;
  args: string[];
  dev: boolean;
  procs: Proc[];
}): Promise<Stack & { control: string }> {
  const token = randomBytes(24).toString('base64url');
  const md = start(
    `${o.name}-director`,
    TSX,
    [
      'server/agent/cli.ts',
      'serve',
      '--simulated',
      '--listen',
      '127.0.0.1:0',
      '--control-port',
      '0',
      '--token',
      token,
      '--name',
      o.director,
      ...(o.args.includes('--services') ? [] : MEMORY_TABLE),
      ...o.args,
    ],
    {},
  );
  o.procs.push(md);
  const urls = await waitFor(
    'the simulated director',
    120_000,
    async () => {
      const agent = md.output.map((l) => / on (http:\/\/127\.0\.0\.1:\d+) \(tick/.exec(l)?.[1]).find(Boolean);
      const control = md.output
        .map((l) => /control surface .* on (http:\/\/127\.0\.0\.1:\d+)/.exec(l)?.[1])
        .find(Boolean);
      return agent && control ? { agent, control } : undefined;
    },
    md,
  );
  const dash = startDashboard(
    `${o.name}-dashboard`,
    { LVS_AGENTS: `${o.director}=${urls.agent}`, LVS_AGENT_TOKEN: token },
    o.dev,
  );
  o.procs.push(dash);
  return { url: await dashboardUrl(dash), director: o.director, control: urls.control };
}

/** `lab up` on a free port with its own state folder (a lab someone else runs keeps its token and ctl files). A VM that
 * has not brought its agent up after LAB_WAIT_S (default 240 s; ~1 min is usual, 2-3 min on a loaded machine) is
 * stopped and booted once more: one more boot costs less than failing every lab browser test over one stalled VM. */
async function startLab(procs: Proc[], cleanups: (() => void)[]): Promise<{ labPort: number; state: string }> {
  const waitMs = Number(process.env.LAB_WAIT_S ?? 240) * 1000;
  for (let attempt = 1; ; attempt++) {
    const labPort = await freePort();
    const state = path.join(ROOT, '.lab', `e2e-${process.pid}-${attempt}`);
    mkdirSync(state, { recursive: true });
    cleanups.push(() => rmSync(state, { recursive: true, force: true }));
    const lab = start(`lab-${attempt}`, 'bash', ['lab/lab', 'up', '--rate', '20', '--port', String(labPort)], {
      LAB_AGENT_PORT: String(labPort),
      LAB_STATE: state,
    });
    procs.push(lab);
    try {
      await waitFor('the lab agent (VM boot, ~1 min)', waitMs, () => agentAnswers(`http://127.0.0.1:${labPort}/`), lab);
      await waitFor(
        'the lab token',
        30_000,
        async () => (existsSync(path.join(state, 'token')) ? true : undefined),
        lab,
      );
      return { labPort, state };
    } catch (e) {
      if (attempt >= 2) throw e;
      console.log(`e2e: lab attempt ${attempt} failed, booting it again: ${(e as Error).message}`);
      await stop(lab);
    }
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const procs: Proc[] = [];
  const cleanups: (() => void)[] = [];
  const stacks: Record<string, Stack> = {};
  const teardown = async () => {
    for (const p of procs.reverse()) await stop(p);
    for (const c of cleanups) c();
  };
  try {
    const dev = process.env.E2E_DEV === '1';
    if (!dev) buildIfStale();

    // --- memory: the agent over a simulated table, and a dashboard on it -------------------------------------------
    if (process.env.E2E_MEMORY !== '0')
      stacks.memory = await startMemoryStack({
        name: 'memory',
        director: 'lab',
        args: ['--conns', '120000'],
        dev,
        procs,
      });

    // --- lab: the real kernel ----------------------------------------------------------------------------------------
    if (process.env.LAB_E2E === '1') {
      const { labPort, state } = await startLab(procs, cleanups);
      const labDash = startDashboard(
        'dashboard-lab',
        { LVS_AGENTS: `lab=http://127.0.0.1:${labPort}`, LVS_AGENT_TOKEN_FILE: path.join(state, 'token') },
        dev,
      );
      procs.push(labDash);
      stacks.lab = { url: await dashboardUrl(labDash), director: 'lab', state };
    }

    process.env.E2E_STACKS = JSON.stringify(stacks);
    console.log(
      `e2e: ${Object.entries(stacks)
        .map(([k, s]) => `${k} ${s.url}`)
        .join(', ')} (logs in ${path.relative(ROOT, LOG_DIR)})`,
    );
  } catch (e) {
    await teardown();
    throw e;
  }
  return teardown;
}
