// Timing what a page shows against what it received, measured in the page and on the websocket (both on the test
// machine's one clock): polling a locator from the test would add up to a second to the measurement.
import type { Page } from '@playwright/test';

export type BannerChange = { t: number; shown: boolean };

/** Records, in the page, each time a director banner with `text` appears or goes; returns the reader of the record. */
export async function watchBanner(page: Page, text: string): Promise<() => Promise<BannerChange[]>> {
  await page.evaluate((text) => {
    const changes: { t: number; shown: boolean }[] = [];
    (window as unknown as { bannerChanges: typeof changes }).bannerChanges = changes;
    let shown = false;
    const check = () => {
      const now = [...document.querySelectorAll('[data-testid="director-banner"]')].some((b) =>
        b.textContent?.includes(text),
      );
      if (now !== shown) changes.push({ t: Date.now(), shown: (shown = now) });
    };
    check();
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, text);
  return () => page.evaluate(() => (window as unknown as { bannerChanges: BannerChange[] }).bannerChanges);
}

/** When the page received each director delta (the agent's ticks, relayed by the dashboard). */
export function deltaTimes(page: Page): number[] {
  const times: number[] = [];
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      if (typeof f.payload === 'string' && f.payload.includes('"director:delta"')) times.push(Date.now());
    }),
  );
  return times;
}

export const gapsOf = (ts: number[]) => ts.slice(1).map((t, i) => t - (ts[i] as number));
