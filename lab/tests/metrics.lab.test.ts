// Prometheus against the real kernel: `lvs-agent serve --metrics-listen` (the bundled agent, as deployed) is scraped
// every second by a real Prometheus (Debian's binary, in the VM, on 127.0.0.1), and the lab's counters read back
// through Prometheus's own HTTP query API equal what a separate ipvsadm and /proc/net/ip_vs_stats say.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolCheck } from '../../lib/metrics/__tests__/exposition';
import { VIP, clearTable, eventually, ipvsadm, load, sh } from './kernel';

const ROOT = join(__dirname, '..', '..');
const AGENT_PORT = 17171;
const METRICS_PORT = 19111;
const PROM_PORT = 19090;
const TOKEN = 'lab-metrics-token-0123456789';
const dir = mkdtempSync('/tmp/lvs-metrics-lab-');
const children: ChildProcess[] = [];

function start(cmd: string, args: string[], name: string): void {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (b: Buffer) => void (err = (err + b.toString()).slice(-4000)));
  child.on('exit', (code) => {
    if (code !== null && code !== 0) console.error(`${name} exited ${code}: ${err}`);
  });
  children.push(child);
}

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(q: string): Promise<PromSample[]> {
  const res = await fetch(`http://127.0.0.1:${PROM_PORT}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { status: string; data?: { result: PromSample[] }; error?: string };
  if (body.status !== 'success' || !body.data) throw new Error(`prometheus: ${q}: ${body.error ?? res.status}`);
  return body.data.result;
}

async function value(q: string): Promise<number | undefined> {
  const r = await query(q);
  return r.length === 1 ? Number(r[0]?.value[1]) : undefined;
}

/** What Prometheus says about its scrape of the agent (the last scrape's error). */
async function targetError(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${PROM_PORT}/api/v1/targets`);
  const body = (await res.json()) as { data?: { activeTargets?: { health: string; lastError: string }[] } };
  return JSON.stringify(body.data?.activeTargets?.map((t) => [t.health, t.lastError]) ?? body);
}

/** Waits until the async check passes (eventually() in kernel.ts is for synchronous checks). */
async function until(check: () => Promise<void>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The kernel's connection counter of one service, from a separate ipvsadm. */
function kernelConns(service: string): number {
  const line = ipvsadm('-Ln', '--stats', '--exact', '-t', service)
    .split('\n')
    .find((l) => l.startsWith('TCP'));
  const conns = Number(line?.trim().split(/\s+/)[2]);
  if (!Number.isInteger(conns)) throw new Error(`no TCP line in ipvsadm -Ln --stats for ${service}`);
  return conns;
}

beforeAll(async () => {
  clearTable();
  sh('sh', [join(ROOT, 'lab/topology'), 'services']);
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  start(
    process.execPath,
    [
      join(ROOT, 'dist/lvs-agent.mjs'),
      'serve',
      '--listen',
      `127.0.0.1:${AGENT_PORT}`,
      '--token',
      'lab-agent-token-0123456789',
      '--state-dir',
      join(dir, 'state'),
      // each tick forks four ipvsadm from node's main thread, which under TCG can hold the event loop for most of a
      // second: with a 3 s tick most 1 s scrapes (timeout 1 s) find it free
      '--tick',
      '3000',
      '--metrics-listen',
      `127.0.0.1:${METRICS_PORT}`,
      '--metrics-token-file',
      join(dir, 'token'),
    ],
    'lvs-agent',
  );
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: lvs-agent',
      '    scrape_interval: 1s',
      '    scrape_timeout: 1s',
      `    authorization: { type: Bearer, credentials_file: ${join(dir, 'token')} }`,
      `    static_configs: [{ targets: ['127.0.0.1:${METRICS_PORT}'] }]`,
      '',
    ].join('\n'),
  );
  start(
    '/usr/bin/prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${PROM_PORT}`,
      '--log.level=warn',
    ],
    'prometheus',
  );
  // the agent answers /metrics once its first read is done (node and ipvsadm under TCG take a while)
  await until(async () => {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${METRICS_PORT}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    await res.text();
    console.log(`agent /metrics answered in ${Math.round(performance.now() - started)} ms`);
  }, 60_000);
  // Prometheus under TCG takes a while to start; the target is up once a scrape with the token succeeded
  await until(async () => {
    if ((await value('up{job="lvs-agent"}')) === 1) return;
    throw new Error(`the agent's target is not up: ${await targetError()}`);
  }, 90_000);
}, 180_000);

afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
});

describe('Prometheus scraping lvs-agent serve --metrics-listen', () => {
  it("reads the lab's counters back through its query API: they equal the kernel's", async () => {
    const web = `${VIP}:80`;
    expect(load(`http://${web}/`, 200)).toBe(200);
    // the kernel sums its per-CPU counters into what ipvsadm lists every 2 s (its estimator): wait for the 200
    await eventually(() => expect(kernelConns(web)).toBeGreaterThanOrEqual(200), 10_000);
    const kernel = kernelConns(web);
    // no other traffic: the counter stands still, and Prometheus catches up within a tick and a scrape
    await until(async () => {
      expect(await value(`lvs_service_connections_total{service="tcp/${web}"}`)).toBe(kernel);
    }, 20_000);
    const stats = readFileSync('/proc/net/ip_vs_stats', 'utf8').split('\n')[2]?.trim().split(/\s+/) ?? [];
    const totalConns = parseInt(stats[0] ?? '', 16);
    await until(async () => expect(await value('node_ipvs_connections_total')).toBe(totalConns), 20_000);
  });

  it("node_exporter's series: the real servers' weights and connection counts as a Grafana board queries them", async () => {
    const weights = await query(`node_ipvs_backend_weight{local_address="${VIP}",local_port="80",proto="TCP"}`);
    expect(weights.map((s) => [s.metric.remote_address, Number(s.value[1])]).sort()).toEqual([
      ['10.2.0.11', 1],
      ['10.2.0.12', 3],
    ]);
    ipvsadm('-e', '-t', `${VIP}:80`, '-r', '10.2.0.12:80', '-m', '-w', '5');
    try {
      await until(async () => {
        const w = await value(
          `node_ipvs_backend_weight{local_address="${VIP}",local_port="80",proto="TCP",remote_address="10.2.0.12"}`,
        );
        expect(w).toBe(5);
      }, 20_000);
    } finally {
      ipvsadm('-e', '-t', `${VIP}:80`, '-r', '10.2.0.12:80', '-m', '-w', '3');
    }
    const udp = await query(`node_ipvs_backend_connections_inactive{proto="UDP",local_port="53"}`);
    expect(udp).toHaveLength(2);
  });

  it("the agent's exposition passes promtool check metrics, and refuses a scrape without the token", async () => {
    const url = `http://127.0.0.1:${METRICS_PORT}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const text = await (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(text).toMatch(/^lvs_director_up 1$/m);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    expect(text).toMatch(/^lvs_agent_tick_duration_seconds \d/m);
  });
});
