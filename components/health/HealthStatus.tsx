// One real server's health by word and shape, never by colour alone: a filled circle "up", a filled square "down",
// a hollow circle "unknown", "stuck" (a pause sign) when its checker has not run for 3 intervals, and "ramping 4/8" (a
// rising sign) while slow start brings its weight back in steps after a recovery.
import type { HealthRow } from '@/lib/health';

const LOOK = {
  up: { shape: '●', tone: 'text-emerald-700 dark:text-emerald-400' },
  down: { shape: '■', tone: 'text-red-700 dark:text-red-400' },
  unknown: { shape: '○', tone: 'text-zinc-500 dark:text-zinc-400' },
} as const;

export function HealthStatus({ row }: { row: HealthRow | undefined }) {
  if (!row) return <span className="text-xs text-zinc-500 dark:text-zinc-400">not checked</span>;
  const look = LOOK[row.status];
  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs font-semibold"
      data-testid="health-status"
      data-status={row.status}
    >
      <span aria-hidden="true" className={look.tone}>
        {look.shape}
      </span>
      <span className={look.tone}>{row.status}</span>
      {row.stuck && (
        <span
          className="rounded bg-amber-100 px-1 text-[10px] uppercase text-amber-800 dark:bg-amber-500/15 dark:text-amber-300"
          title={`no check has finished for more than 3 intervals (${row.intervalMs} ms each)`}
          data-testid="health-stuck"
        >
          <span aria-hidden="true">⏸ </span>stuck
        </span>
      )}
      {row.rampWeight !== undefined && (
        <span
          className="whitespace-nowrap rounded bg-sky-100 px-1 text-[10px] uppercase text-sky-800 dark:bg-sky-500/15 dark:text-sky-300"
          title={`slow start after a recovery: weight ${row.rampWeight} of ${row.rampTarget}, rising in steps`}
          data-testid="health-ramp"
        >
          <span aria-hidden="true">↗ </span>ramping {row.rampWeight}/{row.rampTarget}
        </span>
      )}
    </span>
  );
}
