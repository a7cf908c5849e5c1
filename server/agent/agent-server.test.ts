// The agent's Socket.IO server: the token before anything, argument checks, errors as answers, per-connection limits.
import { request as httpRequest } from 'node:http';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentClientEvents, AgentServerEvents } from '../../lib/events';
import { cleanups, RULES, startedAgent, web } from '../testing/memory-agent';
import type { Agent } from './agent';
import { tcpProber } from './health/tcp-probe';
import { MemoryBackend } from './memory-backend';
import { MAX_QUERIES_IN_FLIGHT, createAgentServer, type AgentServer } from './serve';

const cleanup = cleanups();
afterEach(() => cleanup.run());
const started = (backend?: MemoryBackend) => startedAgent(cleanup, backend);

describe('agent server', () => {
  const TOKEN = 'secret-token-0123456789';
  async function serving(backend?: MemoryBackend): Promise<{ agent: Agent; server: AgentServer; url: string }> {
    const { agent } = await started(backend);
    const server = createAgentServer({ agent, token: TOKEN, backendName: 'memory', tickMs: 20 });
    const port = await server.listen(0);
    cleanup.push(() => server.close());
    return { agent, server, url: `http://127.0.0.1:${port}` };
  }
  const client = (url: string, token?: string): Socket<AgentServerEvents, AgentClientEvents> => {
    const s = connect(url, {
      extraHeaders: token ? { authorization: `Bearer ${token}` } : {},
      transports: ['websocket'],
      reconnection: false,
    });
    cleanup.push(() => void s.close());
    return s;
  };
  const connected = async (url: string) => {
    const s = client(url, TOKEN);
    await new Promise<void>((resolve, reject) => s.once('connect', resolve).once('connect_error', reject));
    return s;
  };
  /** One raw HTTP request; resolves with the status, or 'closed' when the server hung up first. */
  const raw = (url: string, method: string, body?: Buffer) =>
    new Promise<number | 'closed'>((resolve) => {
      const req = httpRequest(url, { method, headers: body ? { 'content-type': 'text/plain;charset=UTF-8' } : {} });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve('closed'));
      req.end(body);
    });

  it('refuses a connection without the token, with a wrong one, or with the token only in the handshake auth', async () => {
    const { url } = await serving();
    for (const token of [undefined, 'wrong-token-0123456789x']) {
      const err = await new Promise<Error>((resolve) => client(url, token).on('connect_error', resolve));
      expect(err).toBeInstanceOf(Error);
    }
    const authOnly = connect(url, { auth: { token: TOKEN }, transports: ['websocket'], reconnection: false });
    cleanup.push(() => void authOnly.close());
    const outcome = await new Promise((resolve) => {
      authOnly.on('connect_error', () => resolve('refused'));
      authOnly.on('connect', () => resolve('connected'));
    });
    expect(outcome).toBe('refused');
  });

  it('opens no session and reads no message before the token: a 30 MB polling POST is refused', async () => {
    const { url, server } = await serving();
    // the unauthenticated long-polling handshake that used to open a session with a 32 MB message limit
    expect(await raw(`${url}/socket.io/?EIO=4&transport=polling`, 'GET')).toBeGreaterThanOrEqual(400);
    const big = Buffer.alloc(30 * 1024 * 1024, 0x61);
    const posted = await raw(`${url}/socket.io/?EIO=4&transport=polling&sid=guessed`, 'POST', big);
    expect(posted === 'closed' || posted >= 400).toBe(true);
    expect(server.sessions).toBe(0);
    await connected(url);
    expect(server.sessions).toBe(1);
  });

  it('answers every request with extra or wrong arguments with an invalid error and keeps serving', async () => {
    const { url } = await serving();
    const s = await connected(url);
    const send = (event: string, ...args: unknown[]) =>
      (s.timeout(2000).emitWithAck as (e: string, ...a: unknown[]) => Promise<unknown>)(event, ...args);
    for (const event of ['agent:info', 'table:subscribe']) {
      expect(await send(event, 'extra')).toMatchObject({
        ok: false,
        error: { code: 'invalid', message: expect.stringMatching(/arguments/) },
      });
    }
    expect(await send('conns:watch', true, 'extra')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await send('conns:watch', 'yes')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await send('conns:query', { limit: -1 }, 'extra')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(
      await send('edit', {
        version: 0,
        edit: { kind: 'set-weight', service: web, destination: { address: '10.2.0.11', port: 80 }, weight: 70000 },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'edit.weight' },
    });
    expect(await send('apply', { rules: 42, dryRun: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'rules' },
    });
    // and what runs its TCP checks: the helper when it is built here, node:net (and why) when not
    expect(await send('agent:info')).toMatchObject({ ok: true, data: { name: 'test', tcpChecks: tcpProber().info } });
    expect(tcpProber().info).toMatch(/^tcp checks: /);
  });

  it('answers a handler that throws with an internal error instead of ending the process', async () => {
    const backend = new MemoryBackend(RULES);
    backend.readConnections = () => {
      throw new Error('/proc/net/ip_vs_conn: permission denied');
    };
    const { url } = await serving(backend);
    const s = await connected(url);
    expect(await s.timeout(2000).emitWithAck('conns:watch', true)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringMatching(/permission denied/) },
    });
    expect(await s.timeout(2000).emitWithAck('agent:info')).toMatchObject({ ok: true });
  });

  it('serves the snapshot, deltas and edits to a client with the token', async () => {
    const { url, agent } = await serving();
    const s = client(url, TOKEN);
    const snap = await s.timeout(2000).emitWithAck('table:subscribe');
    expect(snap).toMatchObject({ ok: true, data: { services: [{ address: '10.1.0.10', port: 80 }, { port: 53 }] } });
    const delta = new Promise((resolve) => s.once('table:delta', resolve));
    const r = await s.timeout(2000).emitWithAck('edit', {
      epoch: agent.epoch,
      version: 0,
      edit: { kind: 'set-weight', service: web, destination: { address: '10.2.0.11', port: 80 }, weight: 7 },
    });
    expect(r).toMatchObject({ ok: true, data: { confirmed: true } });
    expect(await delta).toHaveProperty('updatedAt');
  });

  it('caps the connection queries one connection has in flight, answering the rest rate_limited', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const backend = new MemoryBackend(RULES);
    backend.readConnections = async () => {
      await held; // the read takes a while: queries pile up behind it
      return backend.connections;
    };
    const { agent } = await started(backend);
    const server = createAgentServer({ agent, token: 'secret-token-0123456789', backendName: 'memory', tickMs: 20 });
    const url = `http://127.0.0.1:${await server.listen(0)}`;
    cleanup.push(() => server.close());
    const s = client(url, 'secret-token-0123456789');
    const asked = Array.from({ length: MAX_QUERIES_IN_FLIGHT + 4 }, (_, i) =>
      s.timeout(5000).emitWithAck('conns:query', { offset: i }),
    );
    const refused = await Promise.race(asked);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', message: expect.stringMatching(/at most 64/) },
    });
    release();
    const codes = (await Promise.all(asked)).map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(MAX_QUERIES_IN_FLIGHT);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(4);
    expect(await s.timeout(5000).emitWithAck('conns:query', {})).toMatchObject({ ok: true });
  });
});
