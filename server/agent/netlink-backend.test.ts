// Choosing the table reader at start, and one helper run serving a whole tick. The helper here replays a stream the
// real one wrote in the lab (lib/ipvs/__fixtures__/lab/netlink/edge.ipvs-dump.jsonl); the real helper against the
// kernel is lab/tests/netlink.lab.test.ts.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DECODE_STEP, decodeIpvsDump, decodeIpvsDumpSteps, parseSave, type TableDelta } from '../../lib/ipvs';
import { createAgent } from './agent';
import { IpvsadmBackend } from './ipvsadm-backend';
import { NetlinkBackend, chooseBackend, inTurns } from './netlink-backend';

const dir = mkdtempSync(join(tmpdir(), 'lvs-netlink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CAPTURE = join(__dirname, '../../lib/ipvs/__fixtures__/lab/netlink/edge.ipvs-dump.jsonl');

/** An executable that counts its runs in `runs` and then behaves as `body` (sh). */
function helper(name: string, body: string): { path: string; runs: () => number } {
  const path = join(dir, name);
  const runs = join(dir, `${name}.runs`);
  writeFileSync(runs, '');
  writeFileSync(path, `#!/bin/sh\necho run >> '${runs}'\n${body}\n`);
  chmodSync(path, 0o755);
  return { path, runs: () => readFileSync(runs, 'utf8').split('\n').filter(Boolean).length };
}

describe('chooseBackend', () => {
  const ipvsadm = new IpvsadmBackend();

  it('reads with netlink when the helper is there and its probe read decodes', async () => {
    const h = helper('replay', `cat '${CAPTURE}'`);
    const choice = await chooseBackend(ipvsadm, [join(dir, 'absent'), h.path]);
    expect(choice.backend.name).toBe('netlink');
    expect(choice.reason).toBe(`netlink: one generic-netlink dump per tick by ${h.path} (probe read 5 services)`);
  });

  it('falls back to ipvsadm without the helper, and says where it looked', async () => {
    const choice = await chooseBackend(ipvsadm, [join(dir, 'absent')]);
    expect(choice.backend).toBe(ipvsadm);
    expect(choice.reason).toMatch(
      new RegExp(
        `^ipvsadm listings: no netlink reader \\(ipvs-dump\\) at ${join(dir, 'absent')}; it is built at install`,
      ),
    );
  });

  it('falls back to ipvsadm when the probe read fails, with the helper own error text', async () => {
    const h = helper(
      'no-ipvs',
      `echo 'ipvs-dump: no IPVS generic-netlink family (No such file or directory): modprobe ip_vs' >&2; exit 3`,
    );
    const choice = await chooseBackend(ipvsadm, [h.path]);
    expect(choice.backend).toBe(ipvsadm);
    expect(choice.reason).toBe(
      `ipvsadm listings: the netlink reader failed its probe read: ${h.path}: ipvs-dump: no IPVS generic-netlink family (No such file or directory): modprobe ip_vs`,
    );
  });

  it('falls back to ipvsadm when the helper stream is cut short', async () => {
    const h = helper('cut', `head -n 3 '${CAPTURE}'`);
    const choice = await chooseBackend(ipvsadm, [h.path]);
    expect(choice.backend).toBe(ipvsadm);
    expect(choice.reason).toMatch(/failed its probe read: .*no end line: the ipvs-dump stream was cut short/);
  });
});

describe('NetlinkBackend in the agent', () => {
  it('serves a slow tick (services, timeouts, daemons) from one helper run, with template counts and no persistent-conn listing', async () => {
    const h = helper('tick', `cat '${CAPTURE}'`);
    const backend = new NetlinkBackend(h.path, new IpvsadmBackend());
    backend.readTotals = () => Promise.reject(new Error('no /proc/net/ip_vs_stats here'));
    backend.otherOwners = () => Promise.resolve([]);
    const agent = createAgent({ backend, tickMs: 60_000, logger: { warn: () => undefined } });
    const state = await agent.refresh();
    expect(h.runs()).toBe(1);
    expect(state.timeouts).toEqual({ tcp: 900, tcpfin: 120, udp: 300 });
    expect(state.services.map((s) => s.destinations.length)).toEqual([4, 3, 2, 2, 1]);
    expect(state.services.every((s) => s.destinations.every((d) => d.persistConns === 0 && d.stats && d.rate))).toBe(
      true,
    );
    // the same table as the rules ipvsadm -Sn printed at that moment (its marks >= 2^31 negative, ours unsigned)
    const sn = readFileSync(join(__dirname, '../../lib/ipvs/__fixtures__/lab/edge.Sn.txt'), 'utf8');
    expect(state.services.map((s) => s.destinations.length).reduce((a, b) => a + b)).toBe(
      parseSave(sn).reduce((n, s) => n + s.destinations.length, 0),
    );
    await agent.refresh();
    expect(h.runs()).toBe(2);
  });

  it('fails the read with the helper own words when it fails mid-run', async () => {
    const h = helper('fails', `echo 'ipvs-dump: IPVS_CMD_GET_DEST: Operation not permitted' >&2; exit 1`);
    const backend = new NetlinkBackend(h.path, new IpvsadmBackend());
    await expect(backend.readServices()).rejects.toThrow(
      `${h.path}: ipvs-dump: IPVS_CMD_GET_DEST: Operation not permitted`,
    );
  });

  it('decodes the stream as it comes: a line that is not a record ends the read at once, not when the helper exits', async () => {
    const lines = readFileSync(CAPTURE, 'utf8').trim().split('\n');
    const h = helper('garbled', `printf '%s\\n%s\\nnot json\\n' '${lines[0]}' '${lines[1]}'; exec sleep 60`);
    // the read's own timeout and the helper's sleep are both past the test's (5 s): only the decode can end it
    const backend = new NetlinkBackend(h.path, new IpvsadmBackend(), 30_000);
    await expect(backend.readServices()).rejects.toThrow(`${h.path}: line 3: not a JSON record of ipvs-dump`);
  });

  it('refuses a whole-looking stream from a helper that did not exit with status 0', async () => {
    const unfinished = helper('unfinished', `cat '${CAPTURE}'; exit 1`);
    await expect(new NetlinkBackend(unfinished.path, new IpvsadmBackend()).dump()).rejects.toThrow(
      `${unfinished.path}: exited with status 1`,
    );
  });

  it('ends a helper that does not finish in time, saying so', async () => {
    const h = helper('hangs', `exec sleep 60`);
    await expect(new NetlinkBackend(h.path, new IpvsadmBackend(), 300).dump()).rejects.toThrow(
      `${h.path}: did not finish within 300 ms`,
    );
  });

  it('reads one service by its key (the fwmark one >= 2^31 here), and null when the kernel has none', async () => {
    // the helper's one-service stream: that service's records, the timeouts, the end line
    const lines = readFileSync(CAPTURE, 'utf8').trim().split('\n');
    const at = lines.findIndex((l) => l.startsWith('["svc",2,0,"0.0.0.0",0,2147483648,'));
    const block = lines.slice(at, at + 3);
    expect(block.map((l) => l.slice(0, 7))).toEqual(['["svc",', '["dest"', '["dest"']);
    expect(lines.at(-2)).toMatch(/^\["timeouts",/);
    const one = join(dir, 'one.jsonl');
    writeFileSync(one, [lines[0], ...block, lines.at(-2), '["end",1,2]', ''].join('\n'));
    const none = join(dir, 'none.jsonl');
    writeFileSync(none, [lines[0], lines.at(-2), '["end",0,0]', ''].join('\n'));
    const args = join(dir, 'one.args');
    const h = helper(
      'one',
      `echo "$@" > '${args}'; if [ "$2" = 2147483648 ]; then cat '${one}'; else cat '${none}'; fi`,
    );
    const backend = new NetlinkBackend(h.path, new IpvsadmBackend());
    const svc = await backend.readService({ protocol: 'fwmark', fwmark: 2147483648 });
    expect(readFileSync(args, 'utf8')).toBe('--fwmark 2147483648 inet\n');
    const whole = (
      await new NetlinkBackend(helper('all', `cat '${CAPTURE}'`).path, new IpvsadmBackend()).readServices()
    ).find((s) => s.fwmark === 2147483648);
    expect(svc).toEqual(whole);
    expect(await backend.readService({ protocol: 'udp', address: '2001:db8::1', port: 53 })).toBeNull();
    expect(readFileSync(args, 'utf8')).toBe('--service udp 2001:db8::1 53\n');
  });

  it('keeps the services whose lines did not change from one tick to the next, through one-service and failed reads', async () => {
    const stream = join(dir, 'kept.jsonl');
    const fail = join(dir, 'kept.fail');
    const capture = readFileSync(CAPTURE, 'utf8');
    writeFileSync(stream, capture);
    const h = helper('kept', `if [ -f '${fail}' ]; then echo 'ipvs-dump: EPERM' >&2; exit 1; fi; cat '${stream}'`);
    const backend = new NetlinkBackend(h.path, new IpvsadmBackend());
    backend.readTotals = () => Promise.reject(new Error('no /proc/net/ip_vs_stats here'));
    backend.otherOwners = () => Promise.resolve([]);
    const agent = createAgent({ backend, tickMs: 60_000, logger: { warn: () => undefined } });
    const deltas: TableDelta[] = [];
    agent.subscribe((m) => m.type === 'delta' && deltas.push(m.delta));
    const first = await agent.refresh();
    const second = await agent.refresh();
    expect(second.services).toHaveLength(5);
    second.services.forEach((s, i) => expect(s).toBe(first.services[i]));
    expect(Object.keys(deltas.at(-1) ?? {}).sort()).toEqual(['epoch', 'updatedAt', 'version']);

    // one real server's weight changes (10.3.0.31 of tcp/10.1.0.10:9100): that service alone is read afresh
    const weight = capture.replace('["dest",2,"10.3.0.31",9100,2,1,', '["dest",2,"10.3.0.31",9100,2,7,');
    expect(weight).not.toBe(capture);
    writeFileSync(stream, weight);
    // a one-service read (an edit's confirmation) and a failed read leave the last whole dump to compare with
    await backend.readService({ protocol: 'tcp', address: '10.1.0.10', port: 9100 });
    writeFileSync(fail, '');
    await expect(agent.refresh()).rejects.toThrow(/EPERM/);
    rmSync(fail);
    const third = await agent.refresh();
    const at = third.services.findIndex((s) => s.address === '10.1.0.10' && s.port === 9100);
    expect(third.services[at]?.destinations.find((d) => d.address === '10.3.0.31')?.weight).toBe(7);
    expect(third.services[at]).not.toBe(second.services[at]);
    expect(third.services.filter((s, i) => s === second.services[i])).toHaveLength(4);
    expect(third.version).toBe(second.version + 1);
    expect(deltas.at(-1)?.changed?.map((c) => c.id)).toEqual(['tcp/10.1.0.10:9100']);
  });

  it('shares a dump under way with the reads asked at once, never with a read asked after a change began', async () => {
    const go = join(dir, 'go');
    const h = helper('gated', `while [ ! -f '${go}' ]; do sleep 0.05; done; cat '${CAPTURE}'`);
    const backend = new NetlinkBackend(h.path, new IpvsadmBackend({ ipvsadm: 'true' }));
    const before = [backend.readServices(), backend.readTimeouts()];
    expect((await backend.run(['-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-w', '5'])).ok).toBe(true);
    const after = backend.readServices();
    writeFileSync(go, '');
    await Promise.all([...before, after]);
    expect(h.runs()).toBe(2);
  });
});

describe('a decode in turns of the event loop', () => {
  /** The edge capture's first service, copied `copies` times on other ports, each with its real servers. */
  function largeStream(copies: number): { text: string; lines: number } {
    const lines = readFileSync(CAPTURE, 'utf8').trim().split('\n');
    const rows = lines.map((l) => JSON.parse(l) as unknown[]);
    const end = rows.findIndex((r, i) => i > 1 && r[0] !== 'dest');
    const block = rows.slice(1, end);
    expect(block[0]?.[0]).toBe('svc');
    const out = [lines[0]];
    for (let c = 0; c < copies; c++)
      for (const r of block) out.push(JSON.stringify(r[0] === 'svc' ? r.with(4, 10_000 + c) : r));
    out.push(...lines.filter((l) => l.startsWith('["timeouts",')), `["end",${copies},${copies * (block.length - 1)}]`);
    return { text: out.join('\n'), lines: out.length };
  }

  it('gives the event loop turns during a large decode (a timer set at its start runs before its end), same table', async () => {
    const { text, lines } = largeStream(400);
    expect(lines).toBeGreaterThan(4 * DECODE_STEP);
    let turns = 0;
    let decoding = true;
    const turn = () => {
      if (!decoding) return;
      turns++;
      setImmediate(turn);
    };
    setImmediate(turn);
    let timerRanDuringDecode = false;
    setTimeout(() => (timerRanDuringDecode = decoding), 0);
    const dump = await inTurns(decodeIpvsDumpSteps(text), 0);
    decoding = false;
    expect(timerRanDuringDecode).toBe(true);
    // a pause every DECODE_STEP lines, then every DECODE_STEP services while they are put in order
    expect(turns).toBeGreaterThanOrEqual(Math.floor(lines / DECODE_STEP) + Math.floor(400 / DECODE_STEP) - 1);
    expect(dump).toEqual(decodeIpvsDump(text));
    expect(dump.services).toHaveLength(400);
  });

  it('rejects a stream that is not one, as the decode does', async () => {
    const { text } = largeStream(300);
    const cut = text.slice(0, text.lastIndexOf('\n'));
    await expect(inTurns(decodeIpvsDumpSteps(cut), 0)).rejects.toThrow(
      /no end line: the ipvs-dump stream was cut short/,
    );
  });
});
