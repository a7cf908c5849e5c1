// The agent's read cadence. A tick that ends within its interval keeps the fixed rate (the next one starts one
// interval after this one started); one that overruns it stretches the cadence instead of piling reads up: the next
// tick starts one interval after this one ended (edits do not wait for reads: queue.ts), and the agent says so
// (agent:info `stretched`, shown on the director page).

export interface TickInfo {
  /** The configured interval (ms). */
  tickMs: number;
  /** How long the last tick took, from its start to its end, waits in the queue included (null before the first). */
  lastTickMs: number | null;
  /** The last tick overran its interval: ticks now come every lastTickMs + tickMs. */
  stretched: boolean;
}

export class TickLoop {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private lastTickMs: number | null = null;
  private stretched = false;

  constructor(
    private readonly tick: () => Promise<unknown>,
    private readonly tickMs: number,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.running = true;
    this.schedule(this.tickMs);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  info(): TickInfo {
    return { tickMs: this.tickMs, lastTickMs: this.lastTickMs, stretched: this.stretched };
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      const started = this.now();
      this.tick()
        .catch(() => undefined)
        .finally(() => {
          const took = this.now() - started;
          this.lastTickMs = took;
          this.stretched = took > this.tickMs;
          this.schedule(this.stretched ? this.tickMs : this.tickMs - took);
        });
    }, delay);
  }
}
