import { formatPercent } from '@/components/ui/format';

/**
 * Two thin bars: what the server actually got (solid) and what its weight asks for (outline). A gap of more than 10
 * points is shown in warning colour only when the sample is `meaningful` (large enough not to be chance).
 */
export function ShareBar({
  actual,
  byWeight,
  meaningful,
  label,
}: {
  actual: number | null;
  byWeight: number;
  meaningful: boolean;
  label: string;
}) {
  const off = meaningful && actual !== null && Math.abs(actual - byWeight) > 0.1;
  return (
    <div
      className="w-full min-w-0"
      aria-label={`${label}: ${formatPercent(actual)} vs ${formatPercent(byWeight)}`}
      title={`${label}: ${formatPercent(actual)} vs ${formatPercent(byWeight)}`}
    >
      <div className="flex items-center gap-2 text-xs tabular-nums">
        <span
          className={`w-10 text-right font-medium ${off ? 'text-amber-700 dark:text-amber-400' : 'text-zinc-900 dark:text-zinc-100'}`}
          data-testid="share-actual"
          data-off={off}
        >
          {formatPercent(actual)}
        </span>
        <div className="relative h-3 flex-1 rounded-sm bg-zinc-100 dark:bg-zinc-800">
          <div
            className="absolute inset-y-0 left-0 rounded-sm bg-emerald-500/80"
            style={{ width: `${(actual ?? 0) * 100}%` }}
          />
          <div
            className="absolute -inset-y-0.5 border-r-2 border-zinc-900 dark:border-zinc-100"
            style={{ width: `${byWeight * 100}%` }}
          />
        </div>
        {/* below 1280 px the marker alone shows it (and the title says it): the column is narrow there */}
        <span className="hidden w-10 text-zinc-500 xl:inline dark:text-zinc-400" data-testid="share-weight">
          {formatPercent(byWeight)}
        </span>
      </div>
    </div>
  );
}
