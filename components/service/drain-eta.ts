// When a draining real server will be empty: the least-squares slope of its connection count (active + inactive)
// over the recent samples, carried to zero.

/** Samples the estimate uses: the last minute. */
export const ETA_WINDOW_MS = 60_000;
/** Fewer samples, or a shorter span, than this gives no estimate (one tick's wobble is not a trend). */
const MIN_POINTS = 3;
const MIN_SPAN_MS = 5_000;

/**
 * Milliseconds until the count reaches 0 at its recent slope; 0 when it is 0 now; null when it is not falling or there
 * are too few samples. `t` ascending (ms), `v` the count at each; NaN values (gaps) are skipped.
 */
export function timeToEmpty(t: ArrayLike<number>, v: ArrayLike<number>, windowMs = ETA_WINDOW_MS): number | null {
  const pts: [number, number][] = [];
  const end = t.length ? (t[t.length - 1] as number) : 0;
  for (let i = 0; i < t.length; i++) {
    const x = t[i] as number;
    const y = v[i] as number;
    if (x >= end - windowMs && Number.isFinite(x) && Number.isFinite(y)) pts.push([x, y]);
  }
  const last = pts.at(-1);
  if (!last) return null;
  if (last[1] <= 0) return 0;
  const first = pts[0] as [number, number];
  if (pts.length < MIN_POINTS || last[0] - first[0] < MIN_SPAN_MS) return null;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of pts) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const slope = sxy / sxx; // per ms
  if (!(slope < 0)) return null;
  // from the fitted line at the last sample, not the last sample itself: one noisy tick does not jump the estimate
  const now = my + slope * (last[0] - mx);
  return Math.max(0, now / -slope);
}

/** "about 2 min", "about 40 s", "less than 5 s". */
export function formatEta(ms: number): string {
  const s = ms / 1000;
  if (s < 5) return 'less than 5 s';
  if (s < 90) return `about ${Math.round(s / 5) * 5} s`;
  if (s < 5400) return `about ${Math.round(s / 60)} min`;
  return `about ${Math.round(s / 3600)} h`;
}
