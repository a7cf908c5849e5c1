// The TCP probe helper (native/tcp-probe.c, built here) against real sockets on 127.0.0.1 and ::1, and the node:net
// fallback when the helper is missing, dies or hangs.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckKind } from '../../../lib/health';
import { runCheck, type CheckTarget } from './checkers';
import { TcpProber } from './tcp-probe';

const ROOT = join(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'tcp-probe-'));
const helper = join(dir, 'tcp-probe');
const tcp: CheckKind = { type: 'tcp' };
const servers: Server[] = [];
const probers: TcpProber[] = [];
const accepted: string[] = [];
let port = 0;

function listen(host: string): Promise<number> {
  const s = createServer((c) => {
    accepted.push(c.remoteAddress ?? '');
    c.destroy();
  });
  servers.push(s);
  return new Promise((r) => s.listen(0, host, () => r((s.address() as AddressInfo).port)));
}
const target = (p: number, more: Partial<CheckTarget> = {}): CheckTarget => ({
  address: '127.0.0.1',
  port: p,
  timeoutMs: 1000,
  service: 'tcp/10.1.0.10:80',
  ...more,
});
const prober = (path: string | undefined, graceMs?: number) => {
  const p = new TcpProber(path, 'none here', graceMs);
  probers.push(p);
  return p;
};
/** A port nothing listens on: a listener's, closed. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

beforeAll(async () => {
  const cc = spawnSync('cc', ['-O2', '-Wall', '-o', helper, join(ROOT, 'native/tcp-probe.c')], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc native/tcp-probe.c: ${cc.stderr || cc.error?.message}`);
  port = await listen('127.0.0.1');
});

afterAll(() => {
  for (const p of probers) p.stop();
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('TCP checks by the helper', () => {
  it('passes on a listener, names a refusal as node:net does, and answers each of many probes at once', async () => {
    const p = prober(helper);
    const closed = await closedPort();
    const ok = await runCheck(tcp, target(port), Date.now, p);
    expect(ok).toMatchObject({ ok: true });
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
    expect(p.info).toBe(`tcp checks: ${helper} (pid ${p.pid})`);
    const byNode = await runCheck(tcp, target(closed), Date.now, prober(undefined));
    expect(byNode).toMatchObject({ ok: false, error: `connect ECONNREFUSED 127.0.0.1:${closed}` });
    expect(await runCheck(tcp, target(closed), Date.now, p)).toMatchObject({ ok: false, error: byNode.error });
    // one batch, answers in any order: each result is its own probe's
    const ports = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? closed : port));
    const results = await Promise.all(ports.map((q) => runCheck(tcp, target(q), Date.now, p)));
    expect(results.map((r) => r.ok)).toEqual(ports.map((q) => q === port));
    expect(p.info).toContain(helper); // the same child all along
  });

  it('refuses a request whose port or timeout is not a whole number in range (EINVAL), never wrapping it', () => {
    const input = ['1 127.0.0.1 99999 100', '2 127.0.0.1 80x 100', '3 127.0.0.1 0 100', '4 127.0.0.1 80 -5', '5 x'];
    const r = spawnSync(helper, [], { input: input.join('\n') + '\n', encoding: 'utf8', timeout: 5000 });
    expect(r.stdout.trim().split('\n').sort()).toEqual(['1 i22 0', '2 i22 0', '3 i22 0', '4 i22 0', '5 i22 0']);
  });

  it('binds the source address asked for, says when it cannot, and connects over IPv6', async () => {
    const p = prober(helper);
    accepted.length = 0;
    expect(await runCheck(tcp, target(port, { sourceAddress: '127.0.0.2' }), Date.now, p)).toMatchObject({ ok: true });
    await expect.poll(() => accepted).toContain('127.0.0.2');
    // an address this host does not hold (TEST-NET-1): the bind fails, nothing is sent
    expect(await runCheck(tcp, target(port, { sourceAddress: '192.0.2.1' }), Date.now, p)).toMatchObject({
      ok: false,
      error: 'bind EADDRNOTAVAIL 192.0.2.1',
    });
    const v6 = await listen('::1');
    expect(await runCheck(tcp, target(v6, { address: '::1' }), Date.now, p)).toMatchObject({ ok: true });
    expect(await runCheck(tcp, target(port, { address: '::1' }), Date.now, p)).toMatchObject({
      ok: false,
      error: `connect ECONNREFUSED ::1:${port}`,
    });
  });

  it('times out on a listener whose accept queue is full (its SYNs dropped)', async () => {
    // a listener with a backlog of 1 in a process that never accepts: two connections fill its queue
    const stuck = spawn(
      process.execPath,
      [
        '-e',
        `const s = require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
           console.log(s.address().port);
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
         });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const full = await new Promise<number>((r) => stuck.stdout.once('data', (d: Buffer) => r(Number(d.toString()))));
      const p = prober(helper);
      const fillers = await Promise.all(
        [0, 1, 2].map(() => runCheck(tcp, target(full, { timeoutMs: 300 }), Date.now, p)),
      );
      expect(fillers.some((r) => r.ok)).toBe(true);
      const late = await runCheck(tcp, target(full, { timeoutMs: 200 }), Date.now, p);
      expect(late).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
      expect(late.latencyMs).toBeGreaterThanOrEqual(200);
    } finally {
      stuck.kill('SIGKILL');
    }
  });
});

describe('node:net when the helper is not there or fails', () => {
  it('missing: node:net checks, and the info says why', async () => {
    const p = prober(undefined);
    expect(p.ready()).toBe(false);
    expect(p.info).toBe('tcp checks: node:net (none here)');
    expect(await runCheck(tcp, target(port), Date.now, p)).toMatchObject({ ok: true });
  });

  it('a helper that exits: its probes in flight are checked by node:net, and the info names the exit', async () => {
    const p = prober('/bin/false');
    expect(await runCheck(tcp, target(port), Date.now, p)).toMatchObject({ ok: true });
    await expect.poll(() => p.info).toMatch(/^tcp checks: node:net \(\/bin\/false exited \(status 1\); tried again/);
    expect(p.ready()).toBe(false); // not started again at once
    expect(await runCheck(tcp, target(port), Date.now, p)).toMatchObject({ ok: true });
  });

  it('a helper that never answers is killed, its probes checked by node:net', async () => {
    const mute = join(dir, 'mute');
    writeFileSync(mute, '#!/bin/sh\nexec sleep 600\n');
    chmodSync(mute, 0o755);
    const p = prober(mute, 0);
    expect(await runCheck(tcp, target(port, { timeoutMs: 10 }), Date.now, p)).toMatchObject({ ok: true });
    expect(p.info).toMatch(/did not answer a probe within its timeout/);
  });

  it('a request the helper cannot take (a name, not an address) is checked by node:net', async () => {
    const p = prober(helper);
    expect(await runCheck(tcp, target(port, { address: 'localhost' }), Date.now, p)).toMatchObject({ ok: true });
    expect(p.info).toContain(helper);
  });
});
