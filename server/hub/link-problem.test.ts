// The hub tells apart why a director is not live: each case runs a real agent (or nothing) on 127.0.0.1.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createTcp, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../testing/self-signed';
import type { DirectorProblem } from '../../lib/events';
import { createAgent } from '../agent/agent';
import { IpvsadmBackend } from '../agent/ipvsadm-backend';
import { MemoryBackend } from '../agent/memory-backend';
import { createAgentServer } from '../agent/serve';
import { createLogger } from '../log';
import { until } from '../testing/until';
import { createHub, type Hub } from './hub';
import { openDb } from './store/db';
import { recorders } from '../testing/recorders';

const TOKEN = 'link-problem-token-0123456789';
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const dir = mkdtempSync(join(tmpdir(), 'link-problem-'));
let tls: { cert: string; key: string };
beforeAll(() => {
  tls = selfSignedCert(dir, 'lvs-test-agent', 'IP:127.0.0.1');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function agent(opts: { tls?: boolean; backend?: 'memory' | 'no-ipvsadm' } = {}): Promise<number> {
  const backend =
    opts.backend === 'no-ipvsadm'
      ? new IpvsadmBackend({ ipvsadm: join(dir, 'no-such-ipvsadm') })
      : new MemoryBackend('-A -t 10.1.0.10:80 -s rr\n');
  const a = createAgent({ backend, tickMs: 100 });
  if (opts.backend !== 'no-ipvsadm') await a.start();
  const server = createAgentServer({
    agent: a,
    token: TOKEN,
    tls: opts.tls ? tls : undefined,
    backendName: backend.name,
    tickMs: 100,
  });
  const port = await server.listen(0);
  cleanup.push(
    () => a.stop(),
    () => server.close(),
  );
  return port;
}

function listen(server: TcpServer | ReturnType<typeof createHttp>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

const logged: Record<string, unknown>[] = [];
function hub(url: string, extra: { token?: string; ca?: string; fingerprint?: string } = {}): Hub {
  const log = createLogger('test', 2, {
    write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>),
  });
  const h = createHub({
    ...recorders(openDb(':memory:')),
    agents: [{ name: 'd1', url, token: extra.token ?? TOKEN, ca: extra.ca, fingerprint: extra.fingerprint }],
    connectTimeoutMs: 800,
    staleAfterMs: 400,
    log,
  });
  cleanup.push(() => h.close());
  return h;
}

async function problemOf(h: Hub): Promise<DirectorProblem> {
  await until(() => h.directors()[0]?.problem != null, 8000);
  const d = h.directors()[0]!;
  expect(d.status).toBe('unreachable');
  return d.problem!;
}

describe('why a director is unreachable', () => {
  it('connection refused: nothing listens on the port', async () => {
    const tcp = createTcp();
    const port = await listen(tcp);
    await new Promise((r) => tcp.close(r));
    expect(await problemOf(hub(`http://127.0.0.1:${port}`))).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/connection refused by 127\.0\.0\.1:\d+/),
    });
  });

  it('DNS failure: a name under .invalid does not resolve', async () => {
    expect(await problemOf(hub('http://lvs-agent.invalid:7070'))).toMatchObject({
      kind: 'dns',
      message: expect.stringMatching(/lvs-agent\.invalid/),
    });
  });

  it('timeout: something accepts the connection and never answers', async () => {
    const held: import('node:net').Socket[] = [];
    const tcp = createTcp((s) => held.push(s));
    const port = await listen(tcp);
    cleanup.push(
      () =>
        new Promise((r) => {
          held.forEach((s) => s.destroy());
          tcp.close(r);
        }),
    );
    expect(await problemOf(hub(`http://127.0.0.1:${port}`))).toMatchObject({ kind: 'timeout' });
  });

  it('wrong token: the agent refuses it', async () => {
    const port = await agent();
    expect(await problemOf(hub(`http://127.0.0.1:${port}`, { token: 'not-the-token-0123456789' }))).toMatchObject({
      kind: 'token',
      message: expect.stringMatching(/^wrong token/),
    });
  });

  it('TLS: a self-signed certificate the dashboard does not trust, with its subject; trusted once pinned', async () => {
    const port = await agent({ tls: true });
    const p = await problemOf(hub(`https://127.0.0.1:${port}`));
    expect(p).toMatchObject({
      kind: 'tls',
      message: expect.stringMatching(/^TLS: certificate not trusted: CN=lvs-test-agent \(self-signed certificate\)$/),
    });
    const pinned = hub(`https://127.0.0.1:${port}`, { ca: tls.cert });
    await until(() => pinned.directors()[0]?.status === 'live', 8000);
    expect(pinned.directors()[0]?.problem).toBeNull();
  });

  it('TLS: a pinned fingerprint trusts only that certificate (self-signed, no CA)', async () => {
    const port = await agent({ tls: true });
    const fingerprint = new X509Certificate(tls.cert).fingerprint256;
    const pinned = hub(`https://127.0.0.1:${port}`, { fingerprint });
    await until(() => pinned.directors()[0]?.status === 'live', 8000);
    const other = `${fingerprint.slice(0, -2)}${fingerprint.endsWith('00') ? '01' : '00'}`;
    const p = await problemOf(hub(`https://127.0.0.1:${port}`, { fingerprint: other }));
    expect(p).toMatchObject({
      kind: 'tls',
      message: `TLS: certificate is not the pinned one: CN=lvs-test-agent (certificate fingerprint ${fingerprint} is not the pinned ${other})`,
    });
  });

  it('agent version incompatible: an agent that speaks no protocol number', async () => {
    const http = createHttp();
    const old = new Server(http);
    old.on('connection', (s) =>
      s.on('agent:info', (ack: (r: unknown) => void) =>
        ack({ ok: true, data: { name: 'old', backend: 'ipvsadm', tickMs: 1000 } }),
      ),
    );
    const port = await listen(http);
    cleanup.push(() => old.close());
    expect(await problemOf(hub(`http://127.0.0.1:${port}`))).toMatchObject({
      kind: 'version',
      message: expect.stringMatching(/no protocol number/),
    });
  });

  it('IPVS unreadable: the agent is up and says why (here: no ipvsadm binary)', async () => {
    const port = await agent({ backend: 'no-ipvsadm' });
    expect(await problemOf(hub(`http://127.0.0.1:${port}`))).toMatchObject({
      kind: 'ipvs',
      message: expect.stringMatching(/cannot read IPVS: .*no-such-ipvsadm/),
    });
  });

  it('logs each change of reason once, not on every reconnection attempt', async () => {
    logged.length = 0;
    const h = hub('http://lvs-agent.invalid:7070');
    await problemOf(h);
    await new Promise((r) => setTimeout(r, 1500)); // several reconnection attempts, the same reason
    const warnings = logged.filter((l) => l.director === 'd1' && l.reason === 'dns');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, name: 'test', url: 'http://lvs-agent.invalid:7070' });
  });
});
