import type { DirectorStatus } from '@/lib/events';

const LOOK: Record<DirectorStatus, { label: string; className: string }> = {
  live: {
    label: 'Live',
    className: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300',
  },
  stale: {
    label: 'Stale',
    className: 'bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-500/10 dark:text-amber-300',
  },
  unreachable: {
    label: 'Unreachable',
    className: 'bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300',
  },
};

export function StatusBadge({ status }: { status: DirectorStatus }) {
  const { label, className } = LOOK[status];
  return (
    <span
      className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${className}`}
    >
      {label}
    </span>
  );
}
