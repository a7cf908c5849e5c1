// Browser bench: the connection view (/directors/<name>/connections) on a 120,000-entry table. Three things, each
// printed as a ratio against a budget or against the request round trip measured in the same run:
//   scroll  mouse-wheel scrolling through the virtual table: frame time p95 against the 16.7 ms frame budget, dropped
//           frames against the frames a 60 Hz display shows, viewport rows still blank (page not loaded yet)
//   jump    the scrollbar dragged far away: time until the viewport shows those rows, against the round trip of the
//           page request it needs (Chromium's own WebSocket frame timestamps)
//   filter  typing a real server into the filter: time from the last keystroke until the rows show only matches,
//           less the deliberate typing debounce, against the 100 ms response budget and against the round trip
//   node --import tsx bench/browser/connections.ts [--conns 120000] [--scroll-seconds 15]
import { loadavg } from 'node:os';
import { expect } from '@playwright/test';
import { probeConnsPage } from './conns-page';
import { timeSocketRequests } from './socket-timing';
import { launchChromium, openDashboard, startStack } from './stack';
import { FRAME_MS, LONG_TASK_MS, percentile, recordTimeline, round } from './timeline';
import { wheelScroll } from './wheel';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const CONNS = arg('conns', 120_000);
const SCROLL_SECONDS = arg('scroll-seconds', 15);
/** About 70 rows a second: fast skimming, still readable in bursts. */
const SCROLL_PX_PER_S = 2000;
/** ConnectionsView's TEXT_DEBOUNCE_MS: the query waits for a pause in typing, by design. */
const DEBOUNCE_MS = 300;
const RESPONSE_BUDGET_MS = 100;
const PAGE_ROWS = 200;
const JUMPS = [0.5, 0.9, 0.1, 0.7, 0.3, 0.97, 0.2, 0.6];
const FILTERS = 4;

const median = (xs: number[]) => percentile(xs, 50);

const load1 = round(loadavg()[0] ?? 0, 1);
const stack = await startStack('lab', ['--conns', String(CONNS)]);
const browser = await launchChromium();
try {
  const page = await openDashboard(browser, stack.url);
  const sockets = await timeSocketRequests(page);
  await page.goto(`/directors/${stack.director}/connections`);
  const info = page.getByTestId('read-info');
  await expect(info).toContainText(/of [\d,]+ entries/, { timeout: 60_000 });
  await expect(page.getByTestId('conn-row').first()).toBeVisible();
  const total = Number(/of ([\d,]+) entries/.exec(await info.innerText())?.[1]?.replace(/,/g, ''));
  const probe = await probeConnsPage(page);
  await page.waitForTimeout(3000); // a refresh or two: JIT warmed up

  // --- scroll -------------------------------------------------------------------------------------------------------
  const table = page.getByRole('table', { name: `Connections on ${stack.director}` });
  const box = await table.boundingBox();
  if (!box) throw new Error('the connection table is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await probe.sample();
  const stopTimeline = await recordTimeline(page);
  const scrolledPx = await wheelScroll(page, SCROLL_PX_PER_S, SCROLL_SECONDS * 1000);
  const t = await stopTimeline();
  const blank = await probe.stopSampling();

  // --- jump -----------------------------------------------------------------------------------------------------------
  const jumps: { ms: number; roundTripMs: number }[] = [];
  for (const at of JUMPS) {
    const row = Math.min(total - 40, Math.floor(at * total));
    const mark = sockets.mark();
    const ms = await probe.jump(row);
    const offset = `"offset":${Math.floor(row / PAGE_ROWS) * PAGE_ROWS}`;
    const rt = sockets.roundTrips('conns:query', mark).find((r) => r.payload.includes(offset));
    if (!rt) throw new Error(`no conns:query for ${offset} after the jump to row ${row}`);
    jumps.push({ ms, roundTripMs: rt.ms });
    await page.waitForTimeout(500);
  }
  await probe.jump(0);

  // --- filter ---------------------------------------------------------------------------------------------------------
  const chips = (await page.getByTestId('by-dest').getByRole('button').allInnerTexts())
    .map((s) => s.trim().split(/\s+/))
    .map(([label, count]) => ({ label: label ?? '', count: Number(count?.replace(/,/g, '')) }))
    .sort((a, b) => b.count - a.count)
    .slice(0, FILTERS);
  const input = page.getByLabel('Real server');
  const filters: { text: string; ms: number; roundTripMs: number }[] = [];
  const timeFilter = async (text: string, expected: number, type: () => Promise<void>) => {
    const mark = sockets.mark();
    await type();
    const ms = await probe.filtered(text, expected);
    const query = sockets
      .roundTrips('conns:query', mark)
      .find((r) => (text ? r.payload.includes(`"dest":"${text}"`) : !r.payload.includes('"dest"')));
    if (!query) throw new Error(`no conns:query for the filter "${text}"`);
    filters.push({ text, ms: ms - DEBOUNCE_MS, roundTripMs: query.ms });
    await page.waitForTimeout(500);
  };
  for (const chip of chips) {
    await timeFilter(chip.label, chip.count, () => input.pressSequentially(chip.label, { delay: 40 }));
    await timeFilter('', total, () => input.fill(''));
  }

  const jumpMs = median(jumps.map((j) => j.ms));
  const jumpRoundTripMs = median(jumps.map((j) => j.roundTripMs));
  const filterMs = median(filters.map((f) => f.ms));
  const filterRoundTripMs = median(filters.map((f) => f.roundTripMs));
  const result = {
    entries: total,
    load1,
    scroll: {
      seconds: round(t.wallMs / 1000, 1),
      rows: Math.round(scrolledPx / 28),
      frameP95Ms: round(t.frameP95Ms, 1),
      frameP95Ratio: round(t.frameP95Ms / FRAME_MS, 2),
      droppedFrames: t.droppedFrames,
      expectedFrames: t.expectedFrames,
      droppedRatio: round(t.droppedFrames / t.expectedFrames),
      longestTaskRatio: round(t.longestTaskMs / LONG_TASK_MS, 2),
      longestTaskCpuRatio: round(t.longestTaskCpuMs / LONG_TASK_MS, 2),
      busyRatio: round(t.busyMs / t.busyWallMs),
      cpuBusyRatio: round(t.busyCpuMs / t.busyWallMs),
      blankRowRatio: round(blank.blank / Math.max(1, blank.rows)),
    },
    jump: {
      samples: jumps.length,
      medianMs: Math.round(jumpMs),
      maxMs: Math.round(Math.max(...jumps.map((j) => j.ms))),
      roundTripMs: Math.round(jumpRoundTripMs),
      roundTripRatio: round(jumpMs / jumpRoundTripMs, 2),
      budgetRatio: round(jumpMs / RESPONSE_BUDGET_MS, 2),
    },
    filter: {
      samples: filters.length,
      debounceMs: DEBOUNCE_MS,
      medianMs: Math.round(filterMs),
      maxMs: Math.round(Math.max(...filters.map((f) => f.ms))),
      roundTripMs: Math.round(filterRoundTripMs),
      roundTripRatio: round(filterMs / filterRoundTripMs, 2),
      budgetRatio: round(filterMs / RESPONSE_BUDGET_MS, 2),
    },
  };
  const { scroll, jump, filter } = result;
  console.log(
    `browser-connections ${total} entries (load average ${load1} at the start): ` +
      `scroll ${scroll.rows} rows in ${scroll.seconds} s: frame p95 ${scroll.frameP95Ms} ms = ${scroll.frameP95Ratio}x the 16.7 ms budget, ` +
      `dropped ${t.droppedFrames}/${t.expectedFrames} = ${scroll.droppedRatio}, blank rows ${scroll.blankRowRatio} of those in view, ` +
      `longest task ${scroll.longestTaskRatio}x the 50 ms budget (CPU time ${scroll.longestTaskCpuRatio}x), ` +
      `main thread busy ${scroll.busyRatio} (CPU ${scroll.cpuBusyRatio}); ` +
      `jump (median of ${jump.samples}) ${jump.medianMs} ms = ${jump.roundTripRatio}x its request's round trip (${jump.roundTripMs} ms), ` +
      `${jump.budgetRatio}x the 100 ms budget; ` +
      `filter (median of ${filter.samples}, after the ${DEBOUNCE_MS} ms debounce) ${filter.medianMs} ms = ` +
      `${filter.roundTripRatio}x its request's round trip (${filter.roundTripMs} ms), ${filter.budgetRatio}x the 100 ms budget`,
  );
  console.log(JSON.stringify({ bench: 'browser-connections', ...result }));
} finally {
  await browser.close();
  await stack.stop();
}
