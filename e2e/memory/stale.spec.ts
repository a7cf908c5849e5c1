import { STALE_AFTER_MS } from '../../lib/staleness';
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
  // The header's pill is this browser's link to the dashboard server, and says so; the director's status is its own.
  const badge = page.getByTestId('connection-badge');
  await expect(badge).toHaveText(/^Dashboard:\s+connected$/);
  await expect(badge).toHaveAttribute('title', /not to a director/);
  const card = page.getByTestId(`director-${stack.director}`);
  await expect(card.getByTestId('director-banner')).toHaveCount(0);
  await control('/agent/stop');
  const banner = card.getByTestId('director-banner');
  await expect(banner).toBeVisible({ timeout: 3000 });
  await expect(banner).toContainText('lab is unreachable');
  await expect(card.locator('[data-stale="true"]')).toHaveCount(1);
  await expect(card.getByTestId('director-status')).toHaveAttribute('data-status', 'unreachable');
  // No new service for a director nobody can reach: the button says why.
  const add = card.getByRole('button', { name: 'Add service' });
  await expect(add).toBeDisabled();
  await expect(add).toHaveAttribute('title', /lab is unreachable/);
  // the banner says how old the numbers are
  await expect(banner).toContainText(/are from \d\d:\d\d:\d\d \(\d+ s ago\) and are not live/, { timeout: 10_000 });
  await shot('overview-unreachable');

  await control('/agent/start');
  await expect(banner).toHaveCount(0, { timeout: 10_000 });
  await expectLive(page);
  await expect(card.locator('[data-stale="true"]')).toHaveCount(0);
  await expect(add).toBeEnabled();
});

test('an agent that stops updating is shown stale within 2.5 s + a tick and the 1.5 s hold, on the service page too', async ({
  page,
  stack,
  control,
  shot,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  await control('/agent/pause');
  const banner = page.getByTestId('director-banner');
  // The hub and the page call a director stale after STALE_AFTER_MS (2.5 s) without an update (the agent pushes one
  // per 1 s tick): the last update may have landed just before the pause, so allow 2 s more, and the page shows a flip
  // to stale once it has lasted 1.5 s (HEALTH_HOLD_MS in components/realtime/hooks.ts).
  await expect(banner).toBeVisible({ timeout: STALE_AFTER_MS + 2000 + 1500 });
  await expect(banner).toContainText('lab is stale');
  await expect(page.locator('[data-stale="true"]').first()).toBeVisible();
  // Weights cannot be changed from numbers that are not live, nor can services and real servers, and the buttons say why.
  await expect(page.getByRole('slider', { name: 'Weight of 10.2.0.11:80' })).toBeDisabled();
  for (const name of ['Add real server', 'Edit service', 'Delete service']) {
    const button = page.getByRole('button', { name, exact: true });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', /^lab is stale: /);
  }
  await shot('service-stale');
  await control('/agent/resume');
  await expect(banner).toHaveCount(0, { timeout: 10_000 });
  await expect(page.getByRole('slider', { name: 'Weight of 10.2.0.11:80' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Add real server' })).toBeEnabled();
});

test('a director flapping between live and stale for a minute moves nothing on the service page (CLS < 0.01)', async ({
  page,
  stack,
  control,
}) => {
  test.setTimeout(150_000);
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  await page.evaluate(() => {
    const w = window as unknown as { cls: number; shifts: number };
    w.cls = 0;
    w.shifts = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (e.hadRecentInput) continue;
        w.cls += e.value;
        w.shifts++;
      }
    }).observe({ type: 'layout-shift' });
  });
  const banner = page.getByTestId('director-banner');
  let staleShown = 0;
  // A minute of ticks: the agent pauses long enough to be judged stale, comes back, and pauses again.
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    // The sleeps are the flapping itself: 6 s paused (stale), 4 s running (live), for a minute.
    await control('/agent/pause');
    await page.waitForTimeout(6000);
    if (await banner.isVisible()) staleShown++;
    await control('/agent/resume');
    await page.waitForTimeout(4000);
  }
  expect(staleShown).toBeGreaterThan(2);
  const { cls, shifts } = await page.evaluate(() => {
    const w = window as unknown as { cls: number; shifts: number };
    return { cls: w.cls, shifts: w.shifts };
  });
  expect(cls, `${shifts} layout shifts`).toBeLessThan(0.01);
});
