// Reads /proc/net/ip_vs_conn only while someone is looking, at a cadence that follows how long a read takes (a
// 60,000-entry table took seconds in the lab: never read it every second). The last read outlives its watchers by
// KEEP_MS: someone who comes back to the page gets it at once (its age shown) while the next read runs.
import {
  CONN_READ,
  queryConnections,
  type ConnectionPage,
  type ConnectionQuery,
  type ConnectionTable,
} from '../../lib/ipvs';
import type { Backend } from './backend';

export interface ConnectionSnapshot {
  table: ConnectionTable;
  readAt: number;
  readMs: number;
}

export class ConnectionWatcher {
  private watchers = 0;
  private latest: ConnectionSnapshot | null = null;
  private reading: Promise<ConnectionSnapshot> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private forget: NodeJS.Timeout | undefined;
  /** Minimum wait between reads, how many read-durations to rest between reads, and how long the last read is kept
   * once nobody watches. */
  constructor(
    private readonly backend: Backend,
    private readonly minIntervalMs = CONN_READ.minIntervalMs,
    private readonly restFactor = CONN_READ.restFactor,
    private readonly keepMs = 60_000,
  ) {}

  get snapshot(): ConnectionSnapshot | null {
    return this.latest;
  }

  /** Next wait: at least minIntervalMs, and `restFactor` times the last read's duration. */
  nextDelay(): number {
    return Math.max(this.minIntervalMs, (this.latest?.readMs ?? 0) * this.restFactor);
  }

  /** Start watching; returns the function that stops this watcher. Reads run while any watcher remains. */
  watch(): () => void {
    this.watchers++;
    clearTimeout(this.forget);
    if (this.watchers === 1) this.loop();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.watchers--;
      if (this.watchers === 0) {
        clearTimeout(this.timer);
        // Free the table once nobody has looked for a while.
        this.forget = setTimeout(() => (this.latest = null), this.keepMs);
        this.forget.unref();
      }
    };
  }

  private loop(): void {
    this.read()
      .catch(() => undefined)
      .finally(() => {
        if (this.watchers > 0) this.timer = setTimeout(() => this.loop(), this.nextDelay());
      });
  }

  read(): Promise<ConnectionSnapshot> {
    if (this.reading) return this.reading;
    const started = performance.now();
    this.reading = this.backend
      .readConnections()
      .then((table) => {
        const snap = { table, readAt: Date.now(), readMs: performance.now() - started };
        if (this.watchers > 0) this.latest = snap;
        return snap;
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }

  /** Answer a query from the latest read (reading once now if there is none). */
  async query(q: ConnectionQuery): Promise<ConnectionPage & { readAt: number; readMs: number }> {
    const snap = this.latest ?? (await this.read());
    return { ...queryConnections(snap.table, q), readAt: snap.readAt, readMs: Math.round(snap.readMs) };
  }

  stop(): void {
    clearTimeout(this.timer);
    clearTimeout(this.forget);
    this.watchers = 0;
    this.latest = null;
  }
}
