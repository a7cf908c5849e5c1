// The agent's own HTTP client for checks, against real node:http servers on 127.0.0.1.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckConfig, type CheckKind } from '../../../lib/health';
import { runCheck } from './checkers';
import { HttpConnections, IDLE_CLOSE_MS, MAX_BODY, type HttpKind } from './http-check';

const open: Server[] = [];
const pools: HttpConnections[] = [];
afterEach(() => {
  for (const p of pools.splice(0)) p.closeAll();
  for (const s of open.splice(0)) s.close();
});

/** A real server; counts the connections it accepted and the ones that closed. */
async function realServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  open.push(server);
  const seen = { connections: 0, closed: 0, sockets: [] as Socket[] };
  server.on('connection', (s: Socket) => {
    seen.connections++;
    seen.sockets.push(s);
    s.on('close', () => seen.closed++);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, seen, server };
}

const kind = (check: unknown): HttpKind => CheckConfig.parse({ check, intervalMs: 5000 }).check as HttpKind;
const target = (port: number, timeoutMs = 2000) => ({ address: '127.0.0.1', port, timeoutMs, service: 'tcp/x:80' });
const until = async (done: () => boolean) => {
  while (!done()) await new Promise((r) => setImmediate(r));
};

function pool(now?: () => number): HttpConnections {
  const p = new HttpConnections(now);
  pools.push(p);
  return p;
}
const check = (p: HttpConnections, k: CheckKind, port: number) => p.check(k as HttpKind, target(port), () => undefined);

describe('HTTP checks on kept connections', () => {
  it('sends one GET with Host, User-Agent and keep-alive, and reuses the connection for the next checks', async () => {
    const requests: string[] = [];
    const rs = await realServer((req, res) => {
      requests.push(
        `${req.method} ${req.url} ${req.headers.host} ${req.headers['user-agent']} ${req.headers.connection}`,
      );
      res.end('ok');
    });
    const p = pool();
    for (let i = 0; i < 3; i++)
      expect(await check(p, kind({ type: 'http', path: '/a?b=1' }), rs.port)).toEqual({ ok: true });
    expect(requests).toEqual(Array(3).fill(`GET /a?b=1 127.0.0.1:${rs.port} lvs-agent-health keep-alive`));
    expect(rs.seen.connections).toBe(1);
  });

  it('reads a chunked body to its end, matching the regular expression across chunks', async () => {
    const rs = await realServer((_req, res) => {
      res.write('status: re');
      setImmediate(() => {
        res.write('ady, load 3');
        setImmediate(() => res.end('\n'));
      });
    });
    const p = pool();
    expect(await check(p, kind({ type: 'http', path: '/', bodyRegex: 'status: ready, load \\d' }), rs.port)).toEqual({
      ok: true,
    });
    expect(await check(p, kind({ type: 'http', path: '/', bodyRegex: 'load 4' }), rs.port)).toEqual({
      ok: false,
      error: 'HTTP 200: body does not match load 4',
    });
    expect(rs.seen.connections).toBe(1); // the chunked answer's end was found: the connection carried the second
  });

  it('connects again when the server closes the kept connection: at once, by Connection: close, or as it is reused', async () => {
    let mode: 'keep' | 'close-header' | 'drop-reused' = 'keep';
    const served = new WeakMap<Socket, number>();
    const rs = await realServer((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      // closed as the request arrives on the kept connection, without an answer (a server's idle close crossing it)
      if (mode === 'drop-reused' && n > 1) return req.socket.destroy();
      if (mode === 'close-header') res.setHeader('connection', 'close');
      res.end('ok');
    });
    const p = pool();
    const http = kind({ type: 'http', path: '/' });
    expect(await check(p, http, rs.port)).toEqual({ ok: true });
    rs.server.closeIdleConnections(); // between two checks
    await until(() => rs.seen.closed === 1);
    expect(await check(p, http, rs.port)).toEqual({ ok: true });
    expect(rs.seen.connections).toBe(2);
    mode = 'close-header';
    expect(await check(p, http, rs.port)).toEqual({ ok: true });
    expect(await check(p, http, rs.port)).toEqual({ ok: true });
    expect(rs.seen.connections).toBe(3); // the answer said close: the next check opened its own
    mode = 'drop-reused';
    expect(await check(p, http, rs.port)).toEqual({ ok: true }); // 3's answer said close: a new connection, 4
    expect(await check(p, http, rs.port)).toEqual({ ok: true }); // 4 dropped it: retried on 5
    expect(rs.seen.connections).toBe(5);
  });

  it('fails a server that closes every connection without answering; no retry on a new connection', async () => {
    const rs = await realServer((req) => req.socket.destroy());
    await expect(check(pool(), kind({ type: 'http', path: '/' }), rs.port)).rejects.toThrow(
      'connection closed before an answer',
    );
    expect(rs.seen.connections).toBe(1);
  });

  it('a slow answer times out and its connection is closed, not kept for the next check', async () => {
    let slow = true;
    const rs = await realServer((_req, res) => {
      if (slow) setTimeout(() => res.end('late'), 5000).unref();
      else res.end('ok');
    });
    const http = kind({ type: 'http', path: '/' });
    expect(await runCheck(http, target(rs.port, 100))).toMatchObject({ ok: false, error: 'timed out after 100 ms' });
    await until(() => rs.seen.closed === 1);
    slow = false;
    expect(await runCheck(http, target(rs.port))).toMatchObject({ ok: true });
    expect(rs.seen.connections).toBe(2);
  });

  it(`closes a connection idle for ${IDLE_CLOSE_MS / 1000} s (by the pool's clock), not one used since`, async () => {
    const rs = await realServer((_req, res) => res.end('ok'));
    let clock = 1_000_000;
    const p = pool(() => clock);
    const http = kind({ type: 'http', path: '/' });
    await check(p, http, rs.port);
    clock += IDLE_CLOSE_MS - 1;
    p.sweep();
    await check(p, http, rs.port); // kept: it was idle for less
    expect(rs.seen).toMatchObject({ connections: 1, closed: 0 });
    clock += IDLE_CLOSE_MS;
    p.sweep();
    expect(await check(p, http, rs.port)).toEqual({ ok: true }); // at once: not on the connection being closed
    await until(() => rs.seen.closed === 1);
    expect(rs.seen.connections).toBe(2);
    clock += IDLE_CLOSE_MS;
    p.sweep();
    await until(() => rs.seen.closed === 2);
    await check(p, http, rs.port);
    expect(rs.seen.connections).toBe(3);
  });

  it(`judges a body longer than ${MAX_BODY / 1024} KiB by its start, then closes the connection`, async () => {
    const rs = await realServer((_req, res) => res.end(`ready${'x'.repeat(MAX_BODY * 2)}`));
    const p = pool();
    expect(await check(p, kind({ type: 'http', path: '/', bodyRegex: '^ready' }), rs.port)).toEqual({ ok: true });
    expect(await check(p, kind({ type: 'http', path: '/', bodyRegex: 'y$' }), rs.port)).toMatchObject({ ok: false });
    expect(rs.seen.connections).toBe(2);
  });

  it('with reuseConnection off: Connection: close and a connection per check', async () => {
    const said: (string | undefined)[] = [];
    const rs = await realServer((req, res) => {
      said.push(req.headers.connection);
      res.end('ok');
    });
    const p = pool();
    const fresh = kind({ type: 'http', path: '/', reuseConnection: false });
    for (let i = 0; i < 3; i++) expect(await check(p, fresh, rs.port)).toEqual({ ok: true });
    expect(said).toEqual(['close', 'close', 'close']);
    expect(rs.seen.connections).toBe(3);
  });
});
