// The overview at 10,000 services redrew every row in sight on each table update and again on each second of the
// clock, and every row on each keystroke in the search box: its rows are memoised (a row's figures by its service
// object, its sparkline by the samples and the window), and the sparklines' window follows the updates while they come.
import { expect, expectLive, test } from '../support/fixtures';
import { deltaTimes } from '../support/banner-watch';
import { watchRenders } from '../support/render-watch';

const SID = 'tcp/10.1.0.10:80';

test('typing into the search box redraws no overview row that stays shown', async ({ page, stack }) => {
  const renders = await watchRenders(page);
  await page.goto('/');
  await expectLive(page);
  const card = page.getByTestId(`director-${stack.director}`);
  const row = card.locator(`tr[data-service="${SID}"]`);
  await expect(row.locator('svg[role=img]')).toBeVisible();
  const search = page.getByLabel('Search services');
  await search.click();
  await page.keyboard.type('10.1.0.10:80'); // every prefix matches the row
  await expect(row).toBeVisible();
  const { commits, places } = await renders();
  console.log(`search: ${commits} commits in key events, components by place ${JSON.stringify(places)}`);
  expect(commits).toBeGreaterThanOrEqual(12); // each key filtered the table: the watch saw them
  expect(Object.keys(places).filter((p) => p.startsWith('service:'))).toEqual([]);
});

test('the overview rows redraw once per table update at most: the clock leaves them', async ({ page, stack }) => {
  const renders = await watchRenders(page);
  const deltas = deltaTimes(page);
  await page.goto('/');
  await expectLive(page);
  await expect(
    page.getByTestId(`director-${stack.director}`).locator('tr[data-service] svg[role=img]').first(),
  ).toBeVisible();
  await page.waitForTimeout(2000); // the stored history has arrived
  const from = Date.now();
  await page.waitForTimeout(8000);
  const to = Date.now();
  const redraws = (await renders()).serviceCommits.filter((t) => t > from && t <= to).length;
  const updates = deltas.filter((t) => t > from && t <= to).length;
  console.log(`overview rows: ${redraws} redraws for ${updates} table updates in ${to - from} ms`);
  expect(updates).toBeGreaterThan(3);
  expect(redraws).toBeGreaterThan(0); // the rows do take the updates
  expect(redraws).toBeLessThanOrEqual(updates + 1);
});
