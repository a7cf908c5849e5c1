// The "actual vs by weight" share on a page just opened: counted over a stated window that reaches back before the
// page opened (the dashboard's stats history), and no warning colour until the sample means something.
import { expect, expectLive, serviceUrl, storedHistory, test } from '../support/fixtures';

const SHARE_MIN_SAMPLE = 200; // components/service/share.ts

test('a page just opened judges the share on the stats history over a stated window, without warning on a small sample', async ({
  page,
  stack,
}) => {
  test.setTimeout(120_000);
  // Some stored history of this service first (the dashboard records every tick whether a page is open or not).
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  // the point: half a minute of stored history before the page opens
  await storedHistory(page, stack.director, 'tcp/10.1.0.10:80', 35);

  // Every state of the share column from the first render on: the window text and any warning-coloured share.
  await page.addInitScript(() => {
    const w = window as unknown as { shareSeen: { window: string; off: boolean }[] };
    w.shareSeen = [];
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid=share-window]')?.textContent;
      if (!text) return;
      const off = document.querySelector('[data-testid=share-actual][data-off=true]') !== null;
      const last = w.shareSeen.at(-1);
      if (last?.window !== text || last.off !== off) w.shareSeen.push({ window: text, off });
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.reload();
  await expectLive(page);
  const shareWindow = page.getByTestId('share-window');
  // Seconds after the reload, the window already spans the half minute before it.
  await expect(shareWindow).toHaveText(/^last (\d+ s|\d+ min), [\d,]+ new conns/);
  const span = async () => {
    const m = /^last (\d+) (s|min)/.exec((await shareWindow.textContent()) ?? '');
    return m ? Number(m[1]) * (m[2] === 'min' ? 60 : 1) : 0;
  };
  await expect.poll(span, { timeout: 5000 }).toBeGreaterThanOrEqual(30);
  await page.waitForTimeout(3000); // the point: three more seconds of the share column, none of them warning

  const seen = await page.evaluate(
    () => (window as unknown as { shareSeen: { window: string; off: boolean }[] }).shareSeen,
  );
  expect(seen.length).toBeGreaterThan(0);
  for (const s of seen) {
    const n = Number(/([\d,]+) new conns/.exec(s.window)?.[1]?.replace(/,/g, '') ?? 0);
    if (n < SHARE_MIN_SAMPLE) expect(s, 'a share on a small sample is not a warning').toMatchObject({ off: false });
  }
});
