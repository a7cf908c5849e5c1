// One line the agent cannot read must not blind the director (issue #11): the real IpvsadmBackend, run against a
// stand-in ipvsadm that prints the lab's edge.* captures with one service line and one real server line of a future
// format, keeps the rest of the table live, reports the lines (agent log once, table, hub summary) and refuses to plan
// against what it could not read.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyDelta, parseSave, serviceId, serviceKey, type TableState } from '../../lib/ipvs';
import { fixture } from '../../lib/ipvs/__tests__/fixtures';
import { createHub } from '../hub/hub';
import { openDb } from '../hub/store/db';
import { until } from '../testing/until';
import { ApiError } from '../../lib/errors';
import { createAgent, type AgentMessage } from './agent';
import { IpvsadmBackend } from './ipvsadm-backend';
import { createAgentServer } from './serve';
import { recorders } from '../testing/recorders';

const BAD_SERVICE = 'FWM  -1294967296 IPv6 rr frobnicate';
const BAD_SERVER = '  -> [2001:db8:3::33]:9100        Tunnel  gre:-c:x      1      0          0';

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** A directory with an `ipvsadm` that prints the edge captures (tun-info possibly altered) and logs other calls. */
function fakeIpvsadm(tunInfo: string): { bin: string; dir: string; log: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'lvs-degraded-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'tun'), tunInfo);
  for (const [file, name] of [
    ['thresholds', 'edge.Ln-thresholds.txt'],
    ['stats', 'edge.Ln-stats.txt'],
    ['rate', 'edge.Ln-rate.txt'],
    ['persistent', 'edge.Ln-persistent-conn.txt'],
  ] as const) {
    writeFileSync(join(dir, file), fixture(name));
  }
  writeFileSync(join(dir, 'log'), '');
  const bin = join(dir, 'ipvsadm');
  writeFileSync(
    bin,
    `#!/bin/sh
d='${dir}'
case "$*" in
  "-Ln --tun-info") cat "$d/tun" ;;
  "-Ln --thresholds") cat "$d/thresholds" ;;
  "-Ln --stats --exact") cat "$d/stats" ;;
  "-Ln --rate --exact") cat "$d/rate" ;;
  "-Ln --persistent-conn") cat "$d/persistent" ;;
  "-L --timeout") echo "Timeout (tcp tcpfin udp): 900 120 300" ;;
  "-L --daemon") ;;
  *) echo "$*" >> "$d/log" ;;
esac
`,
  );
  chmodSync(bin, 0o755);
  return { bin, dir, log: () => readFileSync(join(dir, 'log'), 'utf8').split('\n').filter(Boolean) };
}

const tunInfo = fixture('edge.Ln-tun-info.txt');
const degradedListing = tunInfo
  .replace(/^FWM {2}-1294967296 IPv6 rr$/m, BAD_SERVICE)
  .replace(/^ {2}-> \[2001:db8:3::33\]:9100 .*$/m, BAD_SERVER);

async function degradedAgent() {
  expect(degradedListing).toContain(BAD_SERVICE);
  expect(degradedListing).toContain(BAD_SERVER);
  const fake = fakeIpvsadm(degradedListing);
  const warnings: unknown[][] = [];
  const agent = createAgent({
    backend: new IpvsadmBackend({ ipvsadm: fake.bin }),
    tickMs: 60_000,
    name: 'edge',
    logger: { warn: (...args: unknown[]) => warnings.push(args) },
  });
  await agent.start();
  cleanup.push(() => agent.stop());
  return { agent, fake, warnings };
}

describe('a director with lines the agent cannot read', () => {
  it('keeps the rest of the table live and reports each line with its reason, logged once', async () => {
    const { agent, warnings } = await degradedAgent();
    const state = agent.state as TableState;
    expect(state.services.map((s) => serviceId(serviceKey(s)))).toEqual([
      'tcp/10.1.0.10:9100',
      'tcp/[2001:db8:1::10]:9100',
      'fwmark/2147483648',
      'fwmark/4294967295',
    ]);
    expect(state.services[0]?.destinations.map((d) => d.address)).toEqual([
      '10.3.0.31',
      '2001:db8:3::31',
      '2001:db8:3::32',
    ]);
    expect(state.services[0]?.stats).toBeDefined(); // the counter listings still merge in
    expect(state.problems).toEqual([
      { lineNumber: 8, line: BAD_SERVER, reason: 'unknown tunnel info "gre:-c:x"', service: 'tcp/10.1.0.10:9100' },
      {
        lineNumber: 16,
        line: BAD_SERVICE,
        reason: 'unknown service option "frobnicate"',
        service: 'fwmark6/3000000000',
      },
    ]);
    await agent.refresh();
    await agent.refresh();
    expect(warnings.map((w) => (w[0] as { line: string }).line)).toEqual([BAD_SERVER, BAD_SERVICE]);
  });

  it('refuses edits of a service it could not read whole, and whole-table applies; other services change', async () => {
    const { agent, fake } = await degradedAgent();
    const version = agent.state?.version ?? 0;
    const mark = { protocol: 'fwmark', fwmark: 3000000000, ipv6: true } as const;
    const refused = await agent.edit({ epoch: agent.epoch, version, edit: { kind: 'delete-service', service: mark } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable', field: 'service' } });
    expect(!refused.ok && refused.error.message).toMatch(
      /line 16 of the kernel's listing cannot be read \(unknown service option "frobnicate"\)/,
    );
    const weight = await agent.edit({
      epoch: agent.epoch,
      version,
      edit: {
        kind: 'set-weight',
        service: { protocol: 'tcp', address: '10.1.0.10', port: 9100 },
        destination: { address: '10.3.0.31', port: 9100 },
        weight: 5,
      },
    });
    expect(weight).toMatchObject({ ok: false, error: { code: 'unavailable' } }); // a real server of it did not read
    const other = await agent.edit({
      epoch: agent.epoch,
      version,
      edit: {
        kind: 'set-weight',
        service: { protocol: 'tcp', address: '2001:db8:1::10', port: 9100 },
        destination: { address: '10.3.0.31', port: 9100 },
        weight: 5,
      },
    });
    expect(other.ok).toBe(true);
    await expect(agent.apply(parseSave(fixture('edge.Sn.txt')))).rejects.toBeInstanceOf(ApiError);
    // the confirmation asked for that service alone (this stand-in lists nothing for it: the agent read all)
    const [edit, ...confirmation] = fake.log();
    expect(edit).toBe('-e -t [2001:db8:1::10]:9100 -r 10.3.0.31:9100 -i -w 5 --tun-type ipip');
    const listings = ['--tun-info', '--thresholds', '--stats --exact', '--rate --exact'];
    expect(confirmation.sort()).toEqual(listings.map((l) => `-Ln -t [2001:db8:1::10]:9100 ${l}`).sort());
  });

  it('is degraded in the hub summary while the lines stay unreadable, and live again once they read', async () => {
    const { agent, fake } = await degradedAgent();
    const seen: AgentMessage[] = [];
    agent.subscribe((m) => seen.push(m));
    const token = 'degraded-test-token-0123456789';
    const server = createAgentServer({ agent, token, backendName: 'ipvsadm', tickMs: 60_000 });
    const port = await server.listen(0);
    cleanup.push(() => server.close());
    const hub = createHub({
      ...recorders(openDb(':memory:')),
      agents: [{ name: 'edge', url: `http://127.0.0.1:${port}`, token }],
    });
    cleanup.push(() => hub.close());
    await until(() => hub.directors()[0]?.status === 'live');
    expect(hub.directors()[0]?.problems?.map((p) => p.line)).toEqual([BAD_SERVER, BAD_SERVICE]);
    const announced: unknown[] = [];
    hub.on('directors', (list) => announced.push(list));

    writeFileSync(join(fake.dir, 'tun'), tunInfo); // the line reads again (say, a fixed ipvsadm)
    await agent.refresh();
    await until(() => hub.directors()[0]?.problems === undefined);
    expect(announced.length).toBeGreaterThan(0);
    expect(agent.state?.problems).toBeUndefined();
    expect(agent.state?.services).toHaveLength(5);
    let rebuilt = (seen[0] as { state: TableState }).state;
    for (const m of seen.slice(1)) if (m.type === 'delta') rebuilt = applyDelta(rebuilt, m.delta);
    expect(rebuilt).toEqual(agent.state);
  });
});
