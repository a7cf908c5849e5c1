// Runs each check at its interval, spread by jitter (the first run at a random point of the first interval, then
// +-10% each time so that checks started together drift apart), with at most `concurrency` checks in flight: the
// others wait in arrival order. A check's time limit is its own (runCheck enforces it).
export interface ScheduledJob {
  intervalMs: number;
  /** Runs one check; never rejects. */
  run(): Promise<void>;
}

export class CheckScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly jobs = new Map<string, ScheduledJob>();
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
    this.arm(key, job, this.random() * job.intervalMs);
  }

  remove(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.jobs.delete(key);
  }

  has(key: string): boolean {
    return this.jobs.has(key);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.jobs.clear();
    this.waiting.length = 0;
    this.queued.clear();
  }

  private arm(key: string, job: ScheduledJob, delay: number): void {
    if (this.stopped || this.jobs.get(key) !== job) return;
    const t = setTimeout(() => {
      this.timers.delete(key);
      this.enqueue(key);
    }, delay);
    t.unref?.();
    this.timers.set(key, t);
  }

  private enqueue(key: string): void {
    if (this.queued.has(key)) return; // still waiting from last time: a slot is what it lacks, not another turn
    this.queued.add(key);
    this.waiting.push(key);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.waiting.length > 0) {
      const key = this.waiting.shift() as string;
      this.queued.delete(key);
      const job = this.jobs.get(key);
      if (!job) continue;
      this.inFlight++;
      const started = performance.now();
      void job.run().finally(() => {
        this.inFlight--;
        // the next run one interval (+-10%) after this one started, not after it ended
        const next = job.intervalMs * (0.9 + 0.2 * this.random()) - (performance.now() - started);
        this.arm(key, job, Math.max(0, next));
        this.pump();
      });
    }
  }
}
