// The agent logs every connection it refuses, one JSON line each, with the reason and the peer (never the token).
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../testing/self-signed';
import { createLogger } from '../log';
import { until } from '../testing/until';
import { createAgent } from './agent';
import { MemoryBackend } from './memory-backend';
import { createAgentServer, type AgentServer } from './serve';

const TOKEN = 'refusals-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'agent-refusals-'));
let tls: { cert: string; key: string };
beforeAll(() => {
  tls = selfSignedCert(dir, 'lvs-refusals-agent', 'IP:127.0.0.1');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let server: AgentServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An agent on 127.0.0.1 whose logger writes into `lines` (one parsed JSON object per line). */
async function start(withTls = false): Promise<{ url: string; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const agent = createAgent({ backend: new MemoryBackend(''), tickMs: 60_000 });
  await agent.start();
  server = createAgentServer({
    agent,
    token: TOKEN,
    backendName: 'memory',
    tickMs: 60_000,
    logger: createLogger('lvs-agent', 2, sink),
    ...(withTls ? { tls } : {}),
  });
  const s = server;
  const close = s.close.bind(s);
  s.close = async () => {
    agent.stop();
    await close();
  };
  await s.listen(0, '127.0.0.1');
  return { url: s.url ?? '', lines };
}

/** Try a Socket.IO connection and wait for its refusal. */
function refusedConnect(url: string, token?: string, extra: Record<string, unknown> = {}): Promise<void> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    ...(token ? { extraHeaders: { Authorization: `Bearer ${token}` } } : {}),
    ...extra,
  });
  return new Promise((resolve) =>
    socket.on('connect_error', () => {
      socket.close();
      resolve();
    }),
  );
}

const refusals = (lines: Record<string, unknown>[]) => lines.filter((l) => l.event === 'connection-refused');

describe('the agent logs each refused connection with its reason', () => {
  it('a wrong token and a missing one: one line each, the token never in it', async () => {
    const { url, lines } = await start();
    await refusedConnect(url, 'not-the-token-0123456789');
    await refusedConnect(url);
    await until(() => refusals(lines).length >= 2);
    await new Promise((r) => setTimeout(r, 100)); // a second line for the same refusal would land by now
    expect(refusals(lines).map((l) => [l.reason, l.remote, l.level])).toEqual([
      ['wrong token', '127.0.0.1', 40],
      ['no token', '127.0.0.1', 40],
    ]);
    expect(JSON.stringify(lines)).not.toContain('not-the-token');
  });

  it('a plain http request and a polling Socket.IO request', async () => {
    const { url, lines } = await start();
    await fetch(`${url}/metrics`);
    await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    await until(() => refusals(lines).length === 2);
    expect(refusals(lines)[0]).toMatchObject({ reason: 'not a Socket.IO websocket', path: '/metrics' });
    expect(refusals(lines)[1]).toMatchObject({ reason: 'Socket.IO: Transport unknown', remote: '127.0.0.1' });
  });

  it('a client that does not trust the certificate hangs up during the handshake', async () => {
    const { url, lines } = await start(true);
    await new Promise<void>((resolve) => {
      const req = httpsRequest(`${url}/`, { rejectUnauthorized: true }, () => resolve());
      req.on('error', () => resolve());
      req.end();
    });
    await until(() => refusals(lines).length === 1);
    expect(refusals(lines)[0]).toMatchObject({
      reason: 'TLS handshake failed: socket hang up',
      code: 'ECONNRESET',
    });
  });
});
