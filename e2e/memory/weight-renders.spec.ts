// The service page of the 120,000-connection simulated director took seconds per keystroke in a weight box: the
// charts (a dozen Recharts) redrew on every render of the page, the clock's included, and kept the main thread busy.
import { expect, expectLive, serviceUrl, test } from '../support/fixtures';
import { deltaTimes } from '../support/banner-watch';
import { watchRenders } from '../support/render-watch';

test('typing into a weight box re-renders that box only: not the other rows or the page, and the charts not per key', async ({
  page,
  stack,
}) => {
  const renders = await watchRenders(page);
  const deltas = deltaTimes(page);
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  await expect(page.getByTestId('service-charts').locator('svg').first()).toBeVisible();
  const box = page.getByLabel('Weight of 10.2.0.11:80, exact value');
  await box.selectText();
  const started = Date.now();
  await page.keyboard.type('12345');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace');
  await expect(box).toHaveValue('');
  const took = Date.now() - started;
  await page.keyboard.press('Escape'); // undo: nothing is sent
  await expect(box).toHaveValue(/^\d+$/);
  const { commits, places } = await renders();
  // the director keeps ticking: a table update that lands while the keys are typed redraws the charts (new numbers)
  const updates = deltas.filter((t) => t >= started).length;
  console.log(
    `weight box: 10 keys in ${took} ms, ${commits} commits, ${updates} table updates meanwhile, components by place ${JSON.stringify(places)}`,
  );
  expect(commits).toBeGreaterThanOrEqual(11); // each key rendered the box: the watch sees them
  expect(Object.keys(places).filter((p) => p !== 'charts')).toEqual(['weight:10.2.0.11:80']);
  // The charts may be redrawn once among the keys (three charts: a table update's low-priority redraw can land there,
  // even one that arrived just before them), never once per key (30 before they were memoised and deferred).
  expect(places.charts ?? 0, `${updates} table updates meanwhile`).toBeLessThanOrEqual(3);
});

test('the charts redraw once per table update at most: the clock and other renders of the page leave them', async ({
  page,
  stack,
}) => {
  const renders = await watchRenders(page);
  const deltas = deltaTimes(page);
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  await expect(page.getByTestId('service-charts').locator('svg').first()).toBeVisible();
  await page.waitForTimeout(2000); // the stored history has arrived
  const from = Date.now();
  await page.waitForTimeout(8000);
  const to = Date.now();
  const redraws = (await renders()).chartCommits.filter((t) => t > from && t <= to).length;
  const updates = deltas.filter((t) => t > from && t <= to).length;
  console.log(`charts: ${redraws} redraws for ${updates} table updates in ${to - from} ms`);
  expect(updates).toBeGreaterThan(3);
  expect(redraws).toBeLessThanOrEqual(updates + 1);
});
