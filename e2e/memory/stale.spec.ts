import { expect, expectLive, serviceUrl, test } from '../support/fixtures';
import { deltaTimes, gapsOf, watchBanner } from '../support/banner-watch';

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
  // the banner says how old the numbers are (once they are a second old)
  await expect(banner).toContainText(/are from \d\d:\d\d:\d\d \(\d+ s ago\) and are not live/);
  await shot('overview-unreachable');

  await control('/agent/start');
  await expect(banner).toHaveCount(0, { timeout: 10_000 });
  await expectLive(page);
  await expect(card.locator('[data-stale="true"]')).toHaveCount(0);
  await expect(add).toBeEnabled();
});

test('an agent that stops updating is shown stale 2.5 s after its last update, not later, on the service page too', async ({
  page,
  stack,
  control,
  shot,
}) => {
  const deltas = deltaTimes(page);
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  // The measure starts from the last update this page heard over its websocket: wait for one (the first ones may
  // come over long-polling, before the upgrade, where the page's websocket listener cannot see them).
  await expect.poll(() => deltas.length, { message: 'a director:delta over the websocket' }).toBeGreaterThan(0);
  const changes = await watchBanner(page, 'lab is stale');
  await control('/agent/pause');
  const banner = page.getByTestId('director-banner');
  await expect(banner).toBeVisible({ timeout: 6000 });
  const shown = (await changes()).find((c) => c.shown);
  // a tick already under way when the pause came may still land: the last update is the last one before the banner
  const last = deltas.filter((t) => t <= (shown?.t ?? 0)).at(-1);
  expect(shown && last).toBeTruthy();
  // The hub calls a director stale 2.5 s after its last update; the page shows that verdict as soon as it hears it
  // (a flip back to live is what waits, components/realtime/hooks.ts): 3 s leaves half a second to hear and draw it.
  const after = shown!.t - last!;
  console.log(
    `memory: stale banner ${after} ms after the last update (gaps ${gapsOf(deltas).slice(-5).join(', ')} ms)`,
  );
  expect(after).toBeLessThanOrEqual(3000);
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
    const w = window as unknown as { cls: number; shifts: number; moved: Record<string, number> };
    w.cls = 0;
    w.shifts = 0;
    w.moved = {};
    // Which element moved, by test id or tag and class: the failure message names the culprits.
    const describe = (n: Node | null) => {
      if (!(n instanceof Element)) return String(n?.nodeName);
      const id = n.closest('[data-testid]')?.getAttribute('data-testid');
      const heading = n.querySelector('h2,h3')?.textContent;
      return `${n.tagName.toLowerCase()}${heading ? ` "${heading}"` : ''}.${String(n.getAttribute('class')).slice(0, 40)}${id ? ` in ${id}` : ''}`;
    };
    type Rect = { y: number; height: number };
    type Shift = {
      value: number;
      hadRecentInput: boolean;
      startTime: number;
      sources?: { node: Node | null; previousRect: Rect; currentRect: Rect }[];
    };
    const t0 = performance.now();
    (w as unknown as { log: string[] }).log = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as Shift[]) {
        if (e.hadRecentInput) continue;
        w.cls += e.value;
        w.shifts++;
        for (const s of e.sources ?? []) w.moved[describe(s.node)] = (w.moved[describe(s.node)] ?? 0) + 1;
        if (e.value > 0.001)
          (w as unknown as { log: string[] }).log.push(
            `${Math.round(e.startTime - t0)} ms ${e.value.toFixed(4)}: ` +
              (e.sources ?? [])
                .map(
                  (s) =>
                    `${describe(s.node)} y ${s.previousRect.y}->${s.currentRect.y} h ${s.previousRect.height}->${s.currentRect.height}`,
                )
                .join('; '),
          );
      }
    }).observe({ type: 'layout-shift' });
  });
  const banner = page.getByTestId('director-banner');
  let staleShown = 0;
  // A minute of ticks: the agent pauses long enough to be judged stale, comes back, and pauses again.
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    await control('/agent/pause');
    await page.waitForTimeout(6000);
    if (await banner.isVisible()) staleShown++;
    await control('/agent/resume');
    await page.waitForTimeout(4000);
  }
  expect(staleShown).toBeGreaterThan(2);
  const { cls, shifts, moved, log } = await page.evaluate(() => {
    const w = window as unknown as { cls: number; shifts: number; moved: Record<string, number>; log: string[] };
    return { cls: w.cls, shifts: w.shifts, moved: w.moved, log: w.log };
  });
  for (const line of log) console.log(`memory: shift at ${line}`);
  console.log(`memory: flapping for 60 s: CLS ${cls.toFixed(4)} in ${shifts} layout shifts ${JSON.stringify(moved)}`);
  expect(cls, `${shifts} layout shifts, moved: ${JSON.stringify(moved)}`).toBeLessThan(0.01);
});
