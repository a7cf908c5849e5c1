// How late the page is with each table update: for every 'director:delta' message, the agent's time of the table it
// carries (delta.updatedAt, the same host clock as the browser's Date.now) against when the page's main thread
// dispatched the message (arrival) and the first animation frame after it was handled (paint). A page that keeps up
// has flat lags over a run; a backlog shows as lags that grow with every update.
import type { Page } from '@playwright/test';
import { percentile } from './timeline';

// Plain JavaScript in a string, as in timeline.ts. A listener added in the WebSocket constructor runs before the
// socket's own onmessage handler, in the same task: its rAF callback comes after the delta was applied and rendered.
const PROBE = `(() => {
  const lags = [];
  window.__benchUpdateLag = lags;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string' || !e.data.startsWith('42["director:delta"')) return;
        const m = /"updatedAt":(\\d+)/.exec(e.data);
        if (!m) return;
        const row = { updatedAt: Number(m[1]), arrival: Date.now(), paint: NaN };
        lags.push(row);
        requestAnimationFrame(() => { row.paint = Date.now(); });
      });
    }
  };
})()`;

export interface LagRow {
  updatedAt: number;
  arrival: number;
  paint: number;
}

/** Before the page's first navigation. */
export async function probeUpdateLag(page: Page): Promise<void> {
  await page.addInitScript(PROBE);
}

/** The rows recorded so far (all of them: callers slice by count). */
export async function updateLags(page: Page): Promise<LagRow[]> {
  return (await page.evaluate('window.__benchUpdateLag ?? []')) as LagRow[];
}

const median = (xs: number[]) => percentile(xs, 50);

/** Lags in ms over a stretch: their median and max, and the median of its first and last thirds (a backlog grows). */
export function lagSummary(rows: LagRow[], wallMs: number) {
  const painted = rows.filter((r) => Number.isFinite(r.paint));
  const arrival = painted.map((r) => r.arrival - r.updatedAt);
  const paint = painted.map((r) => r.paint - r.updatedAt);
  /** The page's own share: from the message's dispatch to the frame after it. */
  const page = painted.map((r) => r.paint - r.arrival);
  const third = Math.max(1, Math.floor(paint.length / 3));
  const gaps = rows.slice(1).map((r, i) => r.updatedAt - (rows[i] as LagRow).updatedAt);
  return {
    updates: rows.length,
    updatesPerSecond: +(rows.length / (wallMs / 1000)).toFixed(2),
    /** Between the tables' own times: the agent's cadence as the page saw it. */
    updateGapP50Ms: Math.round(median(gaps)),
    arrivalLagP50Ms: Math.round(median(arrival)),
    paintLagP50Ms: Math.round(median(paint)),
    paintLagMaxMs: Math.round(Math.max(0, ...paint)),
    paintLagFirstThirdMs: Math.round(median(paint.slice(0, third))),
    paintLagLastThirdMs: Math.round(median(paint.slice(-third))),
    pageP50Ms: Math.round(median(page)),
    pageMaxMs: Math.round(Math.max(0, ...page)),
  };
}
