// A time-bounded ring buffer of rate samples: one per agent tick for each service and real server, kept for the
// charts' window (5 minutes). Columns in one Float64Array; NaN marks "no value" (a backend without counters), and a
// gap row (all NaN) is inserted when samples stop for a while so charts break the line instead of bridging it.

export const METRICS = ['cps', 'inPps', 'outPps', 'inBps', 'outBps', 'active', 'inactive', 'conns', 'weight'] as const;
export type Metric = (typeof METRICS)[number];
export type Sample = { t: number } & Record<Metric, number>;

export const WINDOW_MS = 5 * 60_000;
const COLS = 1 + METRICS.length;
/** A pause longer than this between two samples breaks the line. */
const GAP_MS = 5_000;

export class RateRing {
  private data: Float64Array;
  private start = 0;
  private size = 0;

  /** Starts small (a ring per service of a 10,000-service table) and doubles while its samples span less than the
   * window: ~300 rows at a 1 s tick. */
  constructor(private capacity = 32) {
    this.data = new Float64Array(capacity * COLS);
  }

  get length(): number {
    return this.size;
  }

  private at(i: number): number {
    return ((this.start + i) % this.capacity) * COLS;
  }

  lastTime(): number | null {
    return this.size ? (this.data[this.at(this.size - 1)] as number) : null;
  }

  push(s: Sample): void {
    const last = this.lastTime();
    if (last !== null && s.t <= last) return; // the same tick twice (snapshot after delta) or clocks went back
    if (last !== null && s.t - last > GAP_MS) this.write({ t: last + 1, ...gapValues });
    this.write(s);
  }

  private write(s: Sample): void {
    // Full and the oldest sample still inside the window: grow (fast ticks) instead of losing history.
    if (this.size === this.capacity) {
      const oldest = this.data[this.at(0)] as number;
      if (s.t - oldest < WINDOW_MS && this.capacity < 8192) this.grow();
    }
    if (this.size === this.capacity) {
      this.start = (this.start + 1) % this.capacity;
      this.size--;
    }
    const o = this.at(this.size);
    this.data[o] = s.t;
    for (let k = 0; k < METRICS.length; k++) this.data[o + 1 + k] = s[METRICS[k] as Metric];
    this.size++;
  }

  private grow(): void {
    const next = new Float64Array(this.capacity * 2 * COLS);
    for (let i = 0; i < this.size; i++) next.set(this.data.subarray(this.at(i), this.at(i) + COLS), i * COLS);
    this.data = next;
    this.start = 0;
    this.capacity *= 2;
  }

  /** Samples with t >= since, oldest first. */
  samples(since = -Infinity): Sample[] {
    const out: Sample[] = [];
    for (let i = 0; i < this.size; i++) {
      const o = this.at(i);
      const t = this.data[o] as number;
      if (t < since) continue;
      const s = { t } as Sample;
      for (let k = 0; k < METRICS.length; k++) s[METRICS[k] as Metric] = this.data[o + 1 + k] as number;
      out.push(s);
    }
    return out;
  }

  /** One metric as [t, value] pairs since `since` (cheap: for sparklines). */
  series(metric: Metric, since = -Infinity): { t: Float64Array; v: Float64Array } {
    const k = 1 + METRICS.indexOf(metric);
    let first = 0;
    while (first < this.size && (this.data[this.at(first)] as number) < since) first++;
    const n = this.size - first;
    const t = new Float64Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = this.at(first + i);
      t[i] = this.data[o] as number;
      v[i] = this.data[o + k] as number;
    }
    return { t, v };
  }

  /** Time of the first sample after the last change of `metric` (null: unchanged over the whole buffer). */
  changedAt(metric: Metric): number | null {
    const k = 1 + METRICS.indexOf(metric);
    let last = NaN;
    for (let i = this.size - 1; i >= 0; i--) {
      const v = this.data[this.at(i) + k] as number;
      if (Number.isNaN(v)) continue;
      if (Number.isNaN(last)) last = v;
      else if (v !== last) return this.data[this.at(i + 1)] as number;
    }
    return null;
  }

  /** The first and the latest sample with a value of `metric` since time `since`. */
  delta(metric: Metric, since: number): { from: Sample; to: Sample } | null {
    const all = this.samples(since).filter((s) => !Number.isNaN(s[metric]));
    const from = all[0];
    const to = all[all.length - 1];
    return from && to && to.t > from.t ? { from, to } : null;
  }
}

const gapValues = Object.fromEntries(METRICS.map((m) => [m, NaN])) as Record<Metric, number>;
