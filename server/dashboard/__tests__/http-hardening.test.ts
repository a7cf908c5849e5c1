// What every HTTP answer of the dashboard server carries and refuses: path decoding errors, security headers, and
// the Host allowlist against DNS rebinding.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketFor, startStack, type TestStack } from './stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('paths', () => {
  it('answers 400 naming the path part for a bad percent-encoding', async () => {
    const r = await stack.api('/api/v1/users/%E0%A4%A', { method: 'DELETE', cookie: await stack.login('admin') });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      error: { code: 'invalid', field: 'name', message: 'name: bad percent-encoding in the path' },
    });
  });
});

/** A GET with a Host header of our choosing (fetch does not let a caller set Host); the connection goes to 127.0.0.1. */
function getWithHost(path: string, host: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  const { port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('security headers', () => {
  it('puts a CSP that allows no script or framing, nosniff and no-referrer on API answers, errors included', async () => {
    for (const r of [await stack.api('/api/v1/openapi.json'), await stack.api('/api/v1/auth/me')]) {
      expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});

describe('Host allowlist (DNS rebinding)', () => {
  it('answers only to its own names and IP addresses', async () => {
    const { port } = new URL(stack.url);
    expect((await getWithHost('/api/v1/openapi.json', `127.0.0.1:${port}`)).status).toBe(200);
    expect((await getWithHost('/api/v1/openapi.json', `localhost:${port}`)).status).toBe(200);
    expect((await getWithHost('/api/v1/openapi.json', `evil.example:${port}`)).status).toBe(421);
    expect((await getWithHost('/api/v1/auth/me', 'evil.example')).status).toBe(421);
  });

  it('refuses a Socket.IO connection under another name', async () => {
    const cookie = await stack.login('viewer');
    const { port } = new URL(stack.url);
    await expect(socketFor(stack.url, { cookie, host: `evil.example:${port}` })).rejects.toThrow();
    const ok = await socketFor(stack.url, { cookie, host: `localhost:${port}` });
    ok.close();
  });
});
