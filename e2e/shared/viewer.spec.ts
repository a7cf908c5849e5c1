import { chartsDrawn, expect, expectLive, serviceUrl, test } from '../support/fixtures';

test.use({ role: 'viewer' });

const DEST = '10.2.0.11:80';

test('a viewer sees the weight slider and the change buttons disabled, with the reason', async ({
  page,
  stack,
  shot,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  const slider = page.getByRole('slider', { name: `Weight of ${DEST}` });
  await expect(slider).toBeDisabled();
  await expect(slider).toHaveAttribute('title', 'viewers cannot change weights');
  await expect(page.getByLabel(`Weight of ${DEST}, exact value`)).toBeDisabled();
  await expect(page.getByTestId(`weight-${DEST}`)).toContainText('view only');
  for (const name of ['Add real server', 'Edit service', 'Delete service']) {
    const button = page.getByRole('button', { name });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', /viewers cannot change/);
  }
  const row = page.locator(`tr[data-dest="${DEST}"]`);
  for (const name of ['Drain', 'Edit', 'Remove'])
    await expect(row.getByRole('button', { name, exact: true })).toBeDisabled();
  await chartsDrawn(page);
  await shot('service-viewer');

  await page.goto('/');
  await expectLive(page);
  await expect(page.getByRole('button', { name: 'Add service' })).toBeDisabled();
});

test('a viewer gets the "needs the admin role" page on /admin/users and no restore or import on /snapshots', async ({
  page,
  stack,
}) => {
  await page.goto('/admin/users');
  await expect(page.getByTestId('needs-admin')).toContainText('Managing accounts needs the admin role');
  await expect(page.getByTestId('needs-admin')).toContainText('viewer (viewer)');

  await page.goto(`/snapshots?director=${stack.director}`);
  await expect(page.getByTestId('live-table')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save snapshot' })).toBeDisabled();
  await expect(page.getByTestId('save-status')).toHaveText('Needs the operator role.');
  await page.locator('#import-rules').fill('-A -t 10.1.0.10:80 -s wrr');
  await expect(page.getByTestId('import-preview')).toBeDisabled();
  await expect(page.getByTestId('import-apply')).toBeDisabled();
  await expect(page.getByTestId('restore')).toHaveCount(0);
});
