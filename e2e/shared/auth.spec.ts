// Sign-in and roles in the browser: a viewer cannot move a slider (disabled, and the server refuses the event), a
// request from another origin carrying the session cookie is refused, 10 wrong passwords lock the login, and the
// login page's next= never leads to another site.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { E2E_PASSWORD } from '../support/accounts';
import { expect, expectLive, serviceUrl, tableOf, test, withDashboardSocket } from '../support/fixtures';

const DEST = '10.2.0.11:80';
const SVC = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;

test.describe('as a viewer', () => {
  test.use({ role: 'viewer' });

  test('the weight slider is disabled and the server refuses the edit event', async ({ page, stack, shot }) => {
    await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
    await expectLive(page);
    await expect(page.getByTestId('user-role')).toHaveText('viewer');
    const slider = page.getByRole('slider', { name: `Weight of ${DEST}` });
    await expect(slider).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Drain' }).first()).toBeDisabled();
    await shot('viewer-service');
    const before = await tableOf(stack.url, stack.director);
    const r = await withDashboardSocket(
      stack.url,
      (emit) =>
        emit('service:update', {
          director: stack.director,
          request: {
            epoch: before.epoch,
            version: before.version,
            edit: { kind: 'set-weight', service: SVC, destination: { address: '10.2.0.11', port: 80 }, weight: 9 },
          },
        }),
      'viewer',
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/operator/) } });
    const after = await tableOf(stack.url, stack.director);
    const weight = (t: typeof after) =>
      t.services.find((s) => s.port === 80 && s.protocol === 'tcp')?.destinations.find((d) => d.address === '10.2.0.11')
        ?.weight;
    expect(weight(after)).toBe(weight(before));
  });
});

test('a page on another origin cannot use the session cookie to change anything', async ({ page, stack }) => {
  // An attacker's page on another port of the same host: same site, so the SameSite cookie alone would not stop it.
  const evil: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>evil</title>');
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  try {
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
    await page.goto(evilUrl);
    const target = `${stack.url}/api/v1/snapshots`;
    const answered = page.waitForResponse((r) => r.url() === target);
    await page.evaluate(
      (url) =>
        fetch(url, {
          method: 'POST',
          mode: 'no-cors',
          credentials: 'include',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ director: 'lab', name: 'csrf' }),
        }).catch(() => undefined),
      target,
    );
    expect((await answered).status()).toBe(403);
    const list = await page.request.get(`${stack.url}/api/v1/snapshots`);
    expect(((await list.json()) as { snapshots: { name: string }[] }).snapshots.map((s) => s.name)).not.toContain(
      'csrf',
    );
  } finally {
    evil.close();
  }
});

test('sign in and out through the login page; 10 wrong passwords lock the login for a while', async ({
  page,
  context,
  stack,
  shot,
}) => {
  await context.clearCookies();
  // The dashboards of the e2e stacks trust X-Forwarded-For (as behind a reverse proxy): this test gets an address of
  // its own, so the lockout does not hit the other tests' sign-ins. Only a header: no traffic goes to that address.
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 200) + 20}` });
  await page.goto('/');
  await expect(page).toHaveURL(/\/login\?next=%2F/);
  const name = page.getByLabel('Name');
  const password = page.getByLabel('Password');
  const submit = page.getByRole('button', { name: 'Sign in' });
  await name.fill('operator');
  for (let i = 1; i <= 10; i++) {
    await password.fill(`wrong password ${i}`);
    await submit.click();
    await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText(/wrong name or password/);
  }
  await password.fill('e2e-password-not-secret');
  await submit.click();
  await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText(
    /too many wrong passwords: try again in 15 min/,
  );
  await shot('login-locked');
  await expect(page).toHaveURL(/\/login/);

  // from another address the same account signs in, lands where it was going, and signs out
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '198.51.100.9' });
  await submit.click();
  await expect(page).toHaveURL(`${stack.url}/`);
  await expectLive(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get(`${stack.url}/api/v1/auth/me`)).status()).toBe(401);
});

test('after sign-in, a next= that a browser reads as another site leads to the dashboard instead', async ({
  page,
  context,
  stack,
}) => {
  // Should the check fail, the navigation is stopped here: no traffic leaves for that name.
  await page.route(
    (url) => url.hostname === 'evil.example',
    (r) => r.abort(),
  );
  for (const next of ['%2F%5Cevil.example%2F', '%2F%5C%2Fevil.example', '%2F%09%2Fevil.example']) {
    // the dashboard page of the round before sends itself to the sign-in page once its session is gone: left open,
    // that navigation may abort this round's page.goto
    await page.goto('about:blank');
    await context.clearCookies();
    await page.goto(`/login?next=${next}`);
    await page.getByLabel('Name').fill('viewer');
    await page.getByLabel('Password').fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${stack.url}/`);
  }
});

test('pages run under a nonce Content-Security-Policy without violations, and may not be framed', async ({
  page,
  stack,
}) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  const home = await page.goto('/');
  const headers = home!.headers();
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  await expectLive(page);
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  for (const path of ['/history', '/account']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  expect(violations).toEqual([]);
});
