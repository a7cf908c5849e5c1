import { expect, expectLive, serviceUrl, test } from '../support/fixtures';

test.afterEach(async ({ control }) => {
  await control('/agent/start');
  await control('/agent/resume');
});

test('stopping the agent shows the unreachable banner within 3 s and greys the numbers; it clears when the agent returns', async ({
  page,
  stack,
  control,
  shot,
}) => {
  await page.goto('/');
  await expectLive(page);
  const card = page.getByTestId(`director-${stack.director}`);
  await expect(card.getByTestId('director-banner')).toHaveCount(0);
  await control('/agent/stop');
  const banner = card.getByTestId('director-banner');
  await expect(banner).toBeVisible({ timeout: 3000 });
  await expect(banner).toContainText('lab is unreachable');
  await expect(card.locator('[data-stale="true"]')).toHaveCount(1);
  await expect(card.getByTestId('director-status')).toHaveAttribute('data-status', 'unreachable');
  await page.waitForTimeout(2200); // the banner says how old the numbers are
  await expect(banner).toContainText(/are from \d\d:\d\d:\d\d \(\d+ s ago\) and are not live/);
  await shot('overview-unreachable');

  await control('/agent/start');
  await expect(banner).toHaveCount(0, { timeout: 10_000 });
  await expectLive(page);
  await expect(card.locator('[data-stale="true"]')).toHaveCount(0);
});

test('an agent that stops updating is shown stale within 2.5 s + a tick, on the service page too', async ({
  page,
  stack,
  control,
  shot,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  await control('/agent/pause');
  const banner = page.getByTestId('director-banner');
  // The hub calls a director stale after 2.5 s without an update (the agent pushes one per 1 s tick): the last update
  // may have landed just before the pause, so allow a tick more than the 3 s of a stopped agent.
  await expect(banner).toBeVisible({ timeout: 4500 });
  await expect(banner).toContainText('lab is stale');
  await expect(page.locator('[data-stale="true"]').first()).toBeVisible();
  // Weights cannot be changed from numbers that are not live.
  await expect(page.getByRole('slider', { name: 'Weight of 10.2.0.11:80' })).toBeDisabled();
  await shot('service-stale');
  await control('/agent/resume');
  await expect(banner).toHaveCount(0, { timeout: 10_000 });
  await expect(page.getByRole('slider', { name: 'Weight of 10.2.0.11:80' })).toBeEnabled();
});
