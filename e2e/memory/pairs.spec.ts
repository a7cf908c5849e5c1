// The Overview grouped by pair: a second simulated director (its own `lvs-agent serve --simulated` on 127.0.0.1) is
// paired with the lab's; the pair shows first, its members side by side with their sync daemon and connections, then
// their tables, and the drift updates live (pushed) when the backup is made to match and the master is edited.
// Pictures at 1024, 1440 and 1920 px, with nothing in the pair's header or members cut.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { edit, expect, expectLive, test, WEB_REAL_SERVER, WEB_SERVICE } from '../support/fixtures';
import { ROOT, start, stop, waitFor, type Proc } from '../support/processes';

const TOKEN = randomBytes(24).toString('base64url');
const NAME = `backup-${Date.now().toString(36)}`;
let second: { proc: Proc; url: string } | undefined;

test.beforeAll(async () => {
  const proc = start(
    'pairs-second-director',
    path.join(ROOT, 'node_modules/.bin/tsx'),
    ['server/agent/cli.ts', 'serve', '--simulated', '--listen', '127.0.0.1:0', '--token', TOKEN, '--name', NAME],
    {},
  );
  const url = await waitFor(
    'the second simulated director',
    120_000,
    async () => proc.output.map((l) => / on (http:\/\/127\.0\.0\.1:\d+) \(tick/.exec(l)?.[1]).find(Boolean),
    proc,
  );
  second = { proc, url };
});
test.afterAll(async () => {
  if (second) await stop(second.proc);
});

/** Elements of the pair's header and member boxes whose content is wider than they are (cut). */
async function cutInPair(page: Page): Promise<string[]> {
  return page
    .locator('section[data-pair] header *, [data-testid^="pair-member-"] *')
    .evaluateAll((els) =>
      els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => (e as HTMLElement).innerText),
    );
}

test.use({ role: 'admin' });
test.describe.configure({ timeout: 240_000 });

test('overview: a pair as a group, members side by side, drift live; pictures at 1024, 1440, 1920 px', async ({
  page,
  stack,
  shot,
}) => {
  const post = async (p: string, data: unknown) => {
    const r = await page.request.post(`${stack.url}${p}`, { data });
    expect(r.status(), await r.text()).toBeLessThan(300);
  };
  await post('/api/v1/fleet/directors', { name: NAME, url: second!.url, token: TOKEN });
  try {
    await post('/api/v1/pairs', { name: 'web', first: stack.director, second: NAME, mode: 'master-backup' });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/');
    await expectLive(page);
    const group = page.locator('section[data-pair="web"]');
    const master = group.getByTestId('pair-member-master');
    const backup = group.getByTestId('pair-member-backup');
    await expect(master).toHaveAttribute('data-director', stack.director);
    await expect(backup).toHaveAttribute('data-director', NAME);
    await expect(master.getByTestId('pair-member-conns')).toContainText('active');
    await expect(backup.getByTestId('pair-member-daemon')).not.toHaveText('—');
    // the pair comes before the directors in no pair, and holds both members' tables
    await expect(group.getByTestId(`director-${stack.director}`)).toBeVisible();
    await expect(group.getByTestId(`director-${NAME}`)).toBeVisible();
    await expect(group.getByTestId('pair-drift')).toHaveText(/^\d+ drift$/);

    // make the backup match: the drift clears without reloading the page (pushed)
    await group.getByRole('button', { name: `Make ${NAME} match` }).click();
    await page.getByTestId('match-pair').getByRole('button', { name: 'Apply the plan' }).click();
    await expect(group.getByTestId('pair-drift')).toHaveText('in step', { timeout: 15_000 });
    // an edit on the master shows as drift, live
    const r = await edit(stack.url, stack.director, {
      kind: 'set-weight',
      service: WEB_SERVICE,
      destination: WEB_REAL_SERVER,
      weight: 3,
    });
    expect(r.ok).toBe(true);
    await expect(group.getByTestId('pair-drift')).toHaveText('1 drift', { timeout: 10_000 });
    await expect(group.getByTestId('pair-drift-items')).toContainText('weight: 3 vs 1');

    for (const width of [1024, 1440, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      const [m, b] = [await master.boundingBox(), await backup.boundingBox()];
      // side by side: the same row, the backup to the right of the master
      expect(m && b && Math.abs(m.y - b.y) < 2 && b.x >= m.x + m.width - 1).toBe(true);
      expect(await cutInPair(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await shot(`pairs-overview-${width}`, { fullPage: true });
    }
  } finally {
    await page.request.delete(`${stack.url}/api/v1/pairs/web`);
    await page.request.delete(`${stack.url}/api/v1/fleet/directors/${NAME}`);
  }
});
