// Health checks through the dashboard against the simulated director: the check points at an HTTP server this test
// runs on 127.0.0.1 (the check's address and port), so a real listener decides up or down.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, expectLive, serviceUrl, test } from '../support/fixtures';

let healthy = true;
let rs: Server;
let rsPort = 0;
test.beforeAll(async () => {
  rs = createServer((_req, res) => res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down'));
  await new Promise<void>((r) => rs.listen(0, '127.0.0.1', r));
  rsPort = (rs.address() as AddressInfo).port;
});
test.afterAll(async () => {
  await new Promise((r) => rs.close(r));
});

test('a check set in the form marks the real server up, then down with its error (quiesced), in the History too', async ({
  page,
  stack,
  shot,
}) => {
  healthy = true;
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:8000'));
  await expectLive(page);
  const panel = page.getByRole('region', { name: 'Health checks' });
  await expect(panel.getByTestId('service-check')).toHaveText('no service check');
  await panel.getByRole('button', { name: 'Add check' }).click();
  const form = page.getByTestId('check-form');
  await form.getByLabel('Path').fill('/health');
  await form.getByLabel('Interval (ms)').fill('1000');
  await form.getByLabel('Timeout (ms)').fill('2000');
  await form.getByLabel('Check port').fill('99999');
  await form.getByRole('button', { name: 'Save check' }).click();
  // the agent's own schema, field by field, before anything is sent
  await expect(form.getByTestId('error-hc-timeoutMs')).toHaveText('must not be above intervalMs');
  await expect(form.getByTestId('error-hc-port')).toHaveText('at most 65535');
  await form.getByLabel('Timeout (ms)').fill('500');
  await form.getByLabel('Rise').fill('1');
  await form.getByLabel('Fall').fill('1');
  await form.getByLabel('Check address').fill('127.0.0.1');
  await form.getByLabel('Check port').fill(String(rsPort));
  await form.getByRole('button', { name: 'Save check' }).click();
  await expect(form).toBeHidden();
  await expect(panel.getByTestId('service-check')).toHaveText(
    `HTTP GET /health at 127.0.0.1:${rsPort}, every 1 s, rise 1 / fall 1, quiesce on failure`,
  );

  const row = panel.locator('tr[data-health="10.2.0.11:80"]');
  await expect(row.getByTestId('health-status')).toHaveText('●up');
  await expect(row.getByTestId('health-latency')).toHaveText(/^\d+(\.\d+)? ms$/);
  await expect(row.getByTestId('health-last-check')).toHaveText(/just now|\d s ago/);

  healthy = false;
  await expect(row.getByTestId('health-status')).toHaveText('■down', { timeout: 15_000 });
  await expect(row.getByTestId('health-error')).toHaveText('HTTP 503 Service Unavailable');
  await expect(page.getByTestId('weight-10.2.0.11:80')).toHaveAttribute('data-weight', '0', { timeout: 15_000 });
  await shot('health-down');

  healthy = true;
  await expect(row.getByTestId('health-status')).toHaveText('●up', { timeout: 15_000 });
  await expect(page.getByTestId('weight-10.2.0.11:80')).toHaveAttribute('data-weight', '1', { timeout: 15_000 });

  await page.goto('/history');
  const transitions = page
    .getByTestId('audit-row')
    .filter({ hasText: 'health-check' })
    .filter({ hasText: '10.1.0.10:8000' });
  await expect(transitions.filter({ hasText: 'health up → down' }).first()).toBeVisible();
  await expect(transitions.filter({ hasText: 'health down → up' }).first()).toBeVisible();
});
