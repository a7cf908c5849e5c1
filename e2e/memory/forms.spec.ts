import { edit, expect, expectLive, serviceUrl, test } from '../support/fixtures';

test('the service form rejects bad input next to each field, then adds the service', async ({ page, stack, shot }) => {
  await page.goto('/');
  await expectLive(page);
  await page.getByTestId(`director-${stack.director}`).getByRole('button', { name: 'Add service' }).click();
  const form = page.getByTestId('service-form');
  await expect(form).toBeVisible();
  await form.getByLabel('Virtual IP address').fill('10.1.0.300');
  await form.getByLabel('Port').fill('70000');
  await form.getByRole('button', { name: 'Add service' }).click();
  await expect(form.getByTestId('error-svc-address')).toHaveText('not an IPv4 or IPv6 address');
  await expect(form.getByTestId('error-svc-port')).toContainText('65535');
  await shot('service-form-errors');

  await form.getByLabel('Virtual IP address').fill('10.1.0.10');
  await form.getByLabel('Port').fill('0');
  await form.getByRole('button', { name: 'Add service' }).click();
  await expect(form.getByTestId('error-svc-port')).toHaveText('port 0 (all ports) needs persistence');

  await form.getByLabel('Port').fill('9090');
  await form.getByLabel('Scheduler (-s)').selectOption('sh');
  await form.getByLabel(/sh-port/).check();
  await form.getByLabel(/Persistent \(-p\)/).check();
  await form.getByLabel('Timeout (seconds)').fill('120');
  await form.getByLabel('Netmask (-M)').fill('255.255.0.255');
  await form.getByRole('button', { name: 'Add service' }).click();
  await expect(form.getByTestId('error-svc-netmask')).toHaveText('a contiguous IPv4 netmask like 255.255.255.0');
  await form.getByLabel('Netmask (-M)').fill('255.255.255.0');
  await form.getByRole('button', { name: 'Add service' }).click();
  await expect(form).toBeHidden();
  const row = page.locator('tr[data-service="tcp/10.1.0.10:9090"]');
  await expect(row).toContainText('sh');
  await expect(row).toContainText('port');
  await expect(row).toContainText('120 s /24');
});

test('the real server form checks tunnel options and the address family; the kernel error of a duplicate is shown', async ({
  page,
  stack,
  shot,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:8081'));
  await expectLive(page);
  await page.getByRole('button', { name: 'Add real server' }).click();
  const form = page.getByTestId('destination-form');
  await form.getByLabel('Real server address (-r)').fill('2001:db8::5');
  await form.getByLabel('Forwarding method').selectOption('tunnel');
  await form.getByLabel('Type (--tun-type)').selectOption('gue');
  await form.getByLabel('Weight (-w)').fill('x');
  await form.getByRole('button', { name: 'Add real server' }).click();
  await expect(form.getByTestId('error-dst-weight')).toHaveText('weight: a whole number');
  await expect(form.getByTestId('error-dst-tunnelPort')).toHaveText('required for a gue tunnel');
  await form.getByLabel('Weight (-w)').fill('2');
  await form.getByLabel('Port (--tun-port)').fill('6080');
  // A tunnel may lead to a real server of the other family (the kernel accepts it); masquerading may not.
  await form.getByLabel('Forwarding method').selectOption('masq');
  await form.getByRole('button', { name: 'Add real server' }).click();
  await expect(form.getByTestId('error-dst-address')).toHaveText("must be IPv4 like the service's address");
  await shot('destination-form-errors');
  await form.getByLabel('Forwarding method').selectOption('tunnel');
  await form.getByLabel('Type (--tun-type)').selectOption('gue');
  await form.getByLabel('Port (--tun-port)').fill('6080');

  // Already there: the kernel says so.
  await form.getByLabel('Real server address (-r)').fill('10.3.0.31');
  await form.getByLabel('Port', { exact: true }).fill('8081');
  await form.getByRole('button', { name: 'Add real server' }).click();
  await expect(form.getByTestId('edit-error')).toContainText('Destination already exists');

  await form.getByLabel('Real server address (-r)').fill('10.3.0.32');
  await form.getByRole('button', { name: 'Add real server' }).click();
  await expect(form).toBeHidden();
  const row = page.locator('tr[data-dest="10.3.0.32:8081"]');
  await expect(row.locator('td').nth(1)).toContainText('TUNgue:6080');
  await expect(row.getByTestId('weight-10.3.0.32:8081')).toHaveAttribute('data-weight', '2');
});

test('deleting a service asks first and lists what goes with it', async ({ page, stack, shot }) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:443'));
  await expectLive(page);
  await page.getByRole('button', { name: 'Delete service' }).click();
  const dialog = page.getByTestId('confirm-delete');
  const list = dialog.getByTestId('delete-list');
  await expect(list).toContainText('the service TCP 10.1.0.10:443');
  await expect(list).toContainText('real server 10.2.0.11:443');
  await expect(list).toContainText('real server 10.2.0.12:443');
  await shot('delete-service');
  await dialog.getByRole('button', { name: 'Delete service and 2 real servers' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expectLive(page);
  await expect(page.locator('tr[data-service="tcp/10.1.0.10:80"]')).toBeVisible();
  await expect(page.locator('tr[data-service="tcp/10.1.0.10:443"]')).toHaveCount(0);
});

test('editing a real server keeps its identity and changes its options', async ({ page, stack }) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  const row = page.locator('tr[data-dest="10.2.0.11:80"]');
  await row.getByRole('button', { name: 'Edit' }).click();
  const form = page.getByTestId('destination-form');
  await expect(form.getByLabel('Real server address (-r)')).toBeDisabled();
  await form.getByLabel('Upper threshold (-x)').fill('100');
  await form.getByLabel('Lower threshold (-y)').fill('200');
  await form.getByRole('button', { name: 'Save real server' }).click();
  await expect(form.getByTestId('error-dst-lowerThreshold')).toHaveText('must not be above the upper threshold');
  await form.getByLabel('Lower threshold (-y)').fill('20');
  await form.getByRole('button', { name: 'Save real server' }).click();
  await expect(form).toBeHidden();
  await expect(row).toContainText('upper 100');
  await expect(row).toContainText('lower 20');
});

test('a structural edit against a table that changed meanwhile is refused as a conflict, then applies on the second submit', async ({
  page,
  stack,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:8080'));
  await expectLive(page);
  await page.getByRole('button', { name: 'Edit service' }).click();
  const form = page.getByTestId('service-form');
  await expect(form.getByLabel('Virtual IP address')).toBeDisabled();
  await form.getByLabel('Scheduler (-s)').selectOption('wlc');
  // Someone else changes the table meanwhile.
  await edit(stack.url, stack.director, {
    kind: 'set-weight',
    service: { protocol: 'tcp', address: '10.1.0.10', port: 80 },
    destination: { address: '10.2.0.11', port: 80 },
    weight: 7,
  });
  await form.getByRole('button', { name: 'Save service' }).click();
  await expect(form.getByTestId('edit-error')).toContainText('the table changed');
  await form.getByRole('button', { name: 'Save service' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByTestId('scheduler')).toHaveText('wlc');
});

test('port 0 for a real server of a service with a port says what the kernel makes of it', async ({ page, stack }) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  await page.getByRole('button', { name: 'Add real server' }).click();
  const form = page.getByTestId('destination-form');
  await form.getByLabel('Forwarding method').selectOption('masq');
  await form.getByLabel('Port', { exact: true }).fill('0');
  await expect(form.locator('#dst-port-hint')).toHaveText("0 = the client's port, here 80");
  await form.getByLabel('Forwarding method').selectOption('route');
  await expect(form.locator('#dst-port-hint')).toHaveText("ipvsadm uses 80, the service's port");
});
