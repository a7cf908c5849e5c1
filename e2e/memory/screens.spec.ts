// Pictures of every page in the dark theme (the light ones are taken by the other tests), for people to judge.
import { chartsDrawn, expect, expectLive, serviceUrl, sparklinesDrawn, test } from '../support/fixtures';

test.use({ colorScheme: 'dark' });

test('dark theme: overview, service, connections and the service form', async ({ page, stack, shot }) => {
  await page.goto('/');
  await expectLive(page);
  await expect(page.locator('html')).toHaveClass(/dark/);
  await sparklinesDrawn(page);
  await shot('overview-dark');

  await page.locator('tr[data-service="tcp/10.1.0.10:9000"]').getByRole('link').click();
  await expect(page.getByTestId('service-title')).toHaveText('TCP 10.1.0.10:9000');
  await chartsDrawn(page);
  await shot('service-dark');
  await shot('service-dark-full', { fullPage: true });

  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  await page.getByRole('button', { name: 'Edit service' }).click();
  await expect(page.getByTestId('service-form')).toBeVisible();
  await shot('service-form-dark');
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Connections' }).click();
  await expect(page.getByTestId('conn-row').first()).toBeVisible();
  await shot('connections-dark');
});
