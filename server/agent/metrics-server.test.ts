import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyDelta, type TableState } from '../../lib/ipvs';
import { promtoolCheck, samples } from '../../lib/metrics/__tests__/exposition';
import { createAgent, type AgentMessage } from './agent';
import { IpvsadmBackend } from './ipvsadm-backend';
import { MemoryBackend } from './memory-backend';
import { agentMetrics, createMetricsServer } from './metrics-server';
import { main } from './cli';

const RULES = `-A -t 10.1.0.10:80 -s wrr
-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1
-a -t 10.1.0.10:80 -r 10.2.0.12:80 -m -w 3
-A --sctp-service 10.1.0.10:5000 -s rr
-a --sctp-service 10.1.0.10:5000 -r 10.2.0.11:5000 -m -w 2
`;
type Totals = NonNullable<TableState['totals']>;
const totals = (conns: number): Totals => ({
  stats: { conns, inPkts: 2 * conns, outPkts: 0, inBytes: 100 * conns, outBytes: 0 },
  rate: { cps: 1, inPps: 2, outPps: 0, inBps: 100, outBps: 0 },
});

/** A kernel-like backend: the memory table plus /proc/net/ip_vs_stats totals. */
class KernelLikeBackend extends MemoryBackend {
  current = totals(10);
  async readTotals(): Promise<Totals> {
    return structuredClone(this.current);
  }
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function serving(token?: string) {
  const backend = new KernelLikeBackend(RULES);
  const agent = createAgent({ backend, tickMs: 60_000, name: 'lvs1' });
  await agent.start();
  cleanup.push(() => agent.stop());
  const server = createMetricsServer({ agent, tickMs: 60_000, ...(token ? { token } : {}) });
  await server.listen(0, '127.0.0.1');
  cleanup.push(() => server.close());
  return { backend, agent, url: server.url as string };
}

describe('agent totals', () => {
  it('reads /proc/net/ip_vs_stats with the table and carries its change in deltas', async () => {
    const { backend, agent } = await serving();
    const seen: AgentMessage[] = [];
    agent.subscribe((m) => seen.push(m));
    backend.current = totals(25);
    await agent.refresh();
    const [snapshot, delta] = seen;
    if (snapshot?.type !== 'snapshot' || delta?.type !== 'delta') throw new Error('expected a snapshot, then a delta');
    expect(snapshot.state.totals).toEqual(totals(10));
    expect(delta.delta.totals).toEqual(totals(25));
    expect(applyDelta(snapshot.state, delta.delta)).toEqual(agent.state);
  });

  it("IpvsadmBackend reads the kernel's ip_vs_stats file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proc-'));
    const fixture = join(__dirname, '../../lib/metrics/__fixtures__/node_exporter.ip_vs_stats');
    writeFileSync(join(dir, 'ip_vs_stats'), readFileSync(fixture));
    expect((await new IpvsadmBackend({ procDir: dir }).readTotals()).stats.conns).toBe(0x16aa370);
  });
});

describe('lvs-agent serve --metrics-listen', () => {
  it("serves the agent's current table and totals as an exposition promtool accepts", async () => {
    const { url, backend, agent } = await serving();
    backend.services[0]!.destinations[1]!.weight = 7; // changed in the kernel, not yet read: a scrape does not read
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const all = samples(text);
    const weights = all.filter((s) => s.name === 'node_ipvs_backend_weight').map((s) => s.value);
    expect(weights).toEqual([1, 3]); // the SCTP service is in lvs_* only
    expect(all.filter((s) => s.name === 'lvs_backend_weight').map((s) => s.value)).toEqual([1, 3, 2]);
    expect(all.find((s) => s.name === 'node_ipvs_connections_total')?.value).toBe(10);
    expect(all.find((s) => s.name === 'lvs_director_up')?.value).toBe(1);
    expect(all.find((s) => s.name === 'lvs_director_stale')?.value).toBe(0);
    expect(all.find((s) => s.name === 'lvs_agent_tick_duration_seconds')?.value).toBeGreaterThanOrEqual(0);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    await agent.refresh();
    const again = samples(await (await fetch(url)).text());
    expect(again.filter((s) => s.name === 'node_ipvs_backend_weight').map((s) => s.value)).toEqual([1, 7]);
  });

  it('requires the bearer token when given one, and serves only GET /metrics', async () => {
    const { url } = await serving('metrics-token-0123456789');
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^# HELP /);
    expect((await fetch(url.replace('/metrics', '/'))).status).toBe(404);
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('says stale when the last read is older than 2.5 ticks, and down when the last read failed', async () => {
    const { agent } = await serving();
    const at = agent.state?.updatedAt ?? 0;
    expect(agentMetrics(agent, 1000, at + 2000)).toMatchObject({ up: true, stale: false });
    expect(agentMetrics(agent, 1000, at + 3000)).toMatchObject({ up: true, stale: true });
    agent.lastError = 'ipvsadm: cannot read';
    expect(agentMetrics(agent, 1000, at)).toMatchObject({ up: false });
  });
});

describe('lvs-agent serve metrics options', () => {
  it('refuses a bad --metrics-listen and a token file without it, naming the flag', async () => {
    const run = async (args: string[]) => {
      let err = '';
      const code = await main(['serve', ...args], {
        stdin: () => '',
        out: () => undefined,
        err: (s) => void (err += s),
      });
      return { code, err };
    };
    expect(await run(['--metrics-listen', '9100'])).toEqual({
      code: 2,
      err: 'lvs-agent serve: --metrics-listen: expected HOST:PORT, got "9100"\n',
    });
    expect(await run(['--metrics-token-file', '/tmp/x'])).toEqual({
      code: 2,
      err: 'lvs-agent serve: --metrics-token-file needs --metrics-listen\n',
    });
  });
});
