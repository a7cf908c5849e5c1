// The Overview at narrow widths: every column keeps a readable width at 1024 px and up, the header cells never
// overlap, and on a 768 px tablet the services table scrolls sideways with its first column (the service) fixed.
import { expect, expectLive, serviceUrl, storedHistory, test } from '../support/fixtures';

interface Box {
  name: string;
  left: number;
  right: number;
  width: number;
  overflows: boolean;
}

async function headerBoxes(page: import('@playwright/test').Page, director: string): Promise<Box[]> {
  return page
    .getByTestId(`services-${director}`)
    .locator('thead th')
    .evaluateAll((ths) =>
      ths
        // Columns shown only on wider screens are not laid out at all.
        .filter((th) => getComputedStyle(th).display !== 'none')
        .map((th) => {
          const r = th.getBoundingClientRect();
          const name = (th as HTMLElement).innerText;
          return { name, left: r.left, right: r.right, width: r.width, overflows: th.scrollWidth > th.clientWidth + 1 };
        }),
    );
}

for (const width of [1024, 1100, 1440]) {
  test(`overview at ${width} px: the virtual service column is readable and no header overlaps`, async ({
    page,
    stack,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/');
    await expectLive(page);
    const heads = await headerBoxes(page, stack.director);
    // The whole table fits: no sideways scrolling from 1024 px up.
    const frame = page.getByTestId(`services-${stack.director}`).locator('xpath=..');
    expect(await frame.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const names = heads.map((h) => h.name);
    const vs = heads[names.findIndex((n) => /virtual service/i.test(n))];
    expect(vs?.width ?? 0).toBeGreaterThanOrEqual(180);
    for (const [i, h] of heads.entries()) {
      expect(h.overflows, `header "${names[i]}" is cut`).toBe(false);
      const next = heads[i + 1];
      if (next) expect(h.right, `header "${names[i]}" overlaps "${names[i + 1]}"`).toBeLessThanOrEqual(next.left + 0.5);
    }
    // The full address of a long IPv6 service is shown, not cut.
    const link = page.locator('tr[data-service="tcp/[2001:db8:1::10]:443"] a').first();
    expect(
      await link.evaluate((a) => {
        const td = a.closest('td') as HTMLElement;
        return td.scrollWidth <= td.clientWidth;
      }),
    ).toBe(true);
    // Sparklines sit wholly inside their cell.
    const spark = page.locator('tr[data-service="tcp/10.1.0.10:80"] svg[role=img]').first();
    await expect(spark).toBeVisible();
    const inside = await spark.evaluate((svg) => {
      const s = svg.getBoundingClientRect();
      const c = (svg.closest('td') as HTMLElement).getBoundingClientRect();
      return s.left >= c.left - 0.5 && s.right <= c.right + 0.5 && s.width >= 100 && s.height >= 24;
    });
    expect(inside).toBe(true);
  });
}

test('overview at 768 px: the table scrolls sideways and the service column stays in place', async ({
  page,
  stack,
}) => {
  await page.setViewportSize({ width: 768, height: 1000 });
  await page.goto('/');
  await expectLive(page);
  // The page itself does not scroll sideways: only the table's own frame does.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  const table = page.getByTestId(`services-${stack.director}`);
  const frame = table.locator('xpath=..');
  const scrollable = await frame.evaluate((el) => el.scrollWidth > el.clientWidth + 10);
  expect(scrollable).toBe(true);
  const first = page.locator('tr[data-service="tcp/10.1.0.10:80"] td').first();
  await expect(first).toContainText('10.1.0.10:80');
  const before = await first.boundingBox();
  const other = page.locator('tr[data-service="tcp/10.1.0.10:80"] td').nth(2); // the scheduler
  const otherBefore = await other.boundingBox();
  await frame.evaluate((el) => (el.scrollLeft = 300));
  await expect.poll(async () => (await other.boundingBox())?.x).toBeLessThan((otherBefore?.x ?? 0) - 100);
  const after = await first.boundingBox();
  expect(after?.x).toBeCloseTo(before?.x ?? -1, 0);
  // The fixed column is opaque: the cells scrolled under it do not show through.
  const bg = await first.evaluate((td) => getComputedStyle(td).backgroundColor);
  expect(bg).not.toBe('rgba(0, 0, 0, 0)');
});

test('overview: a row under the pointer takes its hover colour when the page is still, not while it scrolls', async ({
  page,
}) => {
  await page.goto('/');
  await expectLive(page);
  const colours = () =>
    page.evaluate(() => {
      const tr = document.querySelector<HTMLTableRowElement>('tr[data-service="tcp/10.1.0.10:80"]');
      const cell = tr?.cells[0];
      return tr && cell ? [getComputedStyle(tr).backgroundColor, getComputedStyle(cell).backgroundColor] : [];
    });
  const resting = await colours();
  expect(resting[1]).toBe('rgb(255, 255, 255)'); // the fixed column is opaque
  await page.locator('tr[data-service="tcp/10.1.0.10:80"] td').nth(4).hover();
  // the fixed column takes the row's tint as an opaque colour: white under sky-50 at 60%
  await expect.poll(async () => (await colours())[1]).toBe('rgb(246, 251, 255)');
  const hovered = await colours();
  expect(hovered[0]).not.toBe(resting[0]);
  // A scroll event (the page is too short to scroll): the same pointer, the resting colours, read in the same task.
  const scrolling = await page.evaluate(() => {
    document.dispatchEvent(new Event('scroll'));
    const tr = document.querySelector<HTMLTableRowElement>('tr[data-service="tcp/10.1.0.10:80"]');
    const cell = tr?.cells[0];
    return tr && cell ? [getComputedStyle(tr).backgroundColor, getComputedStyle(cell).backgroundColor] : [];
  });
  expect(scrolling).toEqual(resting);
  // and back once the scrolling stopped
  await expect.poll(colours).toEqual(hovered);
});

test('overview: the sparklines start from the stored history, not empty, after a reload', async ({ page, stack }) => {
  await page.goto('/');
  await expectLive(page);
  // The dashboard records every tick in its stats history whether or not a page is open: the point is 12 s of it.
  await storedHistory(page, stack.director, 'tcp/10.1.0.10:80', 12);
  const reloaded = Date.now();
  await page.reload();
  await expectLive(page);
  const line = page.locator('tr[data-service="tcp/10.1.0.10:80"] svg[role=img] path').first();
  // The live ring alone spans only the seconds since the reload (120 px for 5 minutes); with the stored history the
  // line starts at least 12 s earlier.
  await expect
    .poll(async () => {
      const width = await line.evaluate((p) => (p as SVGPathElement).getBBox().width);
      const liveOnly = (((Date.now() - reloaded) / 1000 + 4) / 300) * 120;
      return width > liveOnly;
    })
    .toBe(true);
});

test('overview: each service says how it forwards (NAT, DR, TUN) and DR/TUN out traffic reads "direct"', async ({
  page,
  stack,
}) => {
  await page.goto('/');
  await expectLive(page);
  const table = page.getByTestId(`services-${stack.director}`);
  await expect(table.locator('thead th').filter({ hasText: /^Forward/ })).toHaveCount(1);
  await expect(page.locator('tr[data-service="tcp/10.1.0.10:80"] [data-testid=forwarding]')).toHaveText('NAT');
  await expect(page.locator('tr[data-service="tcp/10.1.0.10:8080"] [data-testid=forwarding]')).toHaveText('DR');
  await expect(page.locator('tr[data-service="tcp/10.1.0.10:8081"] [data-testid=forwarding]')).toHaveText('TUN');
  await expect(page.locator('tr[data-service="tcp/10.1.0.10:9000"] [data-testid=forwarding]')).toHaveText('DR, TUN');
  await expect(page.locator('tr[data-service="tcp/10.1.0.10:81"] [data-testid=forwarding]')).toHaveText('—');
  await expect(page.locator('tr[data-service="tcp/10.1.0.10:8080"]')).toContainText('direct');
  await expect(page.locator('tr[data-service="tcp/10.1.0.10:80"]')).not.toContainText('direct');
  // The service page says the same of its out counters.
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:8080'));
  await expectLive(page);
  await expect(page.getByTestId('svc-out-bps')).toHaveText('direct');
  await expect(page.getByTestId('svc-out-pps')).toHaveText('direct');
});
