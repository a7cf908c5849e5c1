import { expect, expectLive, resetWebWeightAfterEach, serviceUrl, test } from '../support/fixtures';

const DEST = '10.2.0.11:80';

resetWebWeightAfterEach();

test("under the lab's background load, the share a real server really gets follows its weight from 1/4 to 5/8", async ({
  page,
  stack,
  shot,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  const bar = page.getByLabel(`${DEST}: actual share of new connections vs the share its weight asks for`);
  const percent = async (id: string) =>
    Number(((await bar.getByTestId(id).textContent()) ?? '').replace(/[^0-9.]/g, '') || 'NaN');
  await expect.poll(() => percent('share-weight')).toBe(25);
  // wrr 1:3 under the lab traffic: the server gets about a quarter of the new connections
  await expect.poll(() => percent('share-actual'), { timeout: 30_000 }).toBeLessThan(35);

  const slider = page.getByRole('slider', { name: `Weight of ${DEST}` });
  // One step at a time, each on an enabled slider: under TCG a tick held up by the edits can leave the director stale
  // for a moment, which disables the slider and would swallow a keypress.
  for (let i = 0; i < 20; i++) {
    const v = Number(await slider.inputValue());
    if (v === 5) break;
    await expect(slider).toBeEnabled();
    await slider.press(v < 5 ? 'ArrowRight' : 'ArrowLeft');
  }
  await expect(slider).toHaveValue('5');
  // The kernel's table, not the slider's pending value, must come to say 5; if it does not, say what the page said.
  const control = page.getByTestId(`weight-${DEST}`);
  await expect
    .poll(
      async () => {
        const weight = await control.getAttribute('data-weight');
        const said = await control
          .locator('[data-testid="weight-error"], [data-testid="weight-notice"]')
          .allTextContents();
        return said.length > 0 ? `${weight} (${said.join('; ')})` : weight;
      },
      { timeout: 30_000 },
    )
    .toBe('5');
  expect(await percent('share-weight')).toBeGreaterThan(60); // 5 / (5 + 3)
  // the connections the kernel hands out follow: the actual share climbs past a half toward 5/8
  await expect.poll(() => percent('share-actual'), { timeout: 60_000, intervals: [1000] }).toBeGreaterThan(50);
  await shot('share-moved');
});
