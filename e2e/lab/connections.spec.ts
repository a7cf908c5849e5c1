import { expect, expectLive, test } from '../support/fixtures';

test('the real connection table shows the lab traffic and filters by real server', async ({ page, stack, shot }) => {
  await page.goto(`/directors/${stack.director}/connections`);
  await expectLive(page, 60_000);
  const rows = page.getByTestId('conn-row');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('read-info')).toContainText(/the read took [\d,]+ ms/);
  await shot('connections');
  // The traffic goes through the NAT service: its real servers have entries.
  const chip = page
    .getByTestId('by-dest')
    .getByRole('button', { name: /^10\.2\.0\.1[12]:80 / })
    .first();
  await expect(chip).toBeVisible({ timeout: 30_000 });
  const dest = (await chip.innerText()).split(/\s+/)[0] as string;
  await chip.click();
  await expect
    .poll(async () => new Set(await page.getByTestId('conn-dest').allInnerTexts()), { timeout: 15_000 })
    .toEqual(new Set([dest]));
});
