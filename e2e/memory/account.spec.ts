import type { APIRequestContext, BrowserContext } from '@playwright/test';
import { expect, test } from '../support/fixtures';

// Changing a password and signing out everywhere end sessions: these tests use an account of their own, never the
// shared e2e accounts the other tests sign in with.
test.use({ role: 'admin' });

const PASSWORD = 'first-password-123';
const NEW_PASSWORD = 'second-password-456';

async function createAccount(request: APIRequestContext, name: string): Promise<void> {
  const r = await request.post('/api/v1/users', { data: { name, password: PASSWORD, role: 'operator' } });
  expect(r.status(), await r.text()).toBe(201);
}

async function signInAs(context: BrowserContext, url: string, name: string, password: string): Promise<void> {
  await context.clearCookies();
  const r = await context.request.post(`${url}/api/v1/auth/login`, { data: { name, password } });
  expect(r.status(), await r.text()).toBe(200);
}

/** Another browser signing in as the same person (the test's own Node.js fetch). */
async function otherSession(url: string, name: string, password: string): Promise<void> {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'curl/8.5.0' },
    body: JSON.stringify({ name, password }),
  });
  expect(r.status).toBe(200);
}

test('account: name and role, sessions with "this session", end one, change the password with field errors', async ({
  page,
  context,
  stack,
  shot,
}) => {
  const name = `acct-${Date.now().toString(36)}`;
  await createAccount(page.request, name);
  await signInAs(context, stack.url, name, PASSWORD);
  await otherSession(stack.url, name, PASSWORD);

  await page.goto('/account');
  await expect(page.getByTestId('account-name')).toHaveText(name);
  await expect(page.getByTestId('account-role')).toHaveText('operator');
  const rows = page.getByTestId('session-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute('data-current', 'true');
  await expect(rows.first()).toContainText('this session');
  await expect(rows.first()).toContainText('Chrome');
  await expect(rows.nth(1)).toContainText('curl 8.5.0');
  await shot('account');

  await rows.nth(1).getByRole('button', { name: 'End' }).click();
  await expect(rows).toHaveCount(1);

  // Field errors: the browser's own checks, then the server's verdict on the current password.
  await page.getByLabel('Current password').fill('not-my-password');
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('New password again').fill('shorter');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('error-pw-new')).toHaveText('must be at least 10 characters');
  await expect(page.getByTestId('error-pw-again')).toHaveText('does not match the new password');
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('error-pw-current')).toHaveText('wrong password');
  await shot('account-password-errors');

  await otherSession(stack.url, name, PASSWORD);
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('password-done')).toHaveText('Password changed. 1 other session was signed out.');
  await expect(rows).toHaveCount(1);
  // This session lives on; the old password no longer works, the new one does.
  await page.reload();
  await expect(page.getByTestId('account-name')).toHaveText(name);
  const old = await fetch(`${stack.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: PASSWORD }),
  });
  expect(old.status).toBe(401);
  await otherSession(stack.url, name, NEW_PASSWORD);
});

test('sign out everywhere ends every session and lands on the login page; a live page follows session:ended', async ({
  page,
  context,
  browser,
  stack,
}) => {
  const name = `everywhere-${Date.now().toString(36)}`;
  await createAccount(page.request, name);
  await signInAs(context, stack.url, name, PASSWORD);

  // A second browser on the overview: its socket gets session:ended and it goes to the login page.
  const second = await browser.newContext({ baseURL: stack.url });
  await signInAs(second, stack.url, name, PASSWORD);
  const watcher = await second.newPage();
  await watcher.goto('/history');
  await expect(watcher.getByTestId('history-count')).not.toHaveText('Loading…');

  await page.goto('/account');
  await expect(page.getByTestId('session-row')).toHaveCount(2);
  await page.getByTestId('logout-all').click();
  await expect(page).toHaveURL(/\/login/);
  await expect(watcher).toHaveURL(/\/login\?next=%2Fhistory/);
  await second.close();

  // Signed out for real: pages redirect to the login again.
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=%2Faccount/);
});
