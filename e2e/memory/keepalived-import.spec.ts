// A way off keepalived, in the browser: a keepalived.conf pasted into the import panel is previewed (the diff, the line
// we cannot express with its line number and reason, the checks it would set), applied by an admin (the table and the
// health panel follow) and refused to an operator; then keepalived "runs" on the simulated director with that file
// (its control surface) and the director page and an edit of its service say keepalived owns it. The checks point at
// an HTTP server this test runs on 127.0.0.1 (connect_ip/connect_port), so real listeners decide up or down.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, expectLive, framesDrawn, serviceUrl, test } from '../support/fixtures';

const SID = 'tcp/10.1.0.77:80';
const OWNED = `keepalived runs on this director and owns 1 service(s): ${SID}. An edit of those: keepalived will undo this on its next reload/check.`;
const EDIT_WARNING = 'keepalived owns this service: keepalived will undo this on its next reload/check.';
const WIDTHS = [1024, 1440, 1920];

let rs: Server;
let rsPort = 0;
test.beforeAll(async () => {
  rs = createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end('ok'));
  await new Promise<void>((r) => rs.listen(0, '127.0.0.1', r));
  rsPort = (rs.address() as AddressInfo).port;
});
test.afterAll(async () => {
  await new Promise((r) => rs.close(r));
});

/** A virtual server with two real servers, an HTTP_GET and a TCP_CHECK checker, and one keyword we cannot express. */
const keepalivedConf = (port: number) =>
  [
    '! the web VIP, moving off keepalived',
    'virtual_server 10.1.0.77 80 {',
    '    delay_loop 2',
    '    lb_algo wrr',
    '    lb_kind NAT',
    '    protocol TCP',
    '',
    '    real_server 10.2.0.31 80 {',
    '        weight 2',
    '        HTTP_GET {',
    '            url {',
    '                path /health',
    '                status_code 200',
    '            }',
    '            connect_ip 127.0.0.1',
    `            connect_port ${port}`,
    '            connect_timeout 1',
    '            warmup 2',
    '        }',
    '    }',
    '    real_server 10.2.0.32 80 {',
    '        weight 1',
    '        TCP_CHECK {',
    '            connect_ip 127.0.0.1',
    `            connect_port ${port}`,
    '            connect_timeout 1',
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');
const UNEXPRESSIBLE = 18; // warmup

test('an operator previews a keepalived.conf: the diff, the line not imported and why, the checks; applying needs an admin', async ({
  page,
  stack,
  shot,
}) => {
  const conf = keepalivedConf(rsPort);
  expect(conf.split('\n')[UNEXPRESSIBLE - 1]?.trim()).toBe('warmup 2');
  await page.goto(`/snapshots?director=${stack.director}`);
  await page.locator('#import-rules').fill(conf);
  await expect(page.getByTestId('import-format')).toHaveText('keepalived.conf');
  await page.getByTestId('import-preview').click();

  await expect(page.getByTestId('diff-summary')).toContainText('1 service added');
  const changes = page.getByRole('list', { name: 'Changes' });
  await expect(changes).toContainText('10.2.0.31:80  NAT  weight 2');
  await expect(changes).toContainText('10.2.0.32:80  NAT  weight 1');
  await expect(page.getByTestId('plan')).toContainText('ipvsadm -A -t 10.1.0.77:80 -s wrr');
  await expect(page.getByTestId('plan')).toContainText('ipvsadm -a -t 10.1.0.77:80 -r 10.2.0.31:80 -m -w 2');

  const notImported = page.getByTestId('keepalived-not-imported').locator('li');
  await expect(notImported).toHaveText([`line ${UNEXPRESSIBLE}: warmup 2 — HTTP_GET warmup: not expressible`]);
  await expect(page.getByTestId('keepalived-checks').locator('li')).toHaveText([
    `${SID} → 10.2.0.31:80: HTTP GET /health at 127.0.0.1:${rsPort}, every 2 s, rise 2 / fall 2 (retried 3 s apart), remove on failure`,
    `${SID} → 10.2.0.32:80: TCP connect at 127.0.0.1:${rsPort}, every 2 s, rise 1 / fall 2 (retried 1 s apart), remove on failure`,
  ]);

  const apply = page.getByTestId('import-apply');
  await expect(apply).toBeDisabled();
  await expect(apply.locator('xpath=..')).toHaveAttribute('title', 'Applying an import needs the admin role');
  await expect(page.getByTestId('import-panel')).toContainText('Applying needs the admin role; you can preview.');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await framesDrawn(page);
    await page.getByTestId('keepalived-details').scrollIntoViewIfNeeded();
    await shot(`keepalived-preview-operator-${width}`);
  }
  // the director's other services go with the file's table; kept, as keepalived keeps them, when asked
  await expect(page.getByTestId('diff-summary')).toContainText(/[1-9]\d* removed/);
  await page.getByLabel('Keep the services the file does not name, as keepalived does').check();
  await expect(page.getByTestId('diff-summary')).toHaveCount(0);
  await page.getByTestId('import-preview').click();
  await expect(page.getByTestId('diff-summary')).toContainText('1 service added');
  await expect(page.getByTestId('diff-summary')).toContainText(/(^|\D)0 removed/);

  // the server refuses it too, whatever the page shows
  const refused = await page.request.post(`/api/v1/directors/${stack.director}/import/keepalived`, {
    data: { config: conf },
    headers: { origin: stack.url },
  });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({
    error: { code: 'forbidden', message: expect.stringContaining('needs the admin role (you are operator)') },
  });
});

test.describe('as an admin', () => {
  test.use({ role: 'admin' });

  test('applies it: the table and its health checks follow; with keepalived running that file, its service is marked owned and an edit warns', async ({
    page,
    stack,
    control,
    shot,
  }) => {
    test.setTimeout(120_000);
    const conf = keepalivedConf(rsPort);
    await page.goto(`/snapshots?director=${stack.director}`);
    await page.locator('#import-rules').fill(conf);
    await page.getByTestId('import-preview').click();
    await expect(page.getByTestId('keepalived-checks').locator('li')).toHaveCount(2);
    await page.getByTestId('import-apply').click();
    const run = page.getByTestId('import-run');
    await expect(run.getByTestId('apply-outcome')).toHaveAttribute('data-failed', 'false', { timeout: 30_000 });
    await expect(run).not.toContainText('the health checks were not set');

    await page.goto(serviceUrl(stack.director, SID));
    await expectLive(page);
    await expect(page.getByTestId('weight-10.2.0.31:80')).toHaveAttribute('data-weight', '2');
    await expect(page.getByTestId('weight-10.2.0.32:80')).toHaveAttribute('data-weight', '1');
    const health = page.getByRole('region', { name: 'Health checks' });
    for (const [did, check] of [
      [
        '10.2.0.31:80',
        `HTTP GET /health at 127.0.0.1:${rsPort}, every 2 s, rise 2 / fall 2 (retried 3 s apart), remove on failure`,
      ],
      [
        '10.2.0.32:80',
        `TCP connect at 127.0.0.1:${rsPort}, every 2 s, rise 1 / fall 2 (retried 1 s apart), remove on failure`,
      ],
    ] as const) {
      const row = health.locator(`tr[data-health="${did}"]`);
      await expect(row.getByTestId('health-status')).toHaveText('●up', { timeout: 15_000 });
      await expect(row.getByTestId('health-check')).toHaveText(check);
    }
    await expect(page.getByTestId('keepalived-owner')).toHaveCount(0);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await framesDrawn(page);
      await health.scrollIntoViewIfNeeded();
      await shot(`keepalived-imported-health-${width}`);
    }

    // keepalived starts on the director with the same file: it owns the service now
    await control('/keepalived', conf);
    await page.goto(`/directors/${stack.director}`);
    await expect(page.getByTestId('keepalived-owner')).toHaveText(OWNED);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await framesDrawn(page);
      await shot(`keepalived-owner-director-${width}`);
    }

    await page.goto(serviceUrl(stack.director, SID));
    await expectLive(page);
    await expect(page.getByTestId('keepalived-owner')).toHaveText(EDIT_WARNING);
    await page.getByRole('button', { name: 'Edit service' }).click();
    await expect(page.getByTestId('keepalived-edit-warning')).toHaveText(EDIT_WARNING);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await framesDrawn(page);
      await shot(`keepalived-owner-edit-${width}`);
    }
  });
});
