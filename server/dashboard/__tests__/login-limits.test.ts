// Password guessing limits (sign-in and password change) and whose address a request comes from behind a proxy.
// Every stack is fresh: the limits are per dashboard. X-Forwarded-For values are only header text; all traffic goes
// to 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../../../lib/roles';
import type { RequestPolicy } from '../http/session-cookie';
import { PASSWORD, startStack, type TestStack } from './stack';

let stacks: TestStack[] = [];
afterEach(async () => {
  await Promise.all(stacks.map((s) => s.close()));
  stacks = [];
});

async function stack(policy: Partial<RequestPolicy> = {}): Promise<TestStack> {
  const s = await startStack({ policy });
  stacks.push(s);
  return s;
}

const login = (s: TestStack, name: Role | string, password: string, forwardedFor?: string) =>
  s.api('/api/v1/auth/login', {
    method: 'POST',
    body: { name, password },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });

// Each guess costs a scrypt hash (about 32 MiB, tens of ms): a busy machine needs more than the default 20 s.
describe('sign-in limits', { timeout: 90_000 }, () => {
  it('counts guesses before checking them: of 30 at once only 10 are checked, then even the right one waits', async () => {
    const s = await stack();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login(s, 'admin', `wrong guess ${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((c) => c === 401)).toHaveLength(10);
    expect(statuses.filter((c) => c === 429)).toHaveLength(20);
    const locked = await login(s, 'admin', PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(await locked.json()).toMatchObject({
      error: { message: expect.stringMatching(/too many wrong passwords: try again in 15 min/) },
    });
  });

  it('a right password from the address does not wipe its failures (9 wrong admin guesses, 1 viewer sign-in)', async () => {
    const s = await stack();
    const statuses: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) statuses.push((await login(s, 'admin', `wrong ${round}-${i}`)).status);
      statuses.push((await login(s, 'viewer', PASSWORD)).status);
    }
    expect(statuses.slice(0, 10)).toEqual([...Array<number>(9).fill(401), 200]);
    expect(statuses.slice(10, 11)).toEqual([401]);
    expect(statuses.slice(11)).toEqual(Array<number>(9).fill(429));
  });

  it('slows down one account guessed from many addresses, without locking its owner out for long', async () => {
    const s = await stack({ trustedProxies: ['127.0.0.1'] });
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(s, 'operator', `wrong ${i}`, `198.51.100.${i + 10}`)),
    );
    expect(guesses.map((r) => r.status)).toEqual(Array<number>(20).fill(401));
    const paused = await login(s, 'operator', PASSWORD, '198.51.100.200');
    expect(paused.status).toBe(429);
    expect(Number(paused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // another account from the same addresses is not affected
    expect((await login(s, 'viewer', PASSWORD, '198.51.100.10')).status).toBe(200);
  });

  it('limits wrong current passwords on password change like wrong sign-ins', async () => {
    const s = await stack();
    const cookie = await s.login('viewer');
    const change = (current: string) =>
      s.api('/api/v1/auth/password', {
        method: 'POST',
        cookie,
        body: { current, password: 'a new long passphrase 42' },
      });
    for (let i = 0; i < 10; i++) expect((await change(`wrong ${i}`)).status).toBe(400);
    const locked = await change(PASSWORD);
    expect(locked.status).toBe(429);
    expect((await s.api('/api/v1/auth/me', { cookie })).status).toBe(200);
  });
});

describe('client address behind a reverse proxy', { timeout: 90_000 }, () => {
  const sessionAddress = async (s: TestStack, forwardedFor: string) => {
    const r = await login(s, 'viewer', PASSWORD, forwardedFor);
    expect(r.status).toBe(200);
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
    const list = (await (await s.api('/api/v1/auth/sessions', { cookie })).json()) as {
      sessions: { address: string; current: boolean }[];
    };
    return list.sessions.find((x) => x.current)?.address;
  };

  it('takes the rightmost X-Forwarded-For entry a trusted proxy added, and none from other peers', async () => {
    const s = await stack({ trustedProxies: ['127.0.0.0/8'] });
    expect(await sessionAddress(s, '203.0.113.5, 198.51.100.7')).toBe('198.51.100.7');
    expect(await sessionAddress(s, '203.0.113.5, 198.51.100.7, 127.0.0.2')).toBe('198.51.100.7');
    // from a peer that is not a trusted proxy the header is ignored
    const direct = await stack({ trustedProxies: ['192.0.2.1'] });
    expect(await sessionAddress(direct, '198.51.100.7')).toBe('127.0.0.1');
  });

  it('a client rotating or spoofing the leftmost entry neither escapes the lock nor locks someone else out', async () => {
    const s = await stack({ trustedProxies: ['127.0.0.1'] });
    const admin = '198.51.100.9';
    const attacker = '198.51.100.66';
    for (let i = 0; i < 10; i++)
      expect((await login(s, 'viewer', `wrong ${i}`, `203.0.113.${i}, ${attacker}`)).status).toBe(401);
    expect((await login(s, 'viewer', 'wrong again', `203.0.113.99, ${attacker}`)).status).toBe(429);
    expect((await login(s, 'viewer', 'wrong again', `${admin}, ${attacker}`)).status).toBe(429);
    expect((await login(s, 'admin', PASSWORD, admin)).status).toBe(200);
  });
});
