// What every HTTP answer of the dashboard server carries and refuses: path decoding errors, security headers, and
// the Host allowlist against DNS rebinding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from './stack';

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
