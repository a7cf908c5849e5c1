// Browser bench: the overview page with 1,000 services x 10 real servers (10,000 destinations) whose counters change on
// every 1 s tick. From Chromium's performance timeline, over a stretch of seconds each:
//   still     the page open at the top, as an operator leaves it on a screen
//   scrolling mouse-wheel scrolling down through all 1,000 services while the updates go on
//   no rows   the search box matching no service: the updates still arrive and are applied, nothing is drawn (the
//             floor that drawing is compared with)
// Ratios: the longest task against the 50 ms long-task budget, dropped frames against the frames a 60 Hz display
// shows, main-thread busy time against wall time.
//   node --import tsx bench/browser/overview.ts [--seconds 20] [--services 1000] [--dests 10]
import { loadavg } from 'node:os';
import { expect } from '@playwright/test';
import { launchChromium, openDashboard, startStack } from './stack';
import { LONG_TASK_MS, recordTimeline, round, type Timeline } from './timeline';
import { wheelScroll } from './wheel';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const SECONDS = arg('seconds', 20);
const SERVICES = arg('services', 1000);
const DESTS = arg('dests', 10);
const WARMUP_MS = 8000;
/** Rows are ~31 px: the whole table passes by in about 15 s. */
const SCROLL_PX_PER_S = 2000;

function summary(t: Timeline) {
  return {
    seconds: round(t.wallMs / 1000, 1),
    longestTaskMs: Math.round(t.longestTaskMs),
    longTasks: t.longTasks,
    longestTaskRatio: round(t.longestTaskMs / LONG_TASK_MS, 2),
    longestTaskCpuMs: Math.round(t.longestTaskCpuMs),
    longestTaskCpuRatio: round(t.longestTaskCpuMs / LONG_TASK_MS, 2),
    droppedFrames: t.droppedFrames,
    expectedFrames: t.expectedFrames,
    droppedRatio: round(t.droppedFrames / t.expectedFrames),
    frameP95Ms: round(t.frameP95Ms, 1),
    busyRatio: round(t.busyMs / t.busyWallMs),
    cpuBusyRatio: round(t.busyCpuMs / t.busyWallMs),
    /** One update a second: this is also the time per update. */
    busyPerSecondMs: Math.round(t.busyMs / (t.busyWallMs / 1000)),
    cpuPerSecondMs: Math.round(t.busyCpuMs / (t.busyWallMs / 1000)),
    scriptMs: Math.round(t.scriptMs),
    styleMs: Math.round(t.styleMs),
    layoutMs: Math.round(t.layoutMs),
  };
}
type Summary = ReturnType<typeof summary> & { staleSeconds: number };
const line = (name: string, s: Summary) =>
  `${name}: longest task ${s.longestTaskMs} ms = ${s.longestTaskRatio}x the 50 ms budget (${s.longTasks} long tasks; ` +
  `in CPU time ${s.longestTaskCpuMs} ms = ${s.longestTaskCpuRatio}x), dropped frames ${s.droppedFrames}/${s.expectedFrames} ` +
  `= ${s.droppedRatio}, main thread busy ${s.busyRatio} of the time (CPU ${s.cpuBusyRatio}: ${s.cpuPerSecondMs} ms per update)${s.staleSeconds ? `, shown stale for ${s.staleSeconds} s` : ''}`;

const load1 = round(loadavg()[0] ?? 0, 1);
const stack = await startStack('big', ['--services', String(SERVICES), '--dests', String(DESTS)]);
const browser = await launchChromium();
try {
  const page = await openDashboard(browser, stack.url);
  const deltas: number[] = []; // sizes of the director:delta messages
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      if (typeof f.payload === 'string' && f.payload.startsWith('42["director:delta"')) deltas.push(f.payload.length);
    }),
  );
  const loadStarted = performance.now();
  await page.goto('/');
  const card = page.getByTestId(`director-${stack.director}`);
  const rows = card.locator('tr[data-service]');
  const status = page.getByTestId('director-status').first();
  await expect(card.locator('header')).toContainText(`${SERVICES} services`, { timeout: 120_000 });
  await expect(rows.first()).toBeVisible();
  await expect(status).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  const firstLoadMs = Math.round(performance.now() - loadStarted);
  await page.waitForTimeout(WARMUP_MS); // a few samples in every sparkline, JIT warmed up

  const measure = async (during: () => Promise<unknown>) => {
    // The page's own watchdog calls the director stale when updates are handled late: count the seconds it does.
    let staleSeconds = 0;
    const watch = setInterval(() => {
      // a failure of the run itself closes the page: this poll must not hide that error behind its own
      void status
        .getAttribute('data-status', { timeout: 900 })
        .then((s) => (staleSeconds += s === 'live' ? 0 : 1))
        .catch(() => undefined);
    }, 1000);
    const stop = await recordTimeline(page);
    await during();
    const t = await stop();
    clearInterval(watch);
    return { ...summary(t), staleSeconds };
  };
  const still = await measure(() => page.waitForTimeout(SECONDS * 1000));
  const deltaKB = round(deltas.reduce((a, b) => a + b, 0) / Math.max(1, deltas.length) / 1024, 1);

  await page.mouse.move(720, 500);
  const scrolling = await measure(() => wheelScroll(page, SCROLL_PX_PER_S, (SERVICES * 31 * 1000) / SCROLL_PX_PER_S));
  await page.evaluate('window.scrollTo(0, 0)');

  await page.getByLabel('Search services').fill('no-such-service');
  await expect(rows).toHaveCount(0);
  const noRows = await measure(() => page.waitForTimeout(SECONDS * 1000));

  const result = {
    services: SERVICES,
    destinations: SERVICES * DESTS,
    load1,
    firstLoadMs,
    deltaKB,
    still,
    scrolling,
    noRows,
  };
  console.log(
    `browser-overview ${SERVICES}x${DESTS}, ${deltaKB} KB per update (load average ${load1} at the start)\n` +
      `  ${line('still', still)}\n  ${line('scrolling', scrolling)}\n  ${line('no rows drawn', noRows)}`,
  );
  console.log(JSON.stringify({ bench: 'browser-overview', ...result }));
} finally {
  await browser.close();
  await stack.stop();
}
