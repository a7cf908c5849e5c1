import { edit, expect, tableOf, test } from '../support/fixtures';

const SVC = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
const W11 = { address: '10.2.0.11', port: 80 } as const;

async function weight11(url: string, director: string): Promise<number | undefined> {
  const state = await tableOf(url, director);
  return state.services
    .find((s) => s.protocol === 'tcp' && s.port === 80 && s.address === '10.1.0.10')
    ?.destinations.find((d) => d.address === '10.2.0.11')?.weight;
}

test('an operator saves a snapshot and previews its restore, but cannot restore', async ({ page, stack, shot }) => {
  const name = `operator-${Date.now().toString(36)}`;
  await page.goto('/snapshots');
  await expect(page.getByLabel('Director')).toHaveValue(stack.director);
  await page.getByLabel('Save the live table as a snapshot').fill(name);
  await page.getByRole('button', { name: 'Save snapshot' }).click();
  await expect(page.getByTestId('save-status')).toContainText(`“${name}”`);
  const row = page.getByTestId('snapshot-row').filter({ has: page.getByText(name, { exact: true }) });
  await expect(row).toContainText('manual');
  await expect(row).toContainText('operator');
  await expect(row.getByTestId('restore')).toHaveCount(0);

  await edit(stack.url, stack.director, { kind: 'set-weight', service: SVC, destination: W11, weight: 9 });
  await row.getByRole('button', { name: 'Preview restore' }).click();
  const dialog = page.getByTestId('restore-dialog');
  await expect(dialog.getByTestId('diff-summary')).toContainText('1 changed');
  await expect(dialog.getByTestId('plan')).toHaveText('ipvsadm -e -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1');
  await expect(dialog).toContainText('Restoring needs the admin role.');
  await expect(dialog.getByTestId('confirm-restore')).toHaveCount(0);
  await shot('snapshots-preview-operator');
});

test.describe('as an admin', () => {
  test.use({ role: 'admin' });

  test('restore: the dialog shows the plan first, progress while it runs, then the results; the table follows', async ({
    page,
    stack,
    control,
    shot,
  }) => {
    const name = `baseline-${Date.now().toString(36)}`;
    await page.goto(`/snapshots?director=${stack.director}`);
    await page.getByLabel('Save the live table as a snapshot').fill(name);
    await page.getByRole('button', { name: 'Save snapshot' }).click();
    const row = page.getByTestId('snapshot-row').filter({ has: page.getByText(name, { exact: true }) });
    await expect(row).toBeVisible();

    await edit(stack.url, stack.director, { kind: 'set-weight', service: SVC, destination: W11, weight: 9 });
    await edit(stack.url, stack.director, {
      kind: 'delete-service',
      service: { protocol: 'tcp', address: '10.1.0.10', port: 81 },
    });
    await row.getByTestId('restore').click();
    const dialog = page.getByTestId('restore-dialog');
    await expect(dialog).toContainText('automatic snapshot first');
    await expect(dialog.getByTestId('confirm-restore')).toHaveText('Restore: 2 operations');
    await shot('snapshots-restore-confirm');

    await control('/delay', '700');
    await dialog.getByTestId('confirm-restore').click();
    await expect(dialog.getByTestId('apply-progress')).toContainText(/Applying… [12] of 2 operations/);
    await shot('snapshots-restore-progress');
    await expect(dialog.getByTestId('apply-outcome')).toHaveAttribute('data-failed', 'false', { timeout: 20_000 });
    await control('/delay', '0');
    await expect(dialog.getByTestId('apply-results').locator('li[data-ok=true]')).toHaveCount(2);
    await expect.poll(() => weight11(stack.url, stack.director)).toBe(1);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByTestId('snapshot-row').filter({ hasText: `restore of snapshot` }).first()).toContainText(
      'auto',
    );

    // Delete, after a confirmation naming what goes.
    await row.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByTestId('delete-snapshot-dialog');
    await expect(confirm).toContainText('The live table is not touched.');
    await confirm.getByRole('button', { name: 'Delete snapshot' }).click();
    await expect(row).toHaveCount(0);
  });

  test('import: a rules error names the line next to the text; a kernel refusal shows per operation; roll back', async ({
    page,
    stack,
    control,
    shot,
  }) => {
    await page.goto(`/snapshots?director=${stack.director}`);
    const rules = page.locator('#import-rules');
    await rules.fill('-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r nowhere -m -w 1\n');
    await page.getByTestId('import-preview').click();
    await expect(page.getByTestId('error-import-rules')).toContainText('line 2');
    await expect(rules).toHaveAttribute('aria-invalid', 'true');
    await shot('snapshots-import-error');

    // The JSON export imports too. Two changes, the second of which the kernel refuses.
    const json = (await (await page.request.get(`/api/v1/directors/${stack.director}/export?format=json`)).json()) as {
      services: { port?: number; protocol: string; destinations: { address: string; weight: number }[] }[];
    };
    const s80 = json.services.find((s) => s.protocol === 'tcp' && s.port === 80);
    const s443 = json.services.find((s) => s.protocol === 'tcp' && s.port === 443);
    if (!s80?.destinations[0] || !s443?.destinations[0]) throw new Error('seed table changed');
    s80.destinations[0].weight = 4;
    s443.destinations[0].weight = 5;
    await rules.fill(JSON.stringify(json, null, 2));
    await page.getByTestId('import-preview').click();
    await expect(page.getByTestId('diff-summary')).toContainText('2 changed');
    await control('/fail-next', 'Memory allocation problem');
    // The first operation fails: nothing else runs after it.
    await page.getByTestId('import-apply').click();
    const outcome = page.getByTestId('import-run').getByTestId('apply-outcome');
    await expect(outcome).toHaveAttribute('data-failed', 'true');
    await expect(outcome.getByTestId('apply-kernel-error')).toHaveText('Memory allocation problem');
    await expect(outcome).toContainText('1 more operation not run after the failure');
    // The page brings the outcome and its roll back into view.
    await expect(page.getByTestId('rollback')).toBeInViewport();
    await shot('snapshots-import-failed');

    await page.getByTestId('rollback').click();
    await expect(page.getByTestId('rollback-outcome').getByTestId('apply-outcome')).toHaveAttribute(
      'data-failed',
      'false',
    );
    await expect(page.getByTestId('rollback')).toBeDisabled();
    await page.goto('/history?status=error');
    const failed = page.getByTestId('audit-row').first();
    await expect(failed.getByTestId('audit-error')).toContainText('Memory allocation problem');
  });
});
