// What anyone can make the dashboard hold or do before and after signing in: small bodies on public routes, larger
// ones only where a signed-in route needs them, imports capped in rules, errors that never echo a whole body.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from './stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('request bodies', () => {
  it('refuses a 1 MiB sign-in body as too large, naming the limit, without reading it as a login', async () => {
    const r = await stack.api('/api/v1/auth/login', {
      method: 'POST',
      body: { name: 'admin', password: 'x'.repeat(1024 * 1024) },
    });
    expect(r.status).toBe(413);
    expect(await r.json()).toMatchObject({
      error: { code: 'invalid', field: 'body', message: expect.stringMatching(/at most 4 KiB/) },
    });
  });

  it('stops reading a sign-in body sent without a length once it passes the limit', async () => {
    const url = new URL('/api/v1/auth/login', stack.url);
    const status = await new Promise<number | 'closed'>((resolve) => {
      const req = httpRequest(url, {
        method: 'POST',
        headers: { origin: stack.url, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve('closed'));
      req.write('{"name":"admin","password":"');
      for (let i = 0; i < 64; i++) req.write('x'.repeat(16 * 1024));
      req.end('"}');
    });
    expect(status).toBe(413);
  });

  it('keeps signed-in routes at 64 KiB unless they need more: imports take a large rules text', async () => {
    const cookie = await stack.login('admin');
    const edit = await stack.api('/api/v1/directors/lab/edits', {
      method: 'POST',
      cookie,
      body: { version: 0, edit: { kind: 'zero' }, pad: 'x'.repeat(100 * 1024) },
    });
    expect(edit.status).toBe(413);
    const rules = `# ${'x'.repeat(200 * 1024)}\n-A -t 10.1.0.10:80 -s wrr\n`;
    const preview = await stack.api('/api/v1/directors/lab/import/preview', {
      method: 'POST',
      cookie,
      body: { rules },
    });
    expect(preview.status).toBe(200);
  });
});

describe('socket messages', () => {
  it('refuses a 512 KiB message on a not yet signed-in long-polling session', async () => {
    const open = await fetch(`${stack.url}/socket.io/?EIO=4&transport=polling`);
    const sid = /"sid":"([^"]+)"/.exec(await open.text())?.[1];
    expect(sid).toBeTruthy();
    const r = await fetch(`${stack.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: `4${'x'.repeat(512 * 1024)}`,
    }).catch(() => null);
    expect(r?.status ?? 413).toBe(413);
  });
});

/** `services` virtual services with 99 real servers each: 100 rules per service. */
function manyRules(services: number): string {
  const lines: string[] = [];
  for (let s = 0; s < services; s++) {
    const vip = `10.1.${s >> 8}.${s & 255}`;
    lines.push(`-A -t ${vip}:80 -s wrr`);
    for (let d = 0; d < 99; d++) lines.push(`-a -t ${vip}:80 -r 10.2.${d}.${s & 255}:80 -m -w 1`);
  }
  return `${lines.join('\n')}\n`;
}

describe('imports', () => {
  it('refuses more than 50,000 rules, naming the limit and the field, in a short answer', async () => {
    const cookie = await stack.login('operator');
    const rules = '-A -t 10.1.0.10:80 -s wrr\n'.repeat(50_001);
    const r = await stack.api('/api/v1/directors/lab/import/preview', { method: 'POST', cookie, body: { rules } });
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(text.length).toBeLessThan(500);
    expect(JSON.parse(text)).toMatchObject({
      error: { code: 'invalid', field: 'rules', message: expect.stringMatching(/at most 50,000 rules/) },
    });
  });

  it('never echoes more than a short excerpt of a bad rule', async () => {
    const cookie = await stack.login('operator');
    for (const rules of [`-X${'y'.repeat(500_000)}\n`, `-A -t 10.1.0.10:80 -s ${'z'.repeat(500_000)}\n`]) {
      const r = await stack.api('/api/v1/directors/lab/import/preview', { method: 'POST', cookie, body: { rules } });
      expect(r.status).toBe(400);
      const { error } = (await r.json()) as { error: { field: string; message: string } };
      expect(error.field).toBe('rules');
      expect(error.message.length).toBeLessThanOrEqual(210);
    }
  });

  it('answers other requests while a 20,000-rule preview is being worked out', async () => {
    const cookie = await stack.login('operator');
    const finished: string[] = [];
    const preview = stack
      .api('/api/v1/directors/lab/import/preview', { method: 'POST', cookie, body: { rules: manyRules(200) } })
      .then(async (r) => {
        expect(r.status).toBe(200);
        expect(await r.json()).toMatchObject({ added: expect.any(Array) });
        finished.push('preview');
      });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const me = await stack.api('/api/v1/auth/me', { cookie });
    finished.push('me');
    expect(me.status).toBe(200);
    await preview;
    expect(finished).toEqual(['me', 'preview']);
  });
});
