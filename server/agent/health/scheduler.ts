// Runs each check at its interval, spread by jitter (the first run at a random point of the first interval, then
// +-10% each time so that checks started together drift apart), with at most `concurrency` checks in flight: the
// others wait in arrival order. A check's time limit is its own (runCheck enforces it).
// One timer serves every job: the next runs wait in a heap by time, and the scheduler wakes up in windows of a tenth
// of the interval (at most WINDOW_MS), each wake-up starting every run due in its window: a run starts at most
// EARLY_LATE of its interval before or after its due time, and 1,000 checks a second cost about 10-20 wake-ups instead
// of 1,000 timers set and fired.
export interface ScheduledJob {
  intervalMs: number;
  /** Runs one check; never rejects. Resolves to the time until the next run when it is not intervalMs (a retry). */
  run(): Promise<number | void>;
}

/** How far before or after its due time a run may start, as a share of its interval (or retry delay). */
export const EARLY_LATE = 0.05;
/** Wake-ups are at most this far apart when runs are waiting (a tenth of a 1 s interval). */
export const WINDOW_MS = 100;

interface Due {
  at: number;
  key: string;
  job: ScheduledJob;
  /** How early (or late) it may start: EARLY_LATE of its delay. */
  slack: number;
}

export class CheckScheduler {
  private readonly jobs = new Map<string, ScheduledJob>();
  /** Each job's one pending run: a heap entry that is not the job's current one is stale and skipped. */
  private readonly pending = new Map<string, Due>();
  private readonly heap: Due[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private lastWake = -Infinity;
  /** The smallest slack of any run armed (since the last removal): no run waits past its own slack for a window. */
  private minSlack = Infinity;
  private readonly waiting: string[] = [];
  private readonly queued = new Set<string>();
  private inFlight = 0;
  private stopped = false;

  constructor(
    private readonly concurrency = 64,
    private readonly random: () => number = Math.random,
  ) {}

  get size(): number {
    return this.jobs.size;
  }

  /** Start (or replace) the job under `key`. */
  add(key: string, job: ScheduledJob): void {
    this.remove(key);
    this.jobs.set(key, job);
    this.arm(key, job, this.random() * job.intervalMs, job.intervalMs);
  }

  remove(key: string): void {
    const gone = this.pending.get(key);
    this.jobs.delete(key);
    this.pending.delete(key);
    if (gone && gone.slack <= this.minSlack) {
      this.minSlack = Infinity;
      for (const d of this.pending.values()) this.minSlack = Math.min(this.minSlack, d.slack);
    }
  }

  has(key: string): boolean {
    return this.jobs.has(key);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.heap.length = 0;
    this.pending.clear();
    this.jobs.clear();
    this.waiting.length = 0;
    this.queued.clear();
  }

  private arm(key: string, job: ScheduledJob, delay: number, period: number): void {
    if (this.stopped || this.jobs.get(key) !== job) return;
    const due: Due = { at: performance.now() + delay, key, job, slack: period * EARLY_LATE };
    this.pending.set(key, due);
    this.minSlack = Math.min(this.minSlack, due.slack);
    push(this.heap, due);
    this.wake();
  }

  /** The one timer, set for the earliest run (unless it is already set no later than that): a window after the last
   * wake-up, but not before the run's slack before its time nor past the smallest slack after it (every other run is
   * due no earlier, and may be that late at least, so none starts later than its own slack). */
  private wake(): void {
    const next = this.heap[0];
    if (!next) return;
    const windowEnd = this.lastWake + Math.min(WINDOW_MS, 2 * this.minSlack);
    const at = Math.max(next.at - next.slack, Math.min(next.at + this.minSlack, windowEnd));
    if (at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - performance.now()));
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = (this.lastWake = performance.now());
    for (let top = this.heap[0]; top && top.at - top.slack <= now; top = this.heap[0]) {
      pop(this.heap);
      if (this.pending.get(top.key) !== top) continue; // removed or replaced meanwhile
      this.pending.delete(top.key);
      this.enqueue(top.key);
    }
    this.pump();
    this.wake();
  }

  private enqueue(key: string): void {
    if (this.queued.has(key)) return; // still waiting from last time: a slot is what it lacks, not another turn
    this.queued.add(key);
    this.waiting.push(key);
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.waiting.length > 0) {
      const key = this.waiting.shift() as string;
      this.queued.delete(key);
      const job = this.jobs.get(key);
      if (!job) continue;
      this.inFlight++;
      const started = performance.now();
      const ran = (delayMs: number | void) => {
        this.inFlight--;
        // the next run one interval (+-10%) after this one started, not after it ended
        const period = delayMs ?? job.intervalMs;
        const next = period * (0.9 + 0.2 * this.random()) - (performance.now() - started);
        this.arm(key, job, Math.max(0, next), period);
        this.pump();
      };
      job.run().then(ran, () => ran());
    }
  }
}

function push(heap: Due[], d: Due): void {
  let i = heap.push(d) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent] as Due;
    if (p.at <= d.at) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = d;
}

function pop(heap: Due[]): void {
  const last = heap.pop() as Due;
  if (heap.length === 0) return;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= heap.length) break;
    const r = l + 1;
    const c = r < heap.length && (heap[r] as Due).at < (heap[l] as Due).at ? r : l;
    if ((heap[c] as Due).at >= last.at) break;
    heap[i] = heap[c] as Due;
    i = c;
  }
  heap[i] = last;
}
