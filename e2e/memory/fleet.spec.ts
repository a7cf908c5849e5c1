// Directors managed in the UI: an admin adds a second simulated director (its own `lvs-agent serve --simulated`
// process on 127.0.0.1), sees it live at once, opens its page, and removes it.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect, test } from '../support/fixtures';
import { ROOT, start, stop, waitFor, type Proc } from '../support/processes';

const TOKEN = randomBytes(24).toString('base64url');
let second: { proc: Proc; url: string } | undefined;

test.beforeAll(async () => {
  const proc = start(
    'fleet-second-director',
    path.join(ROOT, 'node_modules/.bin/tsx'),
    [
      'server/agent/cli.ts',
      'serve',
      '--simulated',
      '--listen',
      '127.0.0.1:0',
      '--token',
      TOKEN,
      '--name',
      'second',
      '--services',
      '3',
      '--dests',
      '2',
    ],
    {},
  );
  const url = await waitFor(
    'the second simulated director',
    120_000,
    async () => proc.output.map((l) => / on (http:\/\/127\.0\.0\.1:\d+) \(tick/.exec(l)?.[1]).find(Boolean),
    proc,
  );
  second = { proc, url };
});
test.afterAll(async () => {
  if (second) await stop(second.proc);
});

test.describe('as an admin', () => {
  test.use({ role: 'admin' });

  test('directors: add one that is live at once, open its page, remove it', async ({ page, shot }) => {
    const name = `second-${Date.now().toString(36)}`;
    await page.goto('/admin/directors');
    const lab = page.locator('tr[data-director="lab"]');
    await expect(lab).toContainText('LVS_AGENTS (read-only)');
    await expect(lab.getByRole('button', { name: 'Remove' })).toHaveCount(0);

    const form = page.getByRole('form', { name: 'Add a director' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Agent URL').fill(second!.url);
    await form.getByLabel('Token').fill(TOKEN);
    // a pinned fingerprint on an http:// URL: the form names the field and why, before sending anything
    await form.getByLabel('Certificate fingerprint (SHA-256)').fill('AB'.repeat(32));
    await form.getByRole('button', { name: 'Add director' }).click();
    await expect(page.getByTestId('error-director-url')).toContainText('https');
    await form.getByLabel('Trust its certificate by').selectOption('default');
    await form.getByRole('button', { name: 'Add director' }).click();
    await expect(page.getByTestId('fleet-notice')).toHaveText(`${name} added.`);
    const row = page.locator(`tr[data-director="${name}"]`);
    await expect(row.getByTestId('fleet-status')).toHaveText('live');
    await shot('directors-admin');

    await row.getByRole('link', { name }).click();
    await expect(page).toHaveURL(new RegExp(`/directors/${name}$`));
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByTestId('agent-info')).toContainText('second');
    await expect(page.getByTestId(`director-${name}`)).toContainText('3 services');

    await page.goto('/admin/directors');
    await page.locator(`tr[data-director="${name}"]`).getByRole('button', { name: 'Remove' }).click();
    await page.getByTestId('remove-director').getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByTestId('fleet-notice')).toHaveText(`${name} removed.`);
    await expect(page.locator(`tr[data-director="${name}"]`)).toHaveCount(0);
    await page.goto(`/directors/${name}`);
    await expect(page.getByText(`No director named ${name}`)).toBeVisible();
  });
});
