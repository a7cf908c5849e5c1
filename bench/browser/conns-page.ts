// In-page probes of the connection view's virtual table (plain JavaScript, see timeline.ts for why): which rows of the
// viewport show data and which still show the grey placeholder of a page not loaded yet, and the moment, in the page's
// own clock, when the viewport is filled with the rows a scroll jump or a filter asked for.
import type { Page } from '@playwright/test';

const ROW_PX = 28;
const HEADER_PX = 32;

const PROBES = `(() => {
  const ROW = ${ROW_PX}, HEADER = ${HEADER_PX};
  const table = () => document.querySelector('[role=table]');
  const c = {
    lastInput: 0,
    sampled: { frames: 0, rows: 0, blank: 0 },
    sampling: false,
    view() {
      const t = table();
      const body = t && t.querySelectorAll('[role=rowgroup]')[1];
      const out = { seen: 0, blank: 0, first: -1, dests: [] };
      if (!body) return out;
      const top = t.scrollTop, bottom = top + t.clientHeight - HEADER;
      for (const r of body.children) {
        const y = parseFloat(r.style.top);
        if (!(y + ROW > top && y < bottom)) continue;
        out.seen++;
        if (!r.hasAttribute('aria-rowindex')) { out.blank++; continue; }
        const i = Number(r.getAttribute('aria-rowindex')) - 2;
        if (out.first < 0 || i < out.first) out.first = i;
        const d = r.querySelector('[data-testid=conn-dest]');
        if (d) out.dests.push(d.textContent);
      }
      return out;
    },
    /** Resolves with performance.now() at the first frame where ok() holds. */
    until(ok, timeoutMs) {
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const check = (now) => {
          if (ok()) return resolve(now);
          if (now - started > timeoutMs) return reject(new Error('timed out: ' + JSON.stringify(c.view())));
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
    },
    async jump(row) {
      const t = table();
      const t0 = performance.now();
      t.scrollTop = row * ROW;
      const t1 = await c.until(() => { const v = c.view(); return v.seen > 0 && v.blank === 0 && Math.abs(v.first - row) <= 1; }, 30000);
      return t1 - t0;
    },
    async filtered(text, expected) {
      const info = document.querySelector('[data-testid=read-info]');
      const t1 = await c.until(() => {
        if (!info || !info.textContent.startsWith(expected + ' of')) return false;
        const v = c.view();
        return v.seen > 0 && v.blank === 0 && v.dests.every((d) => d.includes(text));
      }, 30000);
      return t1 - c.lastInput;
    },
    sample() {
      c.sampling = true;
      c.sampled = { frames: 0, rows: 0, blank: 0 };
      const loop = () => {
        if (!c.sampling) return;
        const v = c.view();
        c.sampled.frames++; c.sampled.rows += v.seen; c.sampled.blank += v.blank;
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    },
    stopSampling() { c.sampling = false; return c.sampled; },
  };
  document.addEventListener('input', () => { c.lastInput = performance.now(); }, true);
  window.__conns = c;
})()`;

export interface ConnsPage {
  /** Scroll the table to a row; ms until the viewport shows that row and no placeholder. */
  jump: (row: number) => Promise<number>;
  /** ms from the last input event until the read-info shows `expected` matches and every row shows `text`. */
  filtered: (text: string, expected: number) => Promise<number>;
  sample: () => Promise<void>;
  /** Frames sampled, viewport rows seen over them, and how many of those were placeholders. */
  stopSampling: () => Promise<{ frames: number; rows: number; blank: number }>;
}

export async function probeConnsPage(page: Page): Promise<ConnsPage> {
  await page.evaluate(PROBES);
  return {
    jump: (row) => page.evaluate(`window.__conns.jump(${row})`) as Promise<number>,
    filtered: (text, expected) =>
      page.evaluate(
        `window.__conns.filtered(${JSON.stringify(text)}, ${JSON.stringify(expected.toLocaleString('en-US'))})`,
      ) as Promise<number>,
    sample: async () => void (await page.evaluate('window.__conns.sample()')),
    stopSampling: () =>
      page.evaluate('window.__conns.stopSampling()') as Promise<{ frames: number; rows: number; blank: number }>,
  };
}
