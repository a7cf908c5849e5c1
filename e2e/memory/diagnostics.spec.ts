// The Diagnostics panel: the director's agent runs its doctor when asked (here the simulated director's made-up
// host), and each finding shows its severity in words, why, and the fix with a copy button.
import { expect, expectLive, serviceUrl, test } from '../support/fixtures';

test.use({ role: 'viewer' });

test('the director page runs the checks on request and shows each finding with severity, why and a copyable fix', async ({
  page,
  context,
  stack,
  shot,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`/directors/${encodeURIComponent(stack.director)}`);
  await expectLive(page);
  const panel = page.getByTestId('diagnostics');
  await expect(panel.getByTestId('finding')).toHaveCount(0);
  await panel.getByRole('button', { name: 'Run checks' }).click();
  await expect(panel.getByTestId('diagnostics-summary')).toContainText('on the simulated host');
  const loaded = panel.locator('[data-finding="ipvs-loaded"]');
  await expect(loaded).toContainText('Note');
  await expect(loaded).toContainText('connection hash table size 4096');
  // the seed has persistent services and the made-up host keeps the kernel's default 0: a warning, with its fix
  const template = panel.locator('[data-finding="sysctl:net.ipv4.vs.expire_quiescent_template"]');
  await expect(template).toContainText('Warning');
  await expect(template).toContainText('clients stay on a real server set to weight 0');
  await expect(template.locator('code')).toHaveText('sysctl -w net.ipv4.vs.expire_quiescent_template=1');
  await template.getByRole('button', { name: /^Copy the fix for/ }).click();
  await expect(template.getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    'sysctl -w net.ipv4.vs.expire_quiescent_template=1',
  );
  // worst first: no note above a warning
  const severities = await panel.getByTestId('finding').evaluateAll((els) => els.map((e) => e.dataset.severity));
  expect(severities.indexOf('warning')).toBeLessThan(severities.indexOf('info'));
  expect(severities.lastIndexOf('warning')).toBeLessThan(severities.indexOf('info'));
  await shot('director-diagnostics', { fullPage: true });
});

test("a service's page shows only the findings about that service", async ({ page, stack }) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  const panel = page.getByTestId('diagnostics');
  await panel.getByRole('button', { name: 'Run checks' }).click();
  await expect(panel.locator('[data-finding="rs-route:10.2.0.11"]')).toContainText(
    'Real server 10.2.0.11 (NAT) is reached via eth0 (on link)',
  );
  await expect(panel.locator('[data-finding="ipvs-loaded"]')).toHaveCount(0);
  await expect(panel.locator('[data-finding="no-health-daemon"]')).toHaveCount(0);
});
