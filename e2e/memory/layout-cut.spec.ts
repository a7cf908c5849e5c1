// Text an operator needs is never cut while its page has room: the Overview's scheduler and persistence at 1440 and
// 1920 px, the History's target and what changed at 1024 px, the Connections filters' hints at 1024 px.
// Also the service page at 1024 px: its tiles, its small charts' titles and the share column's window.
import type { Locator } from '@playwright/test';
import { edit, expect, expectLive, serviceUrl, test, WEB_REAL_SERVER, WEB_SERVICE } from '../support/fixtures';

/** The cells among `cells` whose content is wider than the cell (cut, or hidden behind an ellipsis), by their text. */
async function cut(cells: Locator): Promise<string[]> {
  return cells.evaluateAll((tds) =>
    tds.filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => (td as HTMLElement).innerText),
  );
}

for (const width of [1440, 1920]) {
  test(`overview at ${width} px: no scheduler or persistence is cut`, async ({ page, stack }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/');
    await expectLive(page);
    const rows = page.getByTestId(`services-${stack.director}`).locator('tbody tr[data-service]');
    await expect(rows.first()).toBeVisible();
    // columns: service, forward, scheduler, persistence (shown from 1280 px), ...
    // the seed's 10.1.0.10:1813 (mh fallback,port OPS; 200 s, pe sip) was cut in both at 1440 and 1920 px
    expect(await cut(rows.locator('td:nth-child(3)'))).toEqual([]);
    expect(await cut(rows.locator('td:nth-child(4)'))).toEqual([]);
  });
}

test('history at 1024 px: a change shows its whole target, real server included, and what changed', async ({
  page,
  stack,
}) => {
  const r = await edit(stack.url, stack.director, {
    kind: 'set-weight',
    service: WEB_SERVICE,
    destination: WEB_REAL_SERVER,
    weight: 2,
  });
  expect(r.ok).toBe(true);
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.goto('/history');
  const target = page.getByTestId('audit-target').first();
  await expect(target).toContainText(`${WEB_REAL_SERVER.address}:${WEB_REAL_SERVER.port}`);
  // the real server and "weight 1 → 2" were cut behind an ellipsis
  expect(await cut(page.getByTestId('audit-target'))).toEqual([]);
  const gist = await target.getByTestId('audit-gist').boundingBox();
  const cell = await target.boundingBox();
  expect(gist?.width ?? 0).toBeGreaterThan(0);
  expect((gist?.x ?? 0) + (gist?.width ?? 0)).toBeLessThanOrEqual((cell?.x ?? 0) + (cell?.width ?? 0));
  await expect(target.getByTestId('audit-gist')).toHaveText('weight 1 → 2');
});

test("connections at 1024 px: each filter box's hint is readable whole", async ({ page, stack }) => {
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.goto(`/directors/${encodeURIComponent(stack.director)}/connections`);
  const boxes = page.getByRole('search', { name: 'Filter the connections' }).locator('input[placeholder]');
  await expect(boxes).toHaveCount(3);
  // the placeholder's drawn width against the room inside the box ("address or address:po" before)
  const overflowing = await boxes.evaluateAll((inputs) => {
    const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
    return (inputs as HTMLInputElement[])
      .filter((input) => {
        const s = getComputedStyle(input);
        ctx.font = s.font;
        const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
        return ctx.measureText(input.placeholder).width > room;
      })
      .map((input) => input.placeholder);
  });
  expect(overflowing).toEqual([]);
});

test('account at 1024 px: each session names its client whole', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.goto('/account');
  const clients = page.getByTestId('session-row').locator('td:nth-child(2)');
  await expect(clients.first()).toContainText(/Chrome/);
  // beside the password form the client column was ~30 px: "C…"
  expect(await cut(clients)).toEqual([]);
  for (const box of await clients.evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().width)))
    expect(box).toBeGreaterThan(200);
});

test('service page at 1024 px: the tiles, the chart titles and the share window read whole', async ({
  page,
  stack,
}) => {
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  await expect(page.getByTestId('dest-charts').locator('figcaption').first()).toBeVisible();
  // "Conns since z…", the small charts' "Pack…" and "last 3 min, 665 n…" were cut
  expect(await cut(page.getByTestId('service-counters').locator('dt'))).toEqual([]);
  expect(await cut(page.locator('figcaption > span:first-child'))).toEqual([]);
  expect(await cut(page.getByTestId('share-window'))).toEqual([]);
});
