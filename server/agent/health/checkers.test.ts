// Every check against real sockets on 127.0.0.1.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createServer as createTcp, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../../testing/self-signed';
import { CheckConfig, dnsAnswerHeader, type CheckKind } from '../../../lib/health';
import { runCheck } from './checkers';

const servers: { close(): unknown }[] = [];
let httpPort = 0;
let httpsPort = 0;
let dnsPort = 0;
const sniSeen: string[] = [];
const hostSeen: string[] = [];

function listen(s: Server): Promise<number> {
  servers.push(s);
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
}

const handler: Parameters<typeof createHttp>[1] = (req, res) => {
  hostSeen.push(req.headers.host ?? '');
  if (req.url === '/ok') res.end('status: ready\n');
  else if (req.url === '/fail') res.writeHead(500).end('broken');
  else if (req.url === '/slow') setTimeout(() => res.end('late'), 2000).unref();
  else res.writeHead(404).end();
};

beforeAll(async () => {
  httpPort = await listen(createHttp(handler));
  const dir = mkdtempSync(join(tmpdir(), 'health-tls-'));
  const tls = selfSignedCert(dir, 'rs.example.test');
  const https = createHttps(
    {
      ...tls,
      SNICallback: (name, cb) => {
        sniSeen.push(name);
        cb(null, undefined);
      },
    },
    handler,
  );
  httpsPort = await listen(https as unknown as Server);
  // a DNS responder: NOERROR for ok.test, NXDOMAIN for anything else, echoing the query's id
  const dns: UdpSocket = createSocket('udp4');
  servers.push(dns);
  dns.on('message', (msg, from) => {
    const h = dnsAnswerHeader(msg);
    if (!h) return;
    const name = msg.subarray(13, 13 + (msg[12] ?? 0)).toString();
    const reply = Buffer.from(msg);
    reply.writeUInt16BE(0x8180 | (name === 'ok' ? 0 : 3), 2);
    dns.send(reply, from.port, from.address);
  });
  dnsPort = await new Promise<number>((r) => dns.bind(0, '127.0.0.1', () => r(dns.address().port)));
});

afterAll(() => {
  for (const s of servers) s.close();
});

const kind = (check: unknown): CheckKind => CheckConfig.parse({ check, intervalMs: 5000 }).check;
const target = (port: number, timeoutMs = 1000) => ({
  address: '127.0.0.1',
  port,
  timeoutMs,
  service: 'tcp/10.1.0.10:80',
});

describe('HTTP and HTTPS checks', () => {
  it('passes on an expected status and a matching body, fails on 500, a wrong body and a slow server', async () => {
    expect(await runCheck(kind({ type: 'http', path: '/ok', bodyRegex: 'ready' }), target(httpPort))).toMatchObject({
      ok: true,
    });
    expect(await runCheck(kind({ type: 'http', path: '/fail' }), target(httpPort))).toMatchObject({
      ok: false,
      error: 'HTTP 500 Internal Server Error',
    });
    expect(
      await runCheck(kind({ type: 'http', path: '/fail', status: [200, { from: 500, to: 503 }] }), target(httpPort)),
    ).toMatchObject({ ok: true });
    expect(await runCheck(kind({ type: 'http', path: '/ok', bodyRegex: '^up$' }), target(httpPort))).toMatchObject({
      ok: false,
      error: 'HTTP 200: body does not match ^up$',
    });
    const slow = await runCheck(kind({ type: 'http', path: '/slow' }), target(httpPort, 200));
    expect(slow).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
    expect(slow.latencyMs).toBeLessThan(1500);
  });

  it('sends the Host header and SNI asked for; verifies the certificate only when told', async () => {
    const https = { type: 'https', path: '/ok', host: 'www.example.test', sni: 'rs.example.test' };
    expect(await runCheck(kind(https), target(httpsPort))).toMatchObject({ ok: true });
    expect(sniSeen).toContain('rs.example.test');
    expect(hostSeen).toContain('www.example.test');
    const verified = await runCheck(kind({ ...https, verifyTls: true }), target(httpsPort));
    expect(verified).toMatchObject({ ok: false, error: 'self-signed certificate' });
  });
});

describe('HTTP connections', () => {
  it('keeps the connection to a real server for its next checks, and connects again once the server closed it', async () => {
    let connections = 0;
    const rs = createHttp((_req, res) => res.end('ok'));
    rs.on('connection', () => connections++);
    const port = await listen(rs);
    const http = kind({ type: 'http', path: '/ok' });
    for (let i = 0; i < 3; i++) expect(await runCheck(http, target(port))).toMatchObject({ ok: true });
    expect(connections).toBe(1);
    rs.closeIdleConnections(); // between two checks: the next one must not fail on the closed connection
    expect(await runCheck(http, target(port))).toMatchObject({ ok: true });
    expect(await runCheck(kind({ type: 'http', path: '/again' }), target(port))).toMatchObject({ ok: true });
    expect(connections).toBe(2);
    const fresh = kind({ type: 'http', path: '/ok', reuseConnection: false }); // as keepalived: one per check
    for (let i = 0; i < 2; i++) expect(await runCheck(fresh, target(port))).toMatchObject({ ok: true });
    expect(connections).toBe(4);
  });
});

describe('TCP, DNS and command checks', () => {
  it('TCP: passes while something listens, fails with the reason once it is closed', async () => {
    const tcp = createTcp((s) => s.destroy());
    const port = await listen(tcp as unknown as Server);
    expect(await runCheck(kind({ type: 'tcp' }), target(port))).toMatchObject({ ok: true });
    await new Promise((r) => tcp.close(r));
    expect(await runCheck(kind({ type: 'tcp' }), target(port))).toMatchObject({
      ok: false,
      error: `connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('DNS: the expected rcode passes, another one fails naming it; no answer times out', async () => {
    expect(await runCheck(kind({ type: 'dns', name: 'ok.test' }), target(dnsPort))).toMatchObject({ ok: true });
    expect(await runCheck(kind({ type: 'dns', name: 'gone.test', queryType: 'AAAA' }), target(dnsPort))).toMatchObject({
      ok: false,
      error: 'DNS NXDOMAIN for gone.test AAAA',
    });
    expect(
      await runCheck(kind({ type: 'dns', name: 'gone.test', rcode: ['NXDOMAIN'] }), target(dnsPort)),
    ).toMatchObject({ ok: true });
    const quiet = createSocket('udp4');
    const port = await new Promise<number>((r) => quiet.bind(0, '127.0.0.1', () => r(quiet.address().port)));
    expect(await runCheck(kind({ type: 'dns', name: 'ok.test' }), target(port, 150))).toMatchObject({
      ok: false,
      error: 'timed out after 150 ms',
    });
    quiet.close();
  });

  it('command: exit 0 passes, another status fails with it and its stderr; a weight read from its output', async () => {
    const node = (code: string, dynamicWeight = false) =>
      kind({ type: 'command', argv: [process.execPath, '-e', code], dynamicWeight });
    expect(await runCheck(node('process.exit(0)'), target(80))).toMatchObject({ ok: true });
    expect(await runCheck(node('console.error("db down"); process.exit(3)'), target(80))).toMatchObject({
      ok: false,
      error: `${process.execPath}: exit status 3: db down`,
    });
    const env = await runCheck(node('console.log(process.env.LVS_RS_PORT)', true), target(42));
    expect(env).toMatchObject({ ok: true, weight: 42 });
    expect(await runCheck(node('console.log("lots")', true), target(80))).toMatchObject({
      ok: false,
      error: `${process.execPath}: expected a weight 0..65535 on its first line, got "lots"`,
    });
    expect(await runCheck(node('setTimeout(() => {}, 5000)'), target(80, 300))).toMatchObject({ ok: false });
  });
});
