// Drain with a finish line against the simulated director: the time to empty from the falling count, the weight kept
// by the agent across its restart, and "remove when empty".
import { edit, expect, expectLive, serviceUrl, test } from '../support/fixtures';

test('a drained real server shows when it will be empty, and Restore puts the weight back after an agent restart', async ({
  page,
  stack,
  control,
  shot,
}) => {
  // the sum of active and inactive falls once TIME_WAIT entries expire (the kernel's 2 minutes, simulated)
  test.setTimeout(300_000);
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  const row = page.locator('tr[data-dest="10.2.0.12:80"]');
  await row.getByRole('button', { name: 'Drain' }).click();
  await expect(row.getByTestId('weight-10.2.0.12:80')).toHaveAttribute('data-weight', '0');
  // the count falls as the simulated clients' connections end: an estimate from the last minute's slope
  await expect(row.getByTestId('drain-eta')).toHaveText(/^empty in (about \d+ (s|min|h)|less than 5 s)$/, {
    timeout: 200_000,
  });
  await expect(row.getByRole('checkbox', { name: 'remove when empty' })).not.toBeChecked();
  await shot('drain-finish');
  // the agent keeps the weight from before the drain: a new run of it still offers it back
  await control('/agent/restart');
  await page.reload();
  await expectLive(page);
  await expect(row.getByRole('button', { name: 'Restore (w 3)' })).toBeVisible();
  await row.getByRole('button', { name: 'Restore (w 3)' }).click();
  await expect(row.getByTestId('weight-10.2.0.12:80')).toHaveAttribute('data-weight', '3');
});

test('"remove when empty" deletes the drained real server once its connections are gone', async ({
  page,
  stack,
  control,
}) => {
  // a real server no new connection reaches: its service gets no load
  await control('/load', JSON.stringify({ mix: { 'tcp/10.1.0.10:8000': 0 } }));
  const added = await edit(stack.url, stack.director, {
    kind: 'add-destination',
    service: { protocol: 'tcp', address: '10.1.0.10', port: 8000 },
    destination: { address: '10.2.0.77', port: 80, forward: 'masq', weight: 5 },
  });
  expect(added.ok).toBe(true);
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:8000'));
  await expectLive(page);
  const row = page.locator('tr[data-dest="10.2.0.77:80"]');
  await row.getByRole('button', { name: 'Drain' }).click();
  await expect(row.getByTestId('drain-eta')).toHaveText('empty');
  await row.getByRole('checkbox', { name: 'remove when empty' }).check();
  await expect(row).toHaveCount(0, { timeout: 15_000 });
  await page.goto('/history');
  await expect(page.getByTestId('audit-row').filter({ hasText: '10.2.0.77:80' }).first()).toBeVisible();
});
