// Browser bench: the overview page with 1,000 services x 10 real servers (10,000 destinations) whose counters change on
// every 1 s tick. From Chromium's performance timeline, over a stretch of seconds each:
//   still     the page open at the top, as an operator leaves it on a screen
//   scrolling mouse-wheel scrolling down through all 1,000 services while the updates go on
//   no rows   the search box matching no service: the updates still arrive and are applied, nothing is drawn (the
//             floor that drawing is compared with)
// Ratios: the longest task against the 50 ms long-task budget, dropped frames against the frames a 60 Hz display
// shows, main-thread busy time against wall time. Per update: the main thread's CPU over the updates the page handled,
// and each update's lag from the agent's read to the page and to its next frame (update-lag.ts), which grows when the
// page falls behind. Issue #18's size is 10,000 x 10 (--services 10000): the agent's own tick may then be slower than
// 1 s (the gap between updates says). The renderer's resident memory (/proc VmRSS of Chromium's largest renderer
// process) and V8's heap are read after the still stretch; --still-only stops there.
// --scroll-seconds scrolls for that long instead of through the whole table (155 s at 10,000); --scroll-only measures
// the scrolling stretch alone. Each stretch also gives the main thread's CPU by rendering phase and every thread's CPU
// (compositor, raster, GPU) from the trace: where a frame's time goes.
//   node --import tsx bench/browser/overview.ts [--seconds 20] [--services 1000] [--dests 10] [--still-only]
//     [--scroll-seconds 30] [--scroll-only] [--css "a style sheet to add"]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Browser, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { launchChromium, openDashboard, startStack } from './stack';
import { LONG_TASK_MS, recordTimeline, round, type Timeline } from './timeline';
import { lagSummary, probeUpdateLag, updateLags } from './update-lag';
import { wheelScroll } from './wheel';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const SECONDS = arg('seconds', 20);
const SERVICES = arg('services', 1000);
const DESTS = arg('dests', 10);
const SCROLL_SECONDS = arg('scroll-seconds', NaN);
/** A style sheet added to the page once it is live: what a CSS change would save, measured without a build. */
const CSS = process.argv.includes('--css') ? process.argv[process.argv.indexOf('--css') + 1] : undefined;
const WARMUP_MS = 8000;
/** Rows are ~31 px: the whole table passes by in about 15 s. */
const SCROLL_PX_PER_S = 2000;

/** `updates`: the table updates the page handled over the stretch (the agent's cadence may be slower than 1 s). */
function summary(t: Timeline, updates: number) {
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
    busyPerSecondMs: Math.round(t.busyMs / (t.busyWallMs / 1000)),
    cpuPerSecondMs: Math.round(t.busyCpuMs / (t.busyWallMs / 1000)),
    /** All the main thread's CPU time (drawing the clock and the scrolling too) over the updates handled. */
    cpuPerUpdateMs: Math.round(t.busyCpuMs / Math.max(1, updates)),
    scriptMs: Math.round(t.scriptMs),
    styleMs: Math.round(t.styleMs),
    layoutMs: Math.round(t.layoutMs),
    phaseCpuMs: t.phaseCpuMs,
    threadCpuMs: t.threadCpuMs,
  };
}
type Summary = ReturnType<typeof summary> & {
  processCpuMs: Record<string, number>;
  staleSeconds: number;
  lag: ReturnType<typeof lagSummary>;
};
const line = (name: string, s: Summary) =>
  `${name}: longest task ${s.longestTaskMs} ms = ${s.longestTaskRatio}x the 50 ms budget (${s.longTasks} long tasks; ` +
  `in CPU time ${s.longestTaskCpuMs} ms = ${s.longestTaskCpuRatio}x), dropped frames ${s.droppedFrames}/${s.expectedFrames} ` +
  `= ${s.droppedRatio}, main thread busy ${s.busyRatio} of the time (CPU ${s.cpuBusyRatio}: ${s.cpuPerSecondMs} ms a second, ${s.cpuPerUpdateMs} ms per update)${s.staleSeconds ? `, shown stale for ${s.staleSeconds} s` : ''}\n` +
  `    ${s.lag.updates} updates (${s.lag.updatesPerSecond}/s, ${s.lag.updateGapP50Ms} ms apart at the agent), agent read to ` +
  `page p50 ${s.lag.arrivalLagP50Ms} ms, to paint p50 ${s.lag.paintLagP50Ms} ms (max ${s.lag.paintLagMaxMs}; first third ` +
  `${s.lag.paintLagFirstThirdMs}, last third ${s.lag.paintLagLastThirdMs}); in the page ` +
  `p50 ${s.lag.pageP50Ms} ms, max ${s.lag.pageMaxMs}\n` +
  `    main-thread CPU by phase (ms): ${cpuList(s.phaseCpuMs)}\n    CPU by thread (ms): ${cpuList(s.threadCpuMs)}\n` +
  `    CPU by process (ms): ${cpuList(s.processCpuMs)}`;
const cpuList = (ms: Record<string, number>) =>
  Object.entries(ms)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([k, v]) => `${k.replace('IntersectionObserverController::computeIntersections', 'IntersectionObserver')} ${v}`,
    )
    .join(', ');

/** Resident memory of the largest renderer process and the page's V8 heap, in MB (Linux /proc). */
async function rendererMemory(browser: Browser, page: Page) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number }[];
  };
  const rssKB = processInfo
    .filter((p) => p.type === 'renderer')
    .map((p) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'))?.[1] ?? 0));
  const pageCdp = await page.context().newCDPSession(page);
  await pageCdp.send('Performance.enable');
  const { metrics } = await pageCdp.send('Performance.getMetrics');
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  return { rendererRssMB: Math.round(Math.max(0, ...rssKB) / 1024), jsHeapUsedMB: Math.round(heap / 2 ** 20) };
}

/** CPU seconds so far of Chromium's processes, summed by process type (browser, renderer, GPU, utility). */
async function processCpu(browser: Browser): Promise<Record<string, number>> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; cpuTime: number }[];
  };
  await cdp.detach();
  const byType: Record<string, number> = {};
  for (const p of processInfo) byType[p.type] = (byType[p.type] ?? 0) + p.cpuTime;
  return byType;
}

/** Which stage the run is in, on stderr: a run that never finishes says where it stopped. */
const runStarted = performance.now();
const stage = (what: string) =>
  console.error(
    `[${round((performance.now() - runStarted) / 1000, 1)} s, load ${round(loadavg()[0] ?? 0, 1)}] ${what}`,
  );

const load1 = round(loadavg()[0] ?? 0, 1);
stage('starting the simulated director and the dashboard');
const stack = await startStack('big', ['--services', String(SERVICES), '--dests', String(DESTS)]);
const browser = await launchChromium();
try {
  const page = await openDashboard(browser, stack.url);
  await probeUpdateLag(page);
  const deltas: number[] = []; // sizes of the director:delta messages
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      if (typeof f.payload === 'string' && f.payload.startsWith('42["director:delta"')) deltas.push(f.payload.length);
    }),
  );
  const loadStarted = performance.now();
  stage('loading the overview');
  await page.goto('/');
  const card = page.getByTestId(`director-${stack.director}`);
  const rows = card.locator('tr[data-service]');
  const status = page.getByTestId('director-status').first();
  await expect(card.locator('header')).toContainText(`${SERVICES} services`, { timeout: 120_000 });
  stage('header shows every service');
  await expect(rows.first()).toBeVisible();
  await expect(status).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  const firstLoadMs = Math.round(performance.now() - loadStarted);
  if (CSS) await page.addStyleTag({ content: CSS });
  stage(`live after ${firstLoadMs} ms; warming up`);
  await page.waitForTimeout(WARMUP_MS); // a few samples in every sparkline, JIT warmed up

  const measure = async (name: string, during: () => Promise<unknown>) => {
    stage(`measuring: ${name}`);
    const cpuBefore = await processCpu(browser);
    const stop = await recordTimeline(page);
    // Counted over `during` only: starting and stopping the trace take seconds of their own.
    const lagsBefore = (await updateLags(page)).length;
    // The page's own watchdog calls the director stale when updates are handled late: count the seconds it does.
    let staleSeconds = 0;
    const watch = setInterval(() => {
      // a failure of the run itself closes the page: this poll must not hide that error behind its own
      void status
        .getAttribute('data-status', { timeout: 900 })
        .then((s) => (staleSeconds += s === 'live' ? 0 : 1))
        .catch(() => undefined);
    }, 1000);
    await during();
    clearInterval(watch);
    const lagRows = (await updateLags(page)).slice(lagsBefore);
    const cpuAfter = await processCpu(browser);
    const t = await stop();
    // Whole processes over `during` (and the trace's stop): what the two cores went to besides the main thread.
    const processCpuMs = Object.fromEntries(
      Object.entries(cpuAfter).map(([k, v]) => [k, Math.round((v - (cpuBefore[k] ?? 0)) * 1000)]),
    );
    const lag = lagSummary(lagRows, t.wallMs);
    return { ...summary(t, lag.updates), processCpuMs, staleSeconds, lag };
  };
  const scrollOnly = process.argv.includes('--scroll-only');
  const still = scrollOnly ? undefined : await measure('still', () => page.waitForTimeout(SECONDS * 1000));
  const deltaKB = round(deltas.reduce((a, b) => a + b, 0) / Math.max(1, deltas.length) / 1024, 1);
  const memory = await rendererMemory(browser, page);
  stage(`renderer ${memory.rendererRssMB} MB resident, JS heap ${memory.jsHeapUsedMB} MB`);
  if (process.argv.includes('--still-only')) {
    console.log(
      `browser-overview ${SERVICES}x${DESTS}, still only, ${deltaKB} KB per update (load average ${load1} at the ` +
        `start, ${round(loadavg()[0] ?? 0, 1)} at the end); renderer ${memory.rendererRssMB} MB resident, JS heap ` +
        `${memory.jsHeapUsedMB} MB\n  ${still ? line('still', still) : ''}`,
    );
    console.log(
      JSON.stringify({ bench: 'browser-overview', services: SERVICES, load1, firstLoadMs, deltaKB, memory, still }),
    );
  } else {
    await page.mouse.move(720, 500);
    const scrollMs = Number.isNaN(SCROLL_SECONDS) ? (SERVICES * 31 * 1000) / SCROLL_PX_PER_S : SCROLL_SECONDS * 1000;
    const scrolling = await measure('scrolling', () => wheelScroll(page, SCROLL_PX_PER_S, scrollMs));
    const loadAfterScroll = round(loadavg()[0] ?? 0, 1);
    await page.evaluate('window.scrollTo(0, 0)');

    let noRows: Summary | undefined;
    if (!scrollOnly) {
      stage('filtering out every service');
      await page.getByLabel('Search services').fill('no-such-service');
      await expect(rows).toHaveCount(0);
      noRows = await measure('no rows', () => page.waitForTimeout(SECONDS * 1000));
    }

    const result = {
      services: SERVICES,
      destinations: SERVICES * DESTS,
      load1,
      loadAfterScroll,
      firstLoadMs,
      deltaKB,
      memory,
      still,
      scrolling,
      noRows,
    };
    console.log(
      `browser-overview ${SERVICES}x${DESTS}, ${deltaKB} KB per update (load average ${load1} at the start, ` +
        `${loadAfterScroll} after the scrolling)\n` +
        [still && line('still', still), line('scrolling', scrolling), noRows && line('no rows drawn', noRows)]
          .filter(Boolean)
          .map((l) => `  ${l}`)
          .join('\n'),
    );
    console.log(JSON.stringify({ bench: 'browser-overview', ...result }));
  }
} finally {
  await browser.close();
  await stack.stop();
}
