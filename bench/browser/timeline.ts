// Chromium's performance timeline over a stretch of time, for one page: every animation frame the main thread
// produced (requestAnimationFrame timestamps), every long task (PerformanceObserver 'longtask': > 50 ms), the main
// thread's busy time (CDP Performance.getMetrics: TaskDuration, split into script, style and layout), and from a
// trace of the renderer's tasks the same in thread CPU time: on a shared machine a task's wall time also counts the
// time its thread waited for a core, its CPU time does not.
import type { CDPSession, Page } from '@playwright/test';

export const FRAME_MS = 1000 / 60;
/** The Long Tasks API's threshold: a task longer than this delays input noticeably. */
export const LONG_TASK_MS = 50;

export interface Timeline {
  wallMs: number;
  frames: number;
  /** Frames a 60 Hz display would have shown over the same time. */
  expectedFrames: number;
  /** Vsyncs with no new frame: each gap between two frames counts its missed vsyncs. */
  droppedFrames: number;
  frameP50Ms: number;
  frameP95Ms: number;
  longestFrameMs: number;
  longTasks: number;
  longestTaskMs: number;
  /** The longest main-thread task in thread CPU time, and the main thread's CPU time over the whole stretch. */
  longestTaskCpuMs: number;
  busyCpuMs: number;
  /** Main-thread task time, and the wall time it was measured over (CDP's own clock). */
  busyMs: number;
  busyWallMs: number;
  scriptMs: number;
  styleMs: number;
  layoutMs: number;
  /** The busiest renderer main thread's CPU time in each rendering phase (trace events named in PHASES). */
  phaseCpuMs: Record<string, number>;
  /** Each thread's CPU time in top-level tasks, by thread name over every process (compositor, raster, GPU...). */
  threadCpuMs: Record<string, number>;
}

/** The trace events a frame's main-thread time goes to: script, style, layout, the paint lifecycle, hit tests. */
const PHASES = [
  'FunctionCall',
  'EventDispatch',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'Commit',
  'HitTest',
  'IntersectionObserverController::computeIntersections',
];

// Plain JavaScript in a string: a function would be serialized after tsx's transform, which can refer to helpers
// that do not exist in the page.
const START = `(() => {
  const rec = { frames: [], tasks: [], stopped: false };
  window.__benchTimeline = rec;
  rec.observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) rec.tasks.push(e.duration); });
  rec.observer.observe({ type: 'longtask' });
  const loop = (t) => { if (rec.stopped) return; rec.frames.push(t); requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
})()`;
const STOP = `(() => {
  const rec = window.__benchTimeline;
  rec.stopped = true;
  for (const e of rec.observer.takeRecords()) rec.tasks.push(e.duration);
  rec.observer.disconnect();
  return { frames: rec.frames, tasks: rec.tasks };
})()`;

type Metrics = Record<string, number>;
async function metrics(cdp: CDPSession): Promise<Metrics> {
  const r = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(r.metrics.map((m) => [m.name, m.value]));
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * The trace's thread names and RunTask events. Chromium writes one event a line; the whole trace of a long stretch can
 * pass the longest string V8 makes (512 MB: the overview scrolling through 10,000 services did), so it is read line by
 * line and only the lines of those two kinds are parsed.
 */
const WANTED = ['RunTask', 'thread_name', ...PHASES].map((n) => Buffer.from(`"name":"${n}"`));
function traceEvents(trace: Buffer): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (let start = 0; start < trace.length;) {
    const nl = trace.indexOf(10, start);
    const end = nl < 0 ? trace.length : nl;
    const line = trace.subarray(start, end);
    start = end + 1;
    if (!WANTED.some((w) => line.includes(w))) continue;
    const text = line.toString().trim().replace(/,$/, '');
    if (!text.startsWith('{')) continue;
    const e = JSON.parse(text) as TraceEvent;
    if (e.name === 'RunTask' || e.name === 'thread_name' || PHASES.includes(e.name)) events.push(e);
  }
  return events;
}

/** Events of one kind on one thread, nested ones left out (counted with the one they run in). */
function outermost(events: TraceEvent[]): TraceEvent[] {
  const top: TraceEvent[] = [];
  let end = -Infinity;
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.ts < end) continue;
    end = e.ts + (e.dur ?? 0);
    top.push(e);
  }
  return top;
}
const cpuMs = (events: TraceEvent[]) => events.reduce((n, e) => n + (e.tdur ?? e.dur ?? 0), 0) / 1000;

/**
 * From a trace: the top-level tasks (wall and CPU µs) of the busiest renderer main thread (the page's: others idle),
 * that thread's CPU by rendering phase, and every thread's task CPU by thread name.
 */
function traceSummary(trace: Buffer) {
  const events = traceEvents(trace);
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X') continue;
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key) ?? [];
    list.push(e);
    byThread.set(key, list);
  }
  const tasksOf = (key: string) => outermost((byThread.get(key) ?? []).filter((e) => e.name === 'RunTask'));
  const threadCpuMs: Record<string, number> = {};
  for (const key of byThread.keys()) {
    const name = (names.get(key) ?? '?').replace(/\d+$/, '');
    threadCpuMs[name] = Math.round((threadCpuMs[name] ?? 0) + cpuMs(tasksOf(key)));
  }
  const busiest = [...byThread.keys()]
    .filter((k) => names.get(k) === 'CrRendererMain')
    .map((k) => ({ k, tasks: tasksOf(k) }))
    .sort((a, b) => b.tasks.reduce((n, e) => n + (e.dur ?? 0), 0) - a.tasks.reduce((n, e) => n + (e.dur ?? 0), 0))[0];
  const phaseCpuMs: Record<string, number> = {};
  for (const phase of PHASES)
    phaseCpuMs[phase] = Math.round(
      cpuMs(outermost((busiest ? (byThread.get(busiest.k) ?? []) : []).filter((e) => e.name === phase))),
    );
  const top = (busiest?.tasks ?? []).map((e) => ({ dur: e.dur ?? 0, tdur: e.tdur ?? e.dur ?? 0 }));
  return { top, phaseCpuMs, threadCpuMs };
}

/** Starts recording; the returned function stops and sums up. */
export async function recordTimeline(page: Page): Promise<() => Promise<Timeline>> {
  const browser = page.context().browser();
  if (!browser) throw new Error('recordTimeline needs a launched browser');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline'] });
  const before = await metrics(cdp);
  await page.evaluate(START);
  return async () => {
    const { frames, tasks } = (await page.evaluate(STOP)) as { frames: number[]; tasks: number[] };
    const after = await metrics(cdp);
    const { top: cpuTasks, phaseCpuMs, threadCpuMs } = traceSummary(await browser.stopTracing());
    await cdp.detach();
    const spent = (name: string) => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
    const gaps = frames.slice(1).map((t, i) => t - (frames[i] as number));
    const wallMs = (frames.at(-1) ?? 0) - (frames[0] ?? 0);
    return {
      wallMs,
      frames: frames.length,
      expectedFrames: Math.round(wallMs / FRAME_MS) + 1,
      droppedFrames: gaps.reduce((n, g) => n + Math.max(0, Math.round(g / FRAME_MS) - 1), 0),
      frameP50Ms: percentile(gaps, 50),
      frameP95Ms: percentile(gaps, 95),
      longestFrameMs: Math.max(0, ...gaps),
      longTasks: tasks.length,
      // Long-task entries exist only for tasks over 50 ms: the trace's main-thread tasks give the longest below that.
      longestTaskMs: Math.max(0, ...tasks, cpuTasks.reduce((m, t) => Math.max(m, t.dur), 0) / 1000),
      longestTaskCpuMs: cpuTasks.reduce((m, t) => Math.max(m, t.tdur), 0) / 1000,
      busyCpuMs: cpuTasks.reduce((n, t) => n + t.tdur, 0) / 1000,
      busyMs: spent('TaskDuration'),
      busyWallMs: spent('Timestamp'),
      scriptMs: spent('ScriptDuration'),
      styleMs: spent('RecalcStyleDuration'),
      layoutMs: spent('LayoutDuration'),
      phaseCpuMs,
      threadCpuMs,
    };
  };
}

export const round = (x: number, digits = 3) => +x.toFixed(digits);
