// Number and time formatting for dense tables: locale-free (server and browser render the same text), SI suffixes
// with at most three significant digits, so a column's width barely moves as values change.

const SI = ['', 'k', 'M', 'G', 'T', 'P'];

/** 0, 7, 950, 1.23k, 45.6M; '—' for a missing value. */
export function formatSI(n: number | null | undefined, unit = ''): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  let i = 0;
  while (v >= 999.5 && i < SI.length - 1) {
    v /= 1000;
    i++;
  }
  const digits = i === 0 ? (Number.isInteger(v) ? 0 : v < 10 ? 1 : 0) : v < 10 ? 2 : v < 100 ? 1 : 0;
  const text = v.toFixed(digits);
  const suffix = SI[i] ?? '';
  return `${sign}${text}${unit ? `\u2009${suffix}${unit}` : suffix}`;
}

/** Bytes per second as ipvsadm counts them: 1.23 MB/s. */
export function formatBytesRate(n: number | null | undefined): string {
  return formatSI(n, 'B/s');
}

/** 12,345,678: exact counts (connections) with thousands separators. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; "never" for null. */
export function formatAge(since: number | null, now: number): string {
  if (since === null) return 'never';
  const s = Math.max(0, Math.floor((now - since) / 1000));
  if (s < 1) return 'just now';
  if (s < 120) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** 14:03:07 in the browser's time zone. */
export function formatClock(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Seconds as 1:05 or 1:02:03 (connection expiry). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

export function formatPercent(x: number | null): string {
  if (x === null || Number.isNaN(x)) return '—';
  return `${(x * 100).toFixed(x < 0.1 && x > 0 ? 1 : 0)}%`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 2025-01-14 in the browser's time zone. */
export function formatDate(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** 2025-01-14 14:03:07 in the browser's time zone: audit rows, snapshots, sessions. */
export function formatDateTime(t: number): string {
  return `${formatDate(t)} ${formatClock(t)}`;
}

/** The browser's time zone as people read it: "UTC", "CET", "GMT+1" (the short name at time t). */
export function timeZoneLabel(t: number): string {
  const part = new Intl.DateTimeFormat('en-GB', { timeZoneName: 'short' })
    .formatToParts(new Date(t))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'local time';
}

/** 2025-01-14 13:03:07 UTC: the same instant in UTC, for hover texts beside local times. */
export function formatUtc(t: number): string {
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** One argv as a shell would take it back: arguments with spaces or quotes are single-quoted. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (a === '' || /[^\w@%+=:,./[\]-]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');
}

/** What a table version means, for its tooltip: (epoch, version) names a table, the version alone does not. */
export function tableVersionTitle(state: { epoch: string; version: number }): string {
  return `Table version v${state.version} of agent run ${state.epoch.slice(0, 8)}: moves on every configuration change, and counts from v1 again when the agent restarts`;
}
