// The agent daemon against the real kernel: hand edits reach subscribers, concurrent edits conflict, apply keeps
// counters (no flush), and the connection table read beats ipvsadm -Lnc.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentClientEvents, AgentServerEvents } from '../../lib/events';
import { applyDelta, parseListing, parseSave, type TableDelta, type TableState } from '../../lib/ipvs';
import { createAgent, type Agent } from '../../server/agent/agent';
import { IpvsadmBackend } from '../../server/agent/ipvsadm-backend';
import { createAgentServer, type AgentServer } from '../../server/agent/serve';
import { VIP, clearTable, eventually, inNs, ipvsadm, load, savedLines, sh } from './kernel';

const TOKEN = 'lab-token-0123456789abcdef';
const TICK = 1000;
let agent: Agent;
let server: AgentServer;
let url: string;
const sockets: Socket[] = [];

function client(): Socket<AgentServerEvents, AgentClientEvents> {
  const s = connect(url, {
    extraHeaders: { authorization: `Bearer ${TOKEN}` },
    transports: ['websocket'],
    reconnection: false,
  });
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  clearTable();
  sh('sh', [`${__dirname}/../topology`, 'services']);
  agent = createAgent({ backend: new IpvsadmBackend(), tickMs: TICK });
  await agent.start();
  server = createAgentServer({ agent, token: TOKEN, backendName: 'ipvsadm', tickMs: TICK });
  url = `http://127.0.0.1:${await server.listen(0)}`;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  agent.stop();
  await server.close();
});

describe('live state', () => {
  it('an edit made by hand with ipvsadm reaches a subscribed client within 3 ticks', async () => {
    const s = client();
    const snap = await s.timeout(10_000).emitWithAck('table:subscribe');
    if (!snap.ok) throw new Error(snap.error.message);
    let state: TableState = snap.data;
    const arrived = new Promise<number>((resolve) => {
      s.on('table:delta', (d: TableDelta) => {
        state = applyDelta(state, d);
        const web = state.services.find((x) => x.port === 80 && x.protocol === 'tcp');
        if (web?.destinations.some((x) => x.address === '10.2.0.13')) resolve(performance.now());
      });
    });
    const before = state.version;
    ipvsadm('-a', '-t', `${VIP}:80`, '-r', '10.2.0.13:80', '-m', '-w', '2');
    try {
      const edited = performance.now();
      const seen = await arrived;
      console.log(`hand edit reached the client after ${Math.round(seen - edited)} ms (tick ${TICK} ms)`);
      // at most one tick until the next read starts, plus the read itself: four ipvsadm listings, which under TCG on
      // a busy 2-core host take over a second (2.4 s seen in CI): 3 ticks, not 2
      expect(seen - edited).toBeLessThanOrEqual(3 * TICK);
      expect(state.version).toBe(before + 1);
    } finally {
      ipvsadm('-d', '-t', `${VIP}:80`, '-r', '10.2.0.13:80'); // 10.2.0.13 does not exist: keep it out of later tests
    }
  });

  it('two clients editing the same service at once: one wins, the other gets conflict, the kernel has the winner', async () => {
    const a = client();
    const b = client();
    await agent.refresh();
    const version = agent.state?.version as number;
    const svc = (scheduler: 'lc' | 'sed') => ({
      epoch: agent.epoch,
      version,
      edit: {
        kind: 'edit-service' as const,
        service: { protocol: 'tcp' as const, address: VIP, port: 8080, scheduler, flags: [], ops: false },
      },
    });
    const [ra, rb] = await Promise.all([
      a.timeout(20_000).emitWithAck('edit', svc('lc')),
      b.timeout(20_000).emitWithAck('edit', svc('sed')),
    ]);
    const winners = [ra, rb].filter((r) => r.ok);
    const losers = [ra, rb].filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers[0]).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const winner = ra.ok ? 'lc' : 'sed';
    expect(savedLines()).toContain(`-A -t ${VIP}:8080 -s ${winner}`);
    const conflictState = (losers[0] as { error: { state: TableState } }).error.state;
    expect(conflictState.services.find((x) => x.port === 8080)?.scheduler).toBe(winner);
  });

  it('reports the kernel error and the argv that ran', async () => {
    const r = await client()
      .timeout(20_000)
      .emitWithAck('edit', {
        epoch: agent.epoch,
        version: agent.state?.version as number,
        edit: {
          kind: 'add-destination',
          service: { protocol: 'tcp', address: VIP, port: 80 },
          destination: { address: '10.2.0.11', port: 80, forward: 'masq', weight: 1 },
        },
      });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'kernel',
        message: 'Destination already exists',
        result: { argv: ['ipvsadm', '-a', '-t', `${VIP}:80`, '-r', '10.2.0.11:80', '-m', '-w', '1'], exitCode: 255 },
      },
    });
  });
});

describe('apply', () => {
  it('moves a table under live traffic to RULES without a flush: unchanged services keep their counters', async () => {
    const traffic = promisify(execFile)('ip', [
      'netns',
      'exec',
      'client',
      'ab',
      '-q',
      '-s',
      '5',
      '-n',
      '3000',
      '-c',
      '4',
      `http://${VIP}:8080/`,
    ]).catch(() => undefined);
    const conns = () =>
      Object.fromEntries(
        parseListing(ipvsadm('-Ln', '--stats', '--exact')).services.map((s) => [
          `${s.protocol}:${s.port}`,
          s.stats?.conns ?? 0,
        ]),
      );
    // counters before: :80 had traffic in the seed, :8080 has it now
    expect(load(`http://${VIP}:80/`, 200, 5)).toBe(200);
    await eventually(() => expect(conns()['tcp:80']).toBeGreaterThanOrEqual(200));
    const before = conns();
    const rules =
      ipvsadm('-Sn')
        .replace(`-a -t ${VIP}:80 -r 10.2.0.12:80 -m -w 3`, `-a -t ${VIP}:80 -r 10.2.0.12:80 -m -w 5`)
        .replace(/^-A -u 10\.1\.0\.10:53 -s rr\n(-a -u .*\n)*/m, '') +
      `-A -t ${VIP}:9443 -s wrr -p 60\n-a -t ${VIP}:9443 -r 10.2.0.11:443 -m -w 1\n`;
    const out = await agent.apply(parseSave(rules));
    expect(out.plan.map((a) => a.join(' '))).toEqual([
      `-A -t ${VIP}:9443 -s wrr -p 60`,
      `-a -t ${VIP}:9443 -r 10.2.0.11:443 -m -w 1`,
      `-e -t ${VIP}:80 -r 10.2.0.12:80 -m -w 5`,
      `-D -u ${VIP}:53`,
    ]);
    expect(out.results.every((r) => r.ok)).toBe(true);
    expect(savedLines()).toEqual(new Set(rules.split('\n').filter(Boolean)));
    const after = conns();
    for (const key of ['tcp:80', 'tcp:8080', 'tcp:8081'])
      expect(after[key], key).toBeGreaterThanOrEqual(before[key] as number);
    expect(after['tcp:80']).toBeGreaterThan(0);
    await traffic;
  });
});

describe('connection table', () => {
  it('reads 60,000 UDP entries from procfs, the same table ipvsadm -Lnc lists (bench/lab-conns.ts measures the speed)', async () => {
    agent.stop(); // measure the read alone, not against the earlier tests' agent polling the table every second
    clearTable();
    ipvsadm('-A', '-u', `${VIP}:53`, '-s', 'rr');
    ipvsadm('-a', '-u', `${VIP}:53`, '-r', '10.2.0.11:53', '-m');
    ipvsadm('-a', '-u', `${VIP}:53`, '-r', '10.2.0.12:53', '-m');
    const made = inNs('client', 'python3', [`${__dirname}/../udp-entries.py`, '60000', VIP, '53'], 120_000);
    expect(made.status, made.stderr).toBe(0);
    const backend = new IpvsadmBackend();
    await backend.readConnections(); // the agent keeps its reader thread: start it before timing
    // one timed read for the log line below (10 s each under TCG): bench/lab-conns.ts repeats it for the figure
    const t0 = performance.now();
    const table = await backend.readConnections();
    const ours = performance.now() - t0;
    const t = performance.now();
    const lnc = await backend.run(['-Lnc'], 300_000);
    const theirs = performance.now() - t;
    expect(lnc.ok).toBe(true);
    const lncRows = lnc.stdout.split('\n').length - 3;
    console.log(
      `connection read: ${table.length} entries; agent procfs read+parse ${Math.round(ours)} ms, ipvsadm -Lnc ${Math.round(theirs)} ms (${lncRows} rows): ratio ${(ours / theirs).toFixed(3)}`,
    );
    expect(table.length).toBeGreaterThanOrEqual(60_000);
    // entries from earlier tests expire between the two reads: the tables agree but for those
    expect(Math.abs(lncRows - table.length) / table.length).toBeLessThan(0.05);
    // no timing assertion here: under TCG on a shared host the ratio moves between 0.13 and 0.27 from run to run;
    // the target (<= 0.25) is shown by the bench, which repeats the measurement and prints the ratio
  }, 600_000);
});
