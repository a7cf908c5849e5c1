import type { Page } from '@playwright/test';
import type { Service } from '../../lib/ipvs';
import { edit, expect, expectLive, serviceUrl, test, WEB_REAL_SERVER, WEB_SERVICE } from '../support/fixtures';
import type { Stack } from '../support/stack';

test.afterEach(async ({ control }) => {
  await control('/agent/start');
});

test('a restarted agent (versions from v1 again) replaces the table on the page whole: the new run, not a mix', async ({
  page,
  stack,
  control,
  frames,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  const version = page.getByTestId('table-version');
  const weight = page.getByTestId('weight-10.2.0.11:80');
  const r = await edit(stack.url, stack.director, {
    kind: 'set-weight',
    service: WEB_SERVICE,
    destination: WEB_REAL_SERVER,
    weight: 7,
  });
  expect(r.ok).toBe(true);
  await expect(weight).toHaveAttribute('data-weight', '7');
  await expect(version).not.toHaveText('v1'); // the old run has counted past v1 (this edit at least)

  // The agent goes away; the kernel's table changes meanwhile (back to the seed); a new run of the agent starts at v1.
  await control('/agent/stop');
  // The old run's last updates may still be on their way to the page: count frames from once it shows the agent gone.
  await expect(page.getByTestId('director-status').first()).toHaveAttribute('data-status', 'unreachable', {
    timeout: 10_000,
  });
  await control('/reset');
  const seen = frames.length;
  await control('/agent/restart');
  const after = (await (await fetch(`${stack.control}/state`)).json()) as { epoch: string; services: Service[] };
  const service = after.services.find((s) => s.protocol === 'tcp' && s.address === '10.1.0.10' && s.port === 80)!;

  await expectLive(page);
  await expect(version).toHaveText('v1');
  await expect(version).toHaveAttribute('title', new RegExp(`agent run ${after.epoch.slice(0, 8)}`));
  for (const d of service.destinations)
    await expect(page.getByTestId(`weight-${d.address}:${d.port}`)).toHaveAttribute('data-weight', String(d.weight));
  await expect(weight).not.toHaveAttribute('data-weight', '7');
  // every update the page got since is of the new run
  // (the first delta of the new run may come a tick after the page has drawn its table: wait for it)
  const deltas = () => frames.slice(seen).filter((f) => f.includes('"director:delta"'));
  await expect.poll(() => deltas().length, { timeout: 10_000 }).toBeGreaterThan(0);
  for (const f of deltas()) expect(f).toContain(`"epoch":"${after.epoch}"`);
});

const DEST = `${WEB_REAL_SERVER.address}:${WEB_REAL_SERVER.port}`;

/** The simulated kernel's table run (epoch) and the weight edits of DEST it ran since the test's reset. */
async function director(stack: Stack): Promise<{ epoch: string; weightEdits: string[] }> {
  const { epoch, log } = (await (await fetch(`${stack.control}/state`)).json()) as { epoch: string; log: string[][] };
  const weightEdits = log.filter((a) => a[0] === '-e' && a.includes(DEST)).map((a) => a[a.indexOf('-w') + 1] ?? '?');
  return { epoch, weightEdits };
}

/** Restarts the agent and waits until the page shows the new run's table. */
async function restartAgent(page: Page, stack: Stack, control: (route: string) => Promise<void>): Promise<string> {
  await control('/agent/restart');
  const { epoch } = await director(stack);
  await expectLive(page);
  await expect(page.getByTestId('table-version')).toHaveAttribute(
    'title',
    new RegExp(`agent run ${epoch.slice(0, 8)}`),
  );
  return epoch;
}

test.describe('an edit made on the table of an agent run that has since restarted', () => {
  // typing on the 120,000-connection director's page is slow on the 2-core CI machine (see weight-commit.spec.ts)
  test.describe.configure({ timeout: 180_000 });

  test('a weight typed before the restart is refused, not applied to the new table: the control says why', async ({
    page,
    stack,
    control,
  }) => {
    await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
    await expectLive(page);
    const box = page.getByLabel(`Weight of ${DEST}, exact value`);
    await box.selectText();
    await box.pressSequentially('40');
    await restartAgent(page, stack, control);
    await expect(box).toHaveValue('40'); // the operator's value, not sent yet
    await box.press('Enter');
    await expect(page.getByTestId('weight-error')).toContainText('the table was replaced by a restarted agent');
    await expect(box).toHaveValue('1'); // back to what the new table says
    expect((await director(stack)).weightEdits).toEqual([]);
  });

  test('a real-server form opened before the restart is refused on epoch; submitted again, on the new table, it applies', async ({
    page,
    stack,
    control,
  }) => {
    await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
    await expectLive(page);
    await page.locator(`tr[data-dest="${DEST}"]`).getByRole('button', { name: 'Edit' }).click();
    const form = page.getByTestId('destination-form');
    await form.getByLabel('Weight (-w)').fill('40');
    await restartAgent(page, stack, control);
    await form.getByRole('button', { name: 'Save real server' }).click();
    const error = form.getByTestId('edit-error');
    await expect(error).toContainText('The table was replaced');
    await expect(error).toContainText('the table was replaced by a restarted agent');
    expect((await director(stack)).weightEdits).toEqual([]);
    await form.getByRole('button', { name: 'Save real server' }).click(); // the operator has seen the new table
    await expect(form).toBeHidden();
    await expect(page.getByTestId(`weight-${DEST}`)).toHaveAttribute('data-weight', '40');
    expect((await director(stack)).weightEdits).toEqual(['40']);
  });
});
