import type { TableState } from '../../lib/ipvs';
import { expect, test, withDashboardSocket } from '../support/fixtures';

const SVC = { protocol: 'tcp', address: '10.1.0.10', port: 443 } as const;
const SID = 'tcp/10.1.0.10:443';

test('history: pages of 100 with "load older", the result and time filters, a kernel error in its row', async ({
  page,
  stack,
  control,
}) => {
  const filter = `service=${encodeURIComponent(SID)}&user=operator`;
  const earlier = await page.request.get(`/api/v1/audit?${filter}&limit=10000`);
  const base = ((await earlier.json()) as { entries: unknown[] }).entries.length;
  // 104 weight changes by the operator on one service, the last of which the kernel refuses.
  await withDashboardSocket(
    stack.url,
    async (emit) => {
      for (let i = 0; i < 104; i++) {
        if (i === 103) await control('/fail-next', 'Memory allocation problem');
        const sub = await emit<TableState>('director:subscribe', { director: stack.director });
        if (!sub.ok) throw new Error(sub.error.message);
        const { epoch, version } = sub.data;
        await emit('service:update', {
          director: stack.director,
          request: {
            edit: {
              kind: 'set-weight',
              service: SVC,
              destination: { address: '10.2.0.11', port: 443 },
              weight: 2 + (i % 5),
            },
            epoch,
            version,
          },
        });
      }
    },
    'operator',
  );

  await page.goto(`/history?${filter}`);
  const rows = page.getByTestId('audit-row');
  await expect(rows).toHaveCount(100);
  await expect(page.getByTestId('history-count')).toHaveText('100 changes (more below) · newest first');
  const newest = rows.first();
  await expect(newest).toHaveAttribute('data-status', 'error');
  await expect(newest.getByTestId('audit-error')).toContainText('Memory allocation problem');
  await page.getByTestId('load-older').click();
  await expect(rows).toHaveCount(base + 104);
  await expect(page.getByTestId('load-older')).toHaveCount(0);

  await page.getByLabel('Result').selectOption('error');
  await expect(rows).toHaveCount(1);
  await expect(page).toHaveURL(/status=error/);
  await page.getByLabel('Result').selectOption('');
  await page.getByLabel('To', { exact: true }).fill('2001-01-01T00:00');
  await expect(page.getByTestId('history-empty')).toHaveText('No change matches these filters.');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByLabel('Service')).toHaveValue('');
  await expect(rows.first()).toBeVisible();
});
