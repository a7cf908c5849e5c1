import type { DirectorStatus } from '@/lib/events';

export type ShownStatus = DirectorStatus | 'loading';

const LOOK: Record<ShownStatus, { label: string; className: string; dot: string }> = {
  live: {
    label: 'Live',
    className: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300',
    dot: 'bg-emerald-500',
  },
  stale: {
    label: 'Stale',
    className: 'bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-500/10 dark:text-amber-300',
    dot: 'bg-amber-500',
  },
  unreachable: {
    label: 'Unreachable',
    className: 'bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300',
    dot: 'bg-red-500',
  },
  loading: {
    label: 'Loading',
    className: 'bg-zinc-50 text-zinc-600 ring-zinc-500/20 dark:bg-zinc-500/10 dark:text-zinc-300',
    dot: 'bg-zinc-400 animate-pulse',
  },
};

/** One width for every status (wide enough for "Unreachable"): a flip between live and stale moves nothing beside it. */
export function StatusBadge({ status }: { status: ShownStatus }) {
  const { label, className, dot } = LOOK[status];
  return (
    <span
      data-status={status}
      className={`inline-flex min-w-[6.5rem] items-center gap-1.5 rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${className}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${dot}`} />
      {label}
    </span>
  );
}
