// Health checks on the lab's real kernel (issue #14's must-show): a TCP check set in the UI on the NAT service, one
// real server's HTTP server stopped inside the VM: the page shows it down with the error and the time of its last
// check and weight 0, the kernel (read by an ipvsadm of the guest's own, not the agent) has weight 0; started again,
// it comes back to its weight; the History has both transitions.
import { expect, expectLive, serviceUrl, test } from '../support/fixtures';
import { askGuest, kernelSave, weightIn } from '../support/lab-control';

const RS = '10.2.0.11';
const DEST = `${RS}:80`;

test.afterEach(async ({ stack }) => {
  await askGuest(stack, `rs start ${RS}`); // idempotent: the other lab tests need its HTTP server
});

test('a TCP check set in the UI takes a stopped real server out in the kernel (weight 0) and puts it back', async ({
  page,
  stack,
  shot,
}) => {
  const kernelWeight = async () => weightIn(await kernelSave(stack), 'tcp', '10.1.0.10:80', DEST);
  expect(await kernelWeight()).toBe(1);
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page, 60_000);
  const panel = page.getByRole('region', { name: 'Health checks' });
  await panel.getByRole('button', { name: 'Add check' }).click();
  const form = page.getByTestId('check-form');
  await form.getByLabel('Check', { exact: true }).selectOption('tcp');
  await form.getByLabel('Interval (ms)').fill('2000');
  await form.getByLabel('Timeout (ms)').fill('1500');
  await form.getByLabel('Rise').fill('2');
  await form.getByLabel('Fall').fill('2');
  await form.getByRole('button', { name: 'Save check' }).click();
  await expect(form).toBeHidden();
  await expect(panel.getByTestId('service-check')).toHaveText(
    'TCP connect, every 2 s, rise 2 / fall 2, quiesce on failure',
  );
  const row = panel.locator(`tr[data-health="${DEST}"]`);
  await expect(row.getByTestId('health-status')).toHaveText('●up');
  await expect(row.getByTestId('health-last-check')).toHaveText(/just now|\d+ s ago/);

  await askGuest(stack, `rs stop ${RS}`);
  await expect(row.getByTestId('health-status')).toHaveText('■down');
  await expect(row.getByTestId('health-error')).toHaveText(/ECONNREFUSED|timed out/);
  await expect(row.getByTestId('health-last-check')).toHaveText(/just now|\d+ s ago/);
  await expect(page.getByTestId(`weight-${DEST}`)).toHaveAttribute('data-weight', '0');
  await expect.poll(kernelWeight, { timeout: 30_000 }).toBe(0);
  await shot('lab-health-down');

  await askGuest(stack, `rs start ${RS}`);
  await expect(row.getByTestId('health-status')).toHaveText('●up');
  await expect(row.getByTestId('health-error')).toHaveText('');
  await expect(page.getByTestId(`weight-${DEST}`)).toHaveAttribute('data-weight', '1');
  await expect.poll(kernelWeight, { timeout: 30_000 }).toBe(1);

  // the check goes, so that the other lab tests see the table as the lab built it
  await panel.getByRole('button', { name: 'Edit check' }).click();
  await form.getByRole('button', { name: 'Remove this check' }).click();
  await expect(panel.getByTestId('service-check')).toHaveText('no service check');

  await page.goto('/history');
  const transitions = page.getByTestId('audit-row').filter({ hasText: 'health-check' }).filter({ hasText: DEST });
  await expect(transitions.filter({ hasText: 'health up → down' }).first()).toBeVisible();
  await expect(transitions.filter({ hasText: 'health down → up' }).first()).toBeVisible();
  await shot('lab-health-history');
});
