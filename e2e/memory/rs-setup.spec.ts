// "Set up this real server": the rs-setup script for the real server's forwarding method and its service's VIP,
// with the undo script, copyable; a viewer may read it (it changes nothing).
import { expect, expectLive, serviceUrl, test } from '../support/fixtures';

test.use({ role: 'viewer' });

test('a DR real server gets the dr script for the VIP and its undo, both copyable', async ({
  page,
  context,
  stack,
  shot,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:0'));
  await expectLive(page);
  await page.locator('tr[data-dest="10.1.0.21:0"]').getByRole('button', { name: 'Set up' }).click();
  const dialog = page.getByTestId('rs-setup');
  await expect(dialog.getByRole('heading', { name: 'Set up real server 10.1.0.21:0' })).toBeVisible();
  await expect(dialog.getByTestId('rs-setup-command')).toHaveText('lvs-agent rs-setup --mode dr --vip 10.1.0.10');
  const script = dialog.getByTestId('rs-setup-script');
  await expect(script).toContainText("add_addr '10.1.0.10/32' lo");
  await expect(script).toContainText('set_sysctl "net.ipv4.conf.$dev.arp_ignore" 1');
  await expect(dialog.getByTestId('rs-setup-undo')).toContainText('lvs-agent rs-setup --mode dr --undo');
  await dialog.getByRole('button', { name: 'Copy undo script' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await dialog.getByTestId('rs-setup-undo').textContent());
  await shot('rs-setup-dr');
});

test('a NAT real server gets the gateway check, with the director address when given', async ({ page, stack }) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  await page.locator('tr[data-dest="10.2.0.11:80"]').getByRole('button', { name: 'Set up' }).click();
  const dialog = page.getByTestId('rs-setup');
  await expect(dialog.getByTestId('rs-setup-script')).toContainText('its default gateway must be');
  await dialog.getByLabel("The director's address on this network (optional)").fill('10.2.0.999');
  await expect(dialog.getByTestId('error-rs-setup-gateway')).toHaveText('not an IPv4 or IPv6 address');
  await dialog.getByLabel("The director's address on this network (optional)").fill('10.2.0.1');
  await expect(dialog.getByTestId('rs-setup-command')).toHaveText(
    'lvs-agent rs-setup --mode nat --vip 10.1.0.10 --gateway 10.2.0.1',
  );
});
