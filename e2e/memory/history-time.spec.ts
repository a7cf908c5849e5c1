// The History page's times and exports: one clock (when the director confirmed the change), the time zone shown with
// UTC on hover, and an export that takes the filters as the boxes show them.
import { edit, expect, test } from '../support/fixtures';

const SVC = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
const SID = 'tcp/10.1.0.10:80';

interface Entry {
  id: number;
  time: number;
  finishedAt: number | null;
}

test.use({ timezoneId: 'Europe/Paris' });

test('history shows when the director confirmed a change, in a named time zone, with UTC on hover', async ({
  page,
  stack,
  control,
}) => {
  // Every ipvsadm run takes 2.5 s: asked and confirmed fall on different seconds.
  await control('/delay', '2500');
  const r = await edit(stack.url, stack.director, {
    kind: 'set-weight',
    service: SVC,
    destination: { address: '10.2.0.11', port: 80 },
    weight: 4,
  });
  await control('/delay', '0');
  expect(r.ok).toBe(true);
  const res = await page.request.get(`/api/v1/audit?service=${encodeURIComponent(SID)}&user=admin&limit=1`);
  const entry = ((await res.json()) as { entries: Entry[] }).entries[0] as Entry;
  expect(entry.finishedAt).not.toBeNull();
  expect((entry.finishedAt ?? 0) - entry.time).toBeGreaterThan(2000);

  await page.goto(`/history?service=${encodeURIComponent(SID)}`);
  const time = page.locator(`tr[data-audit="${entry.id}"] [data-testid=audit-time]`);
  const paris = (t: number) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).format(t);
  await expect(time).toContainText(paris(entry.finishedAt ?? 0));
  const utc = (t: number) => `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  await expect(time).toHaveAttribute('title', new RegExp(`confirmed ${utc(entry.finishedAt ?? 0)}`));
  await expect(time).toHaveAttribute('title', new RegExp(`asked ${utc(entry.time)}`));
  // The column names the zone the times are in.
  await expect(page.getByRole('columnheader', { name: /^Time \((CET|CEST|GMT\+[12])\)$/ })).toBeVisible();
});

test('clearing the filters then exporting at once exports every row, not the old filter', async ({ page, stack }) => {
  await edit(stack.url, stack.director, {
    kind: 'set-weight',
    service: SVC,
    destination: { address: '10.2.0.11', port: 80 },
    weight: 3,
  });
  await page.goto(`/history?service=${encodeURIComponent(SID)}&user=admin`);
  await expect(page.getByLabel('Service')).toHaveValue(SID);
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  // Clear, then the export link as the browser would follow it 50 ms later (an operator's quick second click).
  const href = await page.evaluate(async () => {
    const clear = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Clear filters');
    clear?.click();
    await new Promise((r) => setTimeout(r, 50));
    return document.querySelector<HTMLAnchorElement>('[data-testid=export-csv]')?.href ?? '';
  });
  const url = new URL(href);
  expect(url.pathname).toBe('/api/v1/audit/export');
  expect(url.searchParams.get('service')).toBeNull();
  expect(url.searchParams.get('user')).toBeNull();
  // The download the browser makes is that one.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  expect(new URL((await download).url()).search).toBe(url.search);
});

test('history at 1024 px: the target column keeps its room and no header runs into another', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.goto('/history');
  await expect(page.getByTestId('audit-table')).toBeVisible();
  const heads = await page
    .getByTestId('audit-table')
    .locator('thead th')
    .evaluateAll((ths) =>
      ths
        .filter((th) => getComputedStyle(th).display !== 'none')
        .map((th) => {
          const r = th.getBoundingClientRect();
          return { name: (th as HTMLElement).innerText, left: r.left, right: r.right, width: r.width };
        }),
    );
  expect(heads.find((h) => h.name === 'Target')?.width ?? 0).toBeGreaterThanOrEqual(200);
  for (const [i, h] of heads.entries()) {
    const next = heads[i + 1];
    if (next) expect(h.right, `"${h.name}" runs into "${next.name}"`).toBeLessThanOrEqual(next.left + 0.5);
  }
});
