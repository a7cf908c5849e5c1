import { expect, expectLive, test } from '../support/fixtures';

test('the connection table shows entries, counts per state and real server, and filters by real server', async ({
  page,
  stack,
  control,
  shot,
}) => {
  // The simulated clients hold still, so a real server's count is the same from one read to the next.
  await control('/freeze');
  await page.goto(`/directors/${stack.director}/connections`);
  await expectLive(page);
  const rows = page.getByTestId('conn-row');
  await expect(rows.first()).toBeVisible();
  const info = page.getByTestId('read-info');
  await expect(info).toContainText(/of [\d,]+ entries · read .* · the read took [\d,]+ ms/);
  const total = Number(/of ([\d,]+) entries/.exec(await info.innerText())?.[1]?.replace(/,/g, ''));
  expect(total).toBeGreaterThan(100_000);
  // Windowed: only the rows in view exist in the page.
  expect(await rows.count()).toBeLessThan(60);
  await expect(page.getByTestId('by-state')).toContainText('TIME_WAIT');
  await shot('connections');

  // A real server chip filters by that real server; its count is the number of matches.
  const chip = page.getByTestId('dest-10.2.0.12:80');
  const chipCount = Number((await chip.innerText()).split(/\s+/).pop()?.replace(/,/g, ''));
  await chip.click();
  await expect(chip).toHaveAttribute('aria-pressed', 'true');
  await expect(info).toContainText(`${chipCount.toLocaleString('en-US')} of`);
  await expect(page.getByLabel('Real server')).toHaveValue('10.2.0.12:80');
  const dests = await page.getByTestId('conn-dest').allInnerTexts();
  expect(dests.length).toBeGreaterThan(5);
  expect(new Set(dests)).toEqual(new Set(['10.2.0.12:80']));
  await shot('connections-filtered');

  // Typing a real server address filters too (substring); state and sort combine with it. A NAT one: only the
  // director sees both directions of its connections, so only there do they reach TIME_WAIT (DR ends in FIN_WAIT).
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel('Real server').fill('10.2.0.11:80');
  await expect
    .poll(async () => new Set(await page.getByTestId('conn-dest').allInnerTexts()))
    .toEqual(new Set(['10.2.0.11:80']));
  await page.getByLabel('State').selectOption('TIME_WAIT');
  await expect
    .poll(async () => new Set(await rows.locator('[role=cell]:nth-child(5)').allInnerTexts()))
    .toEqual(new Set(['TIME_WAIT']));
  await page.getByRole('button', { name: 'Client' }).click();
  await expect(page.getByRole('columnheader', { name: 'Client' })).toHaveAttribute('aria-sort', 'ascending');
});

test('scrolling far down a 100,000-entry table loads the rows there', async ({ page, stack }) => {
  await page.goto(`/directors/${stack.director}/connections`);
  await expectLive(page);
  const table = page.getByRole('table', { name: `Connections on ${stack.director}` });
  await expect(page.getByTestId('conn-row').first()).toBeVisible();
  await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = page.locator('[data-testid="conn-row"][aria-rowindex]').last();
  await expect.poll(async () => Number(await last.getAttribute('aria-rowindex'))).toBeGreaterThan(100_000);
  await expect(last).toContainText(/\d+:\d\d/);
});

test('templates only shows persistence templates (client port 0)', async ({ page, stack }) => {
  await page.goto(`/directors/${stack.director}/connections`);
  await expectLive(page);
  await page.getByLabel('Templates only').check();
  await expect.poll(async () => (await page.getByTestId('conn-row').allInnerTexts()).length).toBeGreaterThan(0);
  for (const t of await page.getByTestId('conn-row').allInnerTexts()) expect(t.toLowerCase()).toContain('template');
});

test('a fwmark persistence template reads "fwmark N" (the kernel puts the mark where the VIP would be)', async ({
  page,
  stack,
  shot,
}) => {
  await page.goto(`/directors/${stack.director}/connections`);
  await expectLive(page);
  for (const [mark, dest] of [
    [1, '10.2.0.12:0'],
    [3, '[2001:db8:2::11]:0'],
  ] as const) {
    await page.getByLabel('Virtual service').fill(`fwmark ${mark}`);
    const rows = page.getByTestId('conn-row');
    await expect.poll(async () => (await rows.allInnerTexts()).length).toBe(1);
    await expect(rows.first()).toContainText(`fwmark ${mark}`);
    await expect(rows.first()).toContainText('template');
    await expect(rows.first().getByTestId('conn-dest')).toHaveText(dest);
  }
  await shot('connections-fwmark');
});
