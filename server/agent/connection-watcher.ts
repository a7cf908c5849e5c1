// Reads /proc/net/ip_vs_conn only while someone is looking, at a cadence that follows how long a read takes (a
// 60,000-entry table took seconds in the lab: never read it every second). Queries are answered from the last read:
// a query reads only when there is none recent, and queries arriving meanwhile share that read. The query work runs
// one query at a time, in slices of a few milliseconds, outside the kernel queue: ticks and edits never wait behind it.
import {
  CONN_READ,
  buffers,
  connectionQuerySteps,
  nextPagesSteps,
  releaseQueryBuffers,
  type ConnectionPage,
  type ConnectionQuery,
  type ConnectionTable,
  type Steps,
} from '../../lib/ipvs';
import type { Backend } from './backend';

export interface ConnectionSnapshot {
  table: ConnectionTable;
  readAt: number;
  readMs: number;
}

export interface ConnectionWatcherOptions {
  /** Minimum wait between reads (ms). */
  minIntervalMs?: number;
  /** How many read-durations to rest between reads. */
  restFactor?: number;
  /** How long the last read is kept after the last watcher left (ms): queries are served from it meanwhile. */
  keepMs?: number;
  /** Longest stretch of query work before the event loop gets a turn (ms). */
  sliceMs?: number;
}

/** Runs steps, handing the event loop over (timers, sockets) before it starts and whenever a stretch of work reaches
 * `sliceMs`: queries chained one after the other (promises, no event-loop turn between them) never hold a tick up. */
export async function runInSlices<T>(steps: Steps<T>, sliceMs: number): Promise<T> {
  await new Promise((resolve) => setImmediate(resolve));
  let since = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - since >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
}

export class ConnectionWatcher {
  private watchers = 0;
  private latest: ConnectionSnapshot | null = null;
  private reading: Promise<ConnectionSnapshot> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private releaseTimer: NodeJS.Timeout | undefined;
  /** The query running now and those waiting: one at a time, so two queries never build the same sort order. */
  private lane: Promise<unknown> = Promise.resolve();
  private readonly minIntervalMs: number;
  private readonly restFactor: number;
  private readonly keepMs: number;
  private readonly sliceMs: number;

  constructor(
    private readonly backend: Backend,
    opts: ConnectionWatcherOptions = {},
  ) {
    this.minIntervalMs = opts.minIntervalMs ?? CONN_READ.minIntervalMs;
    this.restFactor = opts.restFactor ?? CONN_READ.restFactor;
    this.keepMs = opts.keepMs ?? 60_000;
    this.sliceMs = opts.sliceMs ?? 8;
  }

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
    clearTimeout(this.releaseTimer);
    if (this.watchers === 1) this.loop();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.watchers--;
      if (this.watchers === 0) {
        clearTimeout(this.timer);
        this.releaseLater();
      }
    };
  }

  /** Free the table once nobody has looked at it for keepMs. */
  private releaseLater(): void {
    clearTimeout(this.releaseTimer);
    this.releaseTimer = setTimeout(() => {
      if (this.watchers === 0) this.replace(null);
    }, this.keepMs);
    this.releaseTimer.unref();
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
        this.replace(snap);
        if (this.watchers === 0) this.releaseLater();
        return snap;
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }

  /** Makes `snap` the latest read. The one it replaces gives its queries' buffers (sort orders, filters' marks) back
   * for the next read's, in the lane: after the queries already waiting on it, while none runs. With no read left,
   * the pool lets its buffers go. */
  private replace(snap: ConnectionSnapshot | null): void {
    const old = this.latest?.table;
    this.latest = snap;
    if (!old || old === snap?.table) return;
    this.lane = this.lane
      .then(() => {
        releaseQueryBuffers(old);
        // nobody looks at the connections any more: the pool's memory goes back too
        if (!this.latest) buffers.clear();
      })
      .catch(() => undefined);
  }

  /** The read a query is answered from: the last one while it is recent (or a newer one is on its way), else a new
   * read shared with every query that arrives while it runs. */
  private recent(): Promise<ConnectionSnapshot> {
    const last = this.latest;
    if (last && (this.watchers > 0 || this.reading || Date.now() - last.readAt < this.nextDelay()))
      return Promise.resolve(last);
    return this.read();
  }

  /** Answer a query from the latest read; `readAt` says how old it is. */
  async query(q: ConnectionQuery): Promise<ConnectionPage & { readAt: number; readMs: number }> {
    const snap = await this.recent();
    const page = this.lane.then(() => runInSlices(connectionQuerySteps(snap.table, q), this.sliceMs));
    // the first query sorted by a key after a read is answered by selection; the order the next pages read is built
    // right after the answer, still in the lane and in slices
    this.lane = page.then(() => runInSlices(nextPagesSteps(snap.table, q), this.sliceMs)).catch(() => undefined);
    return { ...(await page), readAt: snap.readAt, readMs: Math.round(snap.readMs) };
  }

  stop(): void {
    clearTimeout(this.timer);
    clearTimeout(this.releaseTimer);
    this.watchers = 0;
    this.replace(null);
  }
}
