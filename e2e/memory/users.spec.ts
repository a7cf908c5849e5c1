import { expect, test } from '../support/fixtures';

test.describe('as an admin', () => {
  test.use({ role: 'admin' });

  test('users: add, change the role, set the password, refuse to demote the last admin, delete', async ({
    page,
    stack,
    shot,
  }) => {
    const name = `temp-${Date.now().toString(36)}`;
    await page.goto('/admin/users');
    const rows = page.getByTestId('user-row');
    await expect(rows.filter({ hasText: 'admin' }).first()).toBeVisible();
    for (const n of ['admin', 'operator', 'viewer']) await expect(page.locator(`tr[data-user="${n}"]`)).toBeVisible();
    await expect(page.locator('tr[data-user="admin"]')).toContainText('you');
    // the times are the browser's local ones: the headings say in which zone
    for (const heading of ['Created', 'Password set'])
      await expect(page.getByRole('columnheader', { name: new RegExp(`^${heading} \\(\\S+\\)$`) })).toBeVisible();

    // The form's own checks, then the server's (a name taken).
    await page.getByLabel('Name', { exact: true }).fill('viewer');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Add account' }).click();
    await expect(page.getByTestId('error-new-password')).toHaveText('must be at least 10 characters');
    await page.getByLabel('Password', { exact: true }).fill('a-good-password-1');
    await page.getByRole('button', { name: 'Add account' }).click();
    await expect(page.getByTestId('error-new-name')).toContainText('viewer');

    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Add account' }).click();
    const row = page.locator(`tr[data-user="${name}"]`);
    await expect(row).toBeVisible();
    await expect(page.getByTestId('users-notice')).toHaveText(`Added ${name}.`);
    await expect(page.getByLabel(`Role of ${name}`)).toHaveValue('viewer');

    await page.getByLabel(`Role of ${name}`).selectOption('operator');
    await expect(page.getByTestId('users-notice')).toHaveText(`${name} is now operator.`);
    await expect(page.getByLabel(`Role of ${name}`)).toHaveValue('operator');

    // The last admin cannot be demoted: the server's reason shows under that role.
    await page.getByLabel('Role of admin').selectOption('operator');
    await expect(page.locator('tr[data-user="admin"]').getByTestId('role-error')).toHaveText('admin is the last admin');
    await expect(page.getByLabel('Role of admin')).toHaveValue('admin');
    await shot('users');

    await row.getByRole('button', { name: 'Set password' }).click();
    const dialog = page.getByTestId('set-password-dialog');
    await dialog.getByLabel('New password', { exact: true }).fill('another-password-2');
    await dialog.getByLabel('New password again').fill('another-password-X');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await expect(dialog.getByTestId('error-set-password-again')).toHaveText('does not match the new password');
    await dialog.getByLabel('New password again').fill('another-password-2');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await expect(dialog).not.toBeVisible();
    const login = await fetch(`${stack.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: 'another-password-2' }),
    });
    expect(login.status).toBe(200);

    await row.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByTestId('delete-user-dialog');
    await expect(confirm).toContainText(`${name} (operator) can no longer sign in`);
    await shot('users-delete');
    await confirm.getByRole('button', { name: 'Delete account' }).click();
    await expect(row).toHaveCount(0);
    await expect(page.getByTestId('users-notice')).toHaveText(`Deleted ${name}.`);
  });

  test('at 1024 px every account reads whole: its name, role and both buttons inside the table', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto('/admin/users');
    const table = await page.getByTestId('users').boundingBox();
    for (const n of ['admin', 'operator', 'viewer']) {
      const row = page.locator(`tr[data-user="${n}"]`);
      const name = await row.locator('td').first().boundingBox();
      // the fixed columns once left the name's column 0 px wide and pushed the buttons out of the table's box
      expect(name?.width ?? 0).toBeGreaterThan(100);
      const del = await row.getByRole('button', { name: 'Delete' }).boundingBox();
      expect((del?.x ?? Infinity) + (del?.width ?? 0)).toBeLessThanOrEqual((table?.x ?? 0) + (table?.width ?? 0));
    }
  });
});

test('an operator gets "needs the admin role" on /admin/users, and the API refuses too', async ({ page, shot }) => {
  await page.goto('/admin/users');
  await expect(page.getByTestId('needs-admin')).toContainText('Managing accounts needs the admin role');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toHaveCount(0);
  const r = await page.request.get('/api/v1/users');
  expect(r.status()).toBe(403);
  await shot('users-needs-admin');
});
