import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';

test.use({ role: 'admin' });

const W11 = /^(-a -t 10\.1\.0\.10:80 -r 10\.2\.0\.11:80 -m -w )\d+$/;
const R12 = /^-a -t 10\.1\.0\.10:80 -r 10\.2\.0\.12:80 /;
const ADDED = ['-A -t 10.1.0.10:8899 -s rr', '-a -t 10.1.0.10:8899 -r 10.2.0.11:8899 -m -w 1'];

/** The live table as the export route renders it, as sorted lines (the kernel lists services in its own order). */
async function liveLines(page: Page, director: string): Promise<string[]> {
  const r = await page.request.get(`/api/v1/directors/${director}/export?format=save`);
  expect(r.status()).toBe(200);
  return (await r.text()).split('\n').filter(Boolean).sort();
}

test('export the rules, change them, preview the import (added, removed, changed, plan), apply, then roll back', async ({
  page,
  stack,
  shot,
}) => {
  await page.goto(`/snapshots?director=${stack.director}`);
  await expect(page.getByTestId('live-table')).toContainText(`Live table of ${stack.director}`);

  // Export through the page's own link.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-save').click();
  const exported = readFileSync(await (await download).path(), 'utf8');
  expect(exported).toMatch(/^-A -t 10\.1\.0\.10:80 -s wrr$/m);
  const original = exported.split('\n').filter(Boolean);

  // One weight changed, one real server removed, one service added.
  const modified = original
    .filter((l) => !R12.test(l))
    .map((l) => l.replace(W11, '$17'))
    .concat(ADDED);
  expect(modified.filter((l) => l.endsWith('-w 7')).length).toBeGreaterThan(0);
  await page.getByTestId('import-file-input').setInputFiles({
    name: 'edited.rules',
    mimeType: 'text/plain',
    buffer: Buffer.from(`${modified.join('\n')}\n`),
  });
  await expect(page.getByTestId('import-file')).toHaveText('from edited.rules');
  await page.getByTestId('import-preview').click();

  const diff = page.getByTestId('table-diff');
  await expect(diff.getByTestId('diff-summary')).toContainText('1 service added');
  await expect(diff.getByTestId('diff-summary')).toContainText('0 removed');
  await expect(diff.getByTestId('diff-summary')).toContainText('1 changed');
  await expect(diff.locator('[data-kind=added][data-service="tcp/10.1.0.10:8899"]')).toContainText('10.2.0.11:8899');
  const changed = diff.locator('[data-kind=changed][data-service="tcp/10.1.0.10:80"]');
  await expect(changed.locator('li[data-kind=changed]')).toContainText(/10\.2\.0\.11:80\s*weight \d+ → 7/);
  await expect(changed.locator('li[data-kind=removed]')).toContainText('10.2.0.12:80');
  const plan = (await diff.getByTestId('plan').textContent())?.split('\n') ?? [];
  expect(plan).toEqual(
    expect.arrayContaining([
      'ipvsadm -e -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 7',
      'ipvsadm -d -t 10.1.0.10:80 -r 10.2.0.12:80',
      'ipvsadm -A -t 10.1.0.10:8899 -s rr',
      'ipvsadm -a -t 10.1.0.10:8899 -r 10.2.0.11:8899 -m -w 1',
    ]),
  );
  expect(plan).toHaveLength(4);
  await page.getByTestId('import-panel').scrollIntoViewIfNeeded();
  await shot('snapshots-import-preview');

  await page.getByTestId('import-apply').click();
  const outcome = page.getByTestId('import-run').getByTestId('apply-outcome');
  await expect(outcome).toHaveAttribute('data-failed', 'false', { timeout: 60_000 });
  await expect(outcome.getByTestId('apply-results').locator('li')).toHaveCount(4);
  await expect(outcome).toContainText('automatic snapshot');
  await expect.poll(() => liveLines(page, stack.director), { timeout: 30_000 }).toEqual([...modified].sort());
  await shot('snapshots-import-applied');

  // The automatic snapshot is in the list, and rolling back restores the exported table.
  await expect(page.locator('[data-testid=snapshot-row]', { hasText: 'before import of edited.rules' })).toBeVisible();
  await page.getByTestId('rollback').click();
  await expect(page.getByTestId('rollback-outcome').getByTestId('apply-outcome')).toHaveAttribute(
    'data-failed',
    'false',
    {
      timeout: 60_000,
    },
  );
  await expect.poll(() => liveLines(page, stack.director), { timeout: 30_000 }).toEqual([...original].sort());

  // Both show in the history as applies with the rules before and after.
  await page.goto(`/history?director=${stack.director}&user=admin`);
  const apply = page.getByTestId('audit-row').filter({ hasText: 'apply rules' }).nth(1);
  await expect(apply.getByTestId('audit-target')).toContainText('import of edited.rules');
  await apply.click();
  const rules = page.getByTestId('rules-diff');
  await expect(rules.locator('[data-kind=changed]')).toContainText('-w 7');
  await expect(rules.locator('[data-kind=added]').first()).toContainText('10.1.0.10:8899');
  await expect(rules.locator('[data-kind=removed]')).toContainText('10.2.0.12:80');
  await shot('history-apply');
});
