import { readFileSync } from 'node:fs';
import {
  expect,
  expectLive,
  resetWebWeightAfterEach,
  serviceUrl,
  test,
  WEB_SERVICE,
  withDashboardSocket,
} from '../support/fixtures';
import type { TableState } from '../../lib/ipvs';

const SVC = WEB_SERVICE;
const SID = 'tcp/10.1.0.10:80';
const DEST = '10.2.0.11:80';

resetWebWeightAfterEach();

test("an operator's weight change is in the history: who, what, before/after, the ipvsadm command; new changes appear live", async ({
  page,
  stack,
  shot,
}) => {
  await page.goto(serviceUrl(stack.director, SID));
  await expectLive(page);
  const control = page.getByTestId(`weight-${DEST}`);
  const before = await control.getAttribute('data-weight');
  const after = before === '6' ? '7' : '6';
  await page.getByLabel(`Weight of ${DEST}, exact value`).fill(after);
  await page.getByLabel(`Weight of ${DEST}, exact value`).press('Enter');
  await expect(control).toHaveAttribute('data-weight', after);

  await page.goto(`/history?service=${encodeURIComponent(SID)}&user=operator`);
  await expect(page.getByLabel('Service')).toHaveValue(SID);
  const row = page.getByTestId('audit-row').first();
  await expect(row.getByTestId('audit-user')).toHaveText('operator');
  await expect(row.getByTestId('audit-operation')).toHaveText('set weight');
  await expect(row.getByTestId('audit-target')).toContainText(DEST);
  await expect(row).toHaveAttribute('data-status', 'ok');
  await expect(row).toContainText('UI');

  await row.click();
  const details = page.getByTestId('audit-details').first();
  const weightRow = details.getByTestId('field-diff').locator('tr', { hasText: 'weight' });
  await expect(weightRow).toHaveAttribute('data-kind', 'changed');
  await expect(weightRow.locator('td').nth(1)).toHaveText(before ?? '');
  await expect(weightRow.locator('td').nth(2)).toHaveText(after);
  await expect(details.getByTestId('audit-argv')).toHaveText(`ipvsadm -e -t 10.1.0.10:80 -r ${DEST} -m -w ${after}`);
  await shot('history');

  // A change made elsewhere while the page is open shows up without a reload (service:updated, or the 10 s poll).
  const count = await page.getByTestId('audit-row').count();
  await withDashboardSocket(
    stack.url,
    async (emit) => {
      const sub = await emit<TableState>('director:subscribe', { director: stack.director });
      if (!sub.ok) throw new Error(sub.error.message);
      const { epoch, version } = sub.data;
      const r = await emit('service:update', {
        director: stack.director,
        request: {
          edit: { kind: 'set-weight', service: SVC, destination: { address: '10.2.0.11', port: 80 }, weight: 2 },
          epoch,
          version,
        },
      });
      expect(r.ok).toBe(true);
    },
    'operator',
  );
  await expect(page.getByTestId('audit-row')).toHaveCount(count + 1, { timeout: 15_000 });
  await expect(page.getByTestId('audit-row').first()).toHaveAttribute('data-status', 'ok');
  // The row that was open stays open (it is keyed by id, not position).
  await expect(page.getByTestId('audit-details')).toHaveCount(1);

  // The export links carry the same filters; the browser downloads the file.
  const csv = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const file = await (await csv).path();
  const text = readFileSync(file, 'utf8');
  expect(text.split('\r\n')[0]).toBe('id,time,user,source,director,operation,target,status,error,argv,before,after');
  expect(text).toContain(`operator,ui,${stack.director},set-weight,${SID}|${DEST},ok`);
  const rows = text.split('\r\n').slice(1).filter(Boolean);
  expect(rows.length).toBeGreaterThanOrEqual(2);
  for (const r of rows) expect(r.split(',')[2]).toBe('operator');
});
