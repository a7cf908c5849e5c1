import type { Page } from '@playwright/test';

/** Mouse-wheel scrolling at a steady speed (the mouse must be over what should scroll), in ~16 ms steps. */
export async function wheelScroll(page: Page, pxPerSecond: number, ms: number): Promise<number> {
  const started = Date.now();
  let scrolled = 0;
  while (Date.now() - started < ms) {
    const dy = Math.round(((Date.now() - started) / 1000) * pxPerSecond - scrolled);
    if (dy > 0) {
      await page.mouse.wheel(0, dy);
      scrolled += dy;
    }
    await new Promise((r) => setTimeout(r, 16));
  }
  return scrolled;
}
