import { expect, expectLive, sparklinesDrawn, test } from '../support/fixtures';

const LAB_SERVICES = [
  { sid: 'tcp/10.1.0.10:80', scheduler: 'wrr', healthy: '2/2' }, // NAT
  { sid: 'tcp/10.1.0.10:8080', scheduler: 'rr', healthy: '2/2' }, // DR
  { sid: 'tcp/10.1.0.10:8081', scheduler: 'wlc', healthy: '1/1' }, // TUN
];

test('the overview lists the director live with its totals and the NAT, DR and TUN services', async ({
  page,
  stack,
  shot,
}) => {
  await page.goto('/');
  await expectLive(page);
  const card = page.getByTestId(`director-${stack.director}`);
  await expect(card.getByTestId('director-banner')).toHaveCount(0);
  await expect(card.getByTestId('totals')).toContainText('New connections/s');
  for (const s of LAB_SERVICES) {
    const row = card.locator(`tr[data-service="${s.sid}"]`);
    await expect(row).toBeVisible();
    await expect(row.locator('td').nth(2)).toHaveText(new RegExp(`^${s.scheduler}`));
    await expect(row.getByTestId('healthy')).toHaveText(s.healthy);
  }
  await sparklinesDrawn(page);
  await shot('overview');

  // Search and protocol filter.
  await page.getByLabel('Search services').fill('8081');
  await expect(card.locator('tr[data-service="tcp/10.1.0.10:8081"]')).toBeVisible();
  await expect(card.locator('tr[data-service="tcp/10.1.0.10:80"]')).toHaveCount(0);
  await page.getByLabel('Search services').fill('');
  await page.getByLabel('Protocol').selectOption('udp');
  await expect(card.locator('tr[data-service="udp/10.1.0.10:53"]')).toBeVisible();
  await expect(card.locator('tr[data-service^="tcp/"]')).toHaveCount(0);
  await page.getByLabel('Protocol').selectOption('');

  // A row leads to its service page.
  await card.locator('tr[data-service="tcp/10.1.0.10:80"]').getByRole('link').click();
  await expect(page).toHaveURL(/\/directors\/lab\/services\/tcp%2F10\.1\.0\.10%3A80$/);
  await expect(page.getByTestId('service-title')).toHaveText('TCP 10.1.0.10:80');
});
