// The "must show" on a fresh clone: `npm start` with no agents and no lab starts an embedded simulated
// director and prints a one-time setup link; walking that link in a browser creates the admin, and within 60 s the
// browser shows the simulated director's services, counters that move, a weight change that shifts the traffic share
// and the connection table. Starts its own `node scripts/start.mjs` like a user would (throwaway data folder).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT, start, stop, waitFor, type Proc } from '../support/processes';

const NAT = 'tcp/10.1.0.10:80'; // the demo's NAT service, wrr 1:3
const DEST = '10.2.0.11:80';

let proc: Proc | undefined;
let data = '';
test.afterEach(async () => {
  if (proc) await stop(proc);
  proc = undefined;
  if (data) rmSync(data, { recursive: true, force: true });
});

test('npm start on a fresh clone: the setup link, then the simulated director live within 60 s', async ({
  browser,
}) => {
  test.skip(existsSync(path.join(ROOT, '.lab', 'token')), 'a lab runs from this checkout: npm start would use it');
  test.setTimeout(240_000);
  data = mkdtempSync(path.join(os.tmpdir(), 'lvs-e2e-fresh-'));
  // What a user's shell has: none of the e2e stack's settings (no agents, no admin password).
  const env = { PORT: '0', HOST: '127.0.0.1', LVS_DATA_DIR: data };
  const unset = ['LVS_AGENTS', 'LVS_ADMIN_PASSWORD', 'LVS_AGENT_TOKEN', 'LVS_AGENT_TOKEN_FILE'];
  const p = start('fresh-start', process.execPath, ['scripts/start.mjs'], env, unset);
  proc = p;
  const link = await waitFor(
    'the setup link',
    120_000,
    async () => p.output.map((l) => /^\s+(http:\/\/127\.0\.0\.1:\d+\/setup\?token=\S+)$/.exec(l)?.[1]).find(Boolean),
    p,
  );
  expect(p.output.join('\n')).toContain('started an embedded SIMULATED director "simulated"');
  const base = new URL(link).origin;

  const walkStart = Date.now();
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel('Password (at least 10 characters)').fill('fresh-start-Password-42');
  await page.getByRole('button', { name: 'Create admin and sign in' }).click();
  await page.waitForURL(`${base}/`);

  // The overview: the simulated director, labelled so, with its services and moving totals.
  await expect(page.getByTestId('director-status').first()).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  await expect(page.getByText(/simulated/i).first()).toBeVisible();
  await expect(page.getByTestId('services-simulated')).toContainText('10.1.0.10:80');
  const totals = page.getByTestId('totals').first();
  const before = await totals.innerText();
  await expect.poll(() => totals.innerText(), { timeout: 10_000 }).not.toBe(before);

  // The connection table of the simulated clients.
  await page.goto('/directors/simulated/connections');
  await expect(page.getByTestId('conn-row').first()).toBeVisible({ timeout: 15_000 });

  // A weight change on the NAT service shifts the share of new connections that real server gets.
  await page.goto(`/directors/simulated/services/${encodeURIComponent(NAT)}`);
  const bar = page.getByLabel(`${DEST}: actual share of new connections vs the share its weight asks for`);
  const percent = async (id: string) =>
    Number(((await bar.getByTestId(id).textContent()) ?? '').replace(/[^0-9.]/g, '') || 'NaN');
  await expect.poll(() => percent('share-weight')).toBe(25);
  const slider = page.getByRole('slider', { name: `Weight of ${DEST}` });
  for (let i = 0; i < 20 && Number(await slider.inputValue()) !== 9; i++) {
    await expect(slider).toBeEnabled();
    await slider.press('ArrowRight');
  }
  await expect(slider).toHaveValue('9');
  await expect.poll(() => percent('share-weight'), { timeout: 10_000 }).toBe(75); // 9 / (9 + 3)
  await expect.poll(() => percent('share-actual'), { timeout: 40_000, intervals: [1000] }).toBeGreaterThan(40);
  expect(Date.now() - walkStart, 'from the setup link to all of it').toBeLessThan(60_000);
  await context.close();
});
