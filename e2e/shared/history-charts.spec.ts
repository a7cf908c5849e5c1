import { expect, expectLive, serviceUrl, test } from '../support/fixtures';

/** Points in the first line of a chart (a recharts path: one command per point). */
async function points(chart: import('@playwright/test').Locator): Promise<number> {
  const d = (await chart.locator('path.recharts-line-curve').first().getAttribute('d')) ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}

test('charts survive a reload (seeded from the stats history) and show longer ranges from it', async ({
  page,
  stack,
  shot,
}) => {
  const url = serviceUrl(stack.director, 'tcp/10.1.0.10:80');
  await page.goto(url);
  await expectLive(page);
  const first = page.getByTestId('service-charts').locator('figure').first();
  // the dashboard has recorded this director since it started: well over 10 ticks by now
  await expect.poll(() => points(first), { timeout: 30_000 }).toBeGreaterThan(10);

  await page.reload();
  await expectLive(page);
  // right after the reload the live chart already has the stored minutes, not one or two live ticks
  await expect.poll(() => points(first), { timeout: 5_000 }).toBeGreaterThan(10);

  await page.getByRole('radio', { name: '1 h' }).click();
  await expect(page.getByTestId('service-charts')).toHaveAttribute('data-range', '1h');
  await expect(page.getByRole('heading', { name: /Last 1 h/ })).toBeVisible();
  await expect.poll(() => points(first), { timeout: 10_000 }).toBeGreaterThan(10);
  await expect(first.locator('.recharts-cartesian-axis-tick-value').first()).toHaveText(/−\d+ min/);
  await shot('service-history-1h');
  await page.getByRole('radio', { name: '24 h' }).click();
  await expect(page.getByTestId('service-charts')).toHaveAttribute('data-range', '24h');
  await expect(first.locator('.recharts-cartesian-axis-tick-value').first()).toHaveText(/−\d+ h/);
});
