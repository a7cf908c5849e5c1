// Pictures of the history, snapshots, account and users pages in the dark theme, for people to judge.
import { edit, expect, test } from '../support/fixtures';

test.use({ colorScheme: 'dark', role: 'admin' });

test('dark theme: history, snapshots with an import preview, account, users', async ({
  page,
  stack,
  control,
  shot,
}) => {
  const SVC = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
  await edit(stack.url, stack.director, {
    kind: 'set-weight',
    service: SVC,
    destination: { address: '10.2.0.11', port: 80 },
    weight: 3,
  });
  await control('/fail-next', 'Memory allocation problem');
  await edit(stack.url, stack.director, {
    kind: 'set-weight',
    service: SVC,
    destination: { address: '10.2.0.12', port: 80 },
    weight: 8,
  });
  await control('/reset'); // a change made outside the dashboard: recorded as "external"

  await page.goto('/history');
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expect(page.getByTestId('audit-row').filter({ hasText: 'external' }).first()).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('audit-row').filter({ hasText: 'external change' }).first().click();
  await page.getByTestId('audit-row').filter({ hasText: 'error' }).first().click();
  await shot('history-dark');

  await page.goto(`/snapshots?director=${stack.director}`);
  const exported = await (await page.request.get(`/api/v1/directors/${stack.director}/export?format=save`)).text();
  const changed = exported
    .replace(/^(-a -t 10\.1\.0\.10:80 -r 10\.2\.0\.11:80 -m -w )\d+$/m, '$15')
    .replace(/^-A -t 10\.1\.0\.10:81 -s lc\n/m, '')
    .concat('-A -u 10.1.0.10:5353 -s rr\n-a -u 10.1.0.10:5353 -r 10.2.0.11:5353 -m -w 1\n');
  await page.locator('#import-rules').fill(changed);
  await page.getByTestId('import-preview').click();
  await expect(page.getByTestId('table-diff')).toBeVisible();
  await page.getByTestId('import-panel').scrollIntoViewIfNeeded();
  await shot('snapshots-dark');

  await page.goto('/account');
  await expect(page.getByTestId('session-row').first()).toBeVisible();
  await shot('account-dark');

  await page.goto('/admin/users');
  await expect(page.getByTestId('user-row').first()).toBeVisible();
  await shot('users-dark');
});
