import { expect, expectLive, serviceUrl, test } from '../support/fixtures';
import { agent, signalAgent, type Signalled } from '../support/lab-control';
import { deltaTimes, gapsOf, watchBanner, type BannerChange } from '../support/banner-watch';

test.afterEach(async ({ stack }) => {
  await agent(stack, 'start'); // continues a paused agent, restarts a stopped one; answers once it listens
});

/**
 * How long after the signal the banner `shown` (or went, `!shown`): between `best` and `worst` ms, the signal having
 * gone between s.after and s.before.
 */
function changeAfter(
  changes: BannerChange[],
  s: Signalled,
  shown: boolean,
): { best: number; worst: number; text: string } {
  const before = changes.filter((c) => c.t <= s.after).at(-1);
  if ((before?.shown ?? false) === shown)
    throw new Error(`the banner was already ${shown ? 'up' : 'gone'} at the signal`);
  const c = changes.find((c) => c.t > s.after && c.shown === shown);
  if (!c) throw new Error(`the banner never ${shown ? 'appeared' : 'went'} after the signal`);
  const [best, worst] = [c.t - s.before, c.t - s.after];
  return { best, worst, text: `${best}..${worst} ms after the signal` };
}

/**
 * Waits for a delta that has just arrived, so the pause lands right after an update: the worst case for the banner
 * (a full 2.5 s to go stale), and no banner of the agent's own making. Under TCG on a busy host a tick can take longer
 * than 2.5 s (each runs ipvsadm four times, every tenth eight), and the director then goes stale by itself until the
 * next delta.
 */
async function freshDelta(deltas: number[]): Promise<void> {
  await expect.poll(() => Date.now() - (deltas.at(-1) ?? 0) < 300, { timeout: 60_000, intervals: [50] }).toBe(true);
}

/** The last delta before the signal, and the longest gap between deltas in the 20 s before it. */
function updatesBefore(deltas: number[], s: Signalled): string {
  const before = deltas.filter((t) => t <= s.after && t > s.after - 20_000);
  const last = before.at(-1);
  return last === undefined
    ? 'no delta in the 20 s before the signal'
    : `the last delta ${s.after - last} ms before it, ${before.length} in the 20 s before, gaps up to ${Math.max(0, ...gapsOf(before))} ms`;
}

test('a frozen agent (SIGSTOP in the VM) shows the stale banner within 3 s; it clears when the agent continues', async ({
  page,
  stack,
  shot,
}) => {
  const deltas = deltaTimes(page);
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page, 60_000);
  const banner = page.getByTestId('director-banner');
  await page.waitForTimeout(10_000); // some ticks to report on
  const changes = await watchBanner(page, 'lab is stale');
  await freshDelta(deltas);
  await expect(banner).toHaveCount(0); // a slow tick's banner, gone with this delta

  const paused = await signalAgent(stack, 'pause');
  await expect(banner).toContainText('lab is stale', { timeout: 10_000 });
  const shown = changeAfter(await changes(), paused, true);
  console.log(`lab: stale banner ${shown.text} (${updatesBefore(deltas, paused)})`);
  // The dashboard calls a director stale 2.5 s after its last update (a timer set on each update), the page shows the
  // verdict as soon as it hears it (only the return to live is held), and the last update came before the SIGSTOP.
  expect(shown.worst).toBeLessThanOrEqual(3000);
  await expect(page.locator('[data-stale="true"]').first()).toBeVisible();
  await expect(page.getByRole('slider', { name: 'Weight of 10.2.0.11:80' })).toBeDisabled();
  await shot('service-stale');
  // It stays while the agent is frozen (a slow tick's would go with the next delta).
  await page.waitForTimeout(3000);
  expect((await changes()).filter((c) => c.t > paused.after)).toHaveLength(1);

  const resumed = await signalAgent(stack, 'resume');
  await expect(banner).toHaveCount(0, { timeout: 15_000 });
  console.log(`lab: stale banner gone ${changeAfter(await changes(), resumed, false).text}`);
  await expectLive(page);
  await expect(page.getByRole('slider', { name: 'Weight of 10.2.0.11:80' })).toBeEnabled();
});

test('a stopped agent (SIGTERM in the VM) shows the unreachable banner within 3 s; it clears when the agent is back', async ({
  page,
  stack,
  shot,
}) => {
  test.setTimeout(300_000); // node takes 10-50 s to start the agent again under TCG
  await page.goto('/');
  await expectLive(page, 60_000);
  const card = page.getByTestId(`director-${stack.director}`);
  const banner = card.getByTestId('director-banner');
  const changes = await watchBanner(page, 'lab is unreachable');

  const stopped = await signalAgent(stack, 'stop');
  await expect(banner).toContainText('lab is unreachable', { timeout: 10_000 });
  const shown = changeAfter(await changes(), stopped, true);
  console.log(`lab: unreachable banner ${shown.text}`);
  expect(shown.worst).toBeLessThanOrEqual(3000);
  await expect(card.getByTestId('director-status')).toHaveAttribute('data-status', 'unreachable');
  await shot('overview-unreachable');

  const asked = Date.now();
  await agent(stack, 'start');
  await expect(banner).toHaveCount(0, { timeout: 60_000 });
  const gone = (await changes()).find((c) => c.t > asked && !c.shown);
  console.log(`lab: unreachable banner gone ${(gone?.t ?? NaN) - asked} ms after the start request`);
  await expectLive(page);
  await expect(card.locator('[data-stale="true"]')).toHaveCount(0);
});
