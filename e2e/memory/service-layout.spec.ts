// The service page holds every chart's place from the first render that shows the table: the charts are drawn at
// low priority (deferred), and the page below them must not jump when they arrive.
import { expect, serviceUrl, test } from '../support/fixtures';

test('the per-real-server chart rows are laid out in the same render as the real-server table', async ({
  page,
  stack,
}) => {
  await page.addInitScript(() => {
    const w = window as unknown as { firstSight?: { tableRows: number; chartRows: number } };
    new MutationObserver((_, observer) => {
      const rows = document.querySelectorAll('[data-testid="real-servers"] tr[data-dest]').length;
      if (rows === 0) return;
      w.firstSight = {
        tableRows: rows,
        chartRows: document.querySelectorAll('[data-testid="dest-charts"] > *').length,
      };
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { firstSight?: unknown }).firstSight ?? null))
    .not.toBeNull();
  const seen = await page.evaluate(
    () => (window as unknown as { firstSight: { tableRows: number; chartRows: number } }).firstSight,
  );
  expect(seen.tableRows).toBeGreaterThan(0);
  expect(seen.chartRows, 'chart rows when the table first showed').toBe(seen.tableRows);
});
