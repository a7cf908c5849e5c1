// Health checks through the dashboard against the simulated director: the check points at an HTTP server this test
// runs on 127.0.0.1 (the check's address and port), so a real listener decides up or down.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { edit, expect, expectLive, serviceUrl, test } from '../support/fixtures';

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

test('the sorry server and quorum set in the panel: field errors first, then the sorry server in the table and quorum lost while no real server is healthy', async ({
  page,
  stack,
  shot,
}) => {
  test.setTimeout(120_000); // two transitions of real checks, each seen by the agent, the hub and the page
  healthy = true;
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:8000'));
  await expectLive(page);
  const panel = page.getByRole('region', { name: 'Health checks' });
  await panel.getByRole('button', { name: 'Add check' }).click();
  const check = page.getByTestId('check-form');
  await check.getByLabel('Path').fill('/health');
  await check.getByLabel('Interval (ms)').fill('1000');
  await check.getByLabel('Timeout (ms)').fill('500');
  await check.getByLabel('Rise').fill('1');
  await check.getByLabel('Fall').fill('1');
  await check.getByLabel('Check address').fill('127.0.0.1');
  await check.getByLabel('Check port').fill(String(rsPort));
  await check.getByRole('button', { name: 'Save check' }).click();
  await expect(check).toBeHidden();
  await expect(panel.getByTestId('sorry-server')).toHaveText('No sorry server');

  await panel.getByRole('button', { name: 'Sorry server & quorum…' }).click();
  const form = page.getByTestId('service-options-form');
  await form.getByLabel('Sorry server address').fill('10.2.0.99');
  await form.getByLabel('Sorry server port').fill('99999');
  await form.getByLabel('Minimum healthy weight').fill('1');
  await form.getByLabel('Hysteresis').fill('1');
  await form.getByLabel('Command when quorum is lost').fill('page-oncall');
  await form.getByRole('button', { name: 'Save' }).click();
  // the agent's own schemas, field by field, before anything is sent
  await expect(form.getByTestId('error-so-port')).toHaveText('at most 65535');
  await expect(form.getByTestId('error-so-hysteresis')).toHaveText('must be below minWeight');
  await expect(form.getByTestId('error-so-onLost')).toHaveText('the program must be an absolute path');
  await form.getByLabel('Sorry server port').fill('80');
  await form.getByLabel('Hysteresis').fill('');
  await form.getByLabel('Command when quorum is lost').fill('/bin/true');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();

  const sorry = panel.getByTestId('sorry-server');
  const quorum = panel.getByTestId('quorum');
  await expect(sorry).toHaveText('Sorry server 10.2.0.99:80 (NAT): standing by');
  await expect(quorum).toHaveText('Quorum: healthy weight ≥ 1 — ● held (healthy weight 1)');

  healthy = false; // the only real server goes down: the sorry server answers, the quorum is lost
  await expect(sorry).toHaveAttribute('data-in-table', 'true', { timeout: 15_000 });
  await expect(sorry).toHaveText('Sorry server 10.2.0.99:80 (NAT): ▲ in the table, answering clients');
  await expect(quorum).toHaveText('Quorum: healthy weight ≥ 1 — ■ lost (healthy weight 0)', { timeout: 15_000 });
  await expect(page.getByTestId('weight-10.2.0.99:80')).toHaveAttribute('data-weight', '1');
  await shot('health-sorry-server');

  healthy = true;
  await expect(sorry).toHaveText('Sorry server 10.2.0.99:80 (NAT): standing by', { timeout: 15_000 });
  await expect(quorum).toHaveAttribute('data-held', 'true', { timeout: 15_000 });
  await expect(page.getByTestId('weight-10.2.0.99:80')).toHaveCount(0);

  await panel.getByRole('button', { name: 'Sorry server & quorum…' }).click();
  await form.getByLabel('Sorry server address').fill('');
  await form.getByLabel('Sorry server port').fill('');
  await form.getByLabel('Minimum healthy weight').fill('');
  await form.getByLabel('Command when quorum is lost').fill('');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();
  await expect(sorry).toHaveText('No sorry server');
  await expect(panel.getByTestId('service-options')).toContainText('No quorum');
  await expect(panel.getByTestId('service-check')).toContainText('HTTP GET /health');
});

test('slow start after a recovery: the row shows the weight ramping in steps while the table shows it rise', async ({
  page,
  stack,
  shot,
}) => {
  test.setTimeout(90_000); // a transition each way, then a ramp step of 10 s seen by the agent, the hub and the page
  healthy = true;
  const weighted = await edit(stack.url, stack.director, {
    kind: 'set-weight',
    service: { protocol: 'tcp', address: '10.1.0.10', port: 8000 },
    destination: { address: '10.2.0.11', port: 80 },
    weight: 8,
  });
  expect(weighted.ok).toBe(true);
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:8000'));
  await expectLive(page);
  const panel = page.getByRole('region', { name: 'Health checks' });
  await panel.getByRole('button', { name: 'Add check' }).click();
  const form = page.getByTestId('check-form');
  await form.getByLabel('Path').fill('/health');
  await form.getByLabel('Interval (ms)').fill('1000');
  await form.getByLabel('Timeout (ms)').fill('500');
  await form.getByLabel('Rise').fill('1');
  await form.getByLabel('Fall').fill('1');
  await form.getByLabel('Check address').fill('127.0.0.1');
  await form.getByLabel('Check port').fill(String(rsPort));
  await form.getByLabel('Slow start (ms)').fill('40000');
  await form.getByLabel('Slow start steps').fill('4');
  await form.getByRole('button', { name: 'Save check' }).click();
  await expect(form).toBeHidden();
  await expect(panel.getByTestId('service-check')).toHaveText(
    `HTTP GET /health at 127.0.0.1:${rsPort}, every 1 s, rise 1 / fall 1, quiesce on failure, slow start 40 s in 4 steps`,
  );

  const row = panel.locator('tr[data-health="10.2.0.11:80"]');
  const weight = page.getByTestId('weight-10.2.0.11:80');
  // up from the start: the full weight at once, no ramp
  await expect(row.getByTestId('health-status')).toHaveText('●up');
  await expect(weight).toHaveAttribute('data-weight', '8');
  await expect(row.getByTestId('health-ramp')).toHaveCount(0);

  healthy = false;
  await expect(weight).toHaveAttribute('data-weight', '0', { timeout: 15_000 });
  healthy = true;
  const ramp = row.getByTestId('health-ramp');
  await expect(ramp).toContainText('ramping 2/8', { timeout: 15_000 });
  await expect(ramp).toHaveAttribute('title', 'slow start after a recovery: weight 2 of 8, rising in steps');
  await expect(weight).toHaveAttribute('data-weight', '2', { timeout: 15_000 });
  await shot('health-slow-start');
  // the next step, 10 s later (40 s / 4 steps)
  await expect(ramp).toContainText('ramping 4/8', { timeout: 20_000 });
  await expect(weight).toHaveAttribute('data-weight', '4', { timeout: 15_000 });
});
