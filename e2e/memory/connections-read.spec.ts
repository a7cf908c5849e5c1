// The Connections page says how often the agent really reads the table, and someone coming back to it sees the last
// read at once (with its age) instead of waiting for a new read of a large table.
import { expect, expectLive, test } from '../support/fixtures';

test('the read line names the adaptive cadence, not a fixed refresh', async ({ page, stack }) => {
  await page.goto(`/directors/${stack.director}/connections`);
  await expectLive(page);
  const info = page.getByTestId('read-info');
  await expect(info).toContainText(
    /the read took [\d,]+ ms · re-read every [\d,]+ s \(4× the read time, at least 2 s\)/,
  );
  await expect(info).not.toContainText('refreshed every');
});

test('coming back to the page shows the last read at once, with its age', async ({ page, stack, control }) => {
  // A large table: every read takes 4 s.
  await control('/conns-delay', '4000');
  const url = `/directors/${stack.director}/connections`;
  await page.goto(url);
  await expectLive(page);
  await expect(page.getByTestId('conn-row').first()).toBeVisible({ timeout: 20_000 });
  await page.goto('/');
  await expectLive(page);
  await page.waitForTimeout(3000); // the point: the last read ages 3 s while nobody watches
  await page.goto(url);
  const info = page.getByTestId('read-info');
  await expect(info).toContainText('entries');
  // The first rows shown are the read from before (at least 3 s old), not a new 4-second read waited for.
  const age = /read (\d+) s ago/.exec(await info.innerText())?.[1];
  expect(Number(age ?? 0)).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('conn-row').first()).toBeVisible();
});
