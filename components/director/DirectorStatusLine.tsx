'use client';

import type { Health } from '@/components/realtime/hooks';
import { useNow } from '@/components/realtime/hooks';
import { formatAge } from '@/components/ui/format';
import { SimulatedBadge } from '@/components/ui/SimulatedBadge';
import { StatusBadge } from '@/components/ui/StatusBadge';

/** The status badge (and "simulated" for a simulated director) and the age of the last update, in a fixed-width line (no jumps as the age text changes). */
export function DirectorStatusLine({ health }: { health: Health }) {
  const now = useNow();
  const age = health.lastData === null || now === null ? '' : formatAge(health.lastData, now);
  return (
    <span className="inline-flex items-center gap-2" data-testid="director-status" data-status={health.status}>
      <StatusBadge status={health.status} />
      {health.simulated && <SimulatedBadge />}
      <span className="min-w-[7.5rem] text-xs text-zinc-500 tabular-nums dark:text-zinc-400" title={health.reason}>
        {health.status === 'loading' ? health.reason : age ? `updated ${age}` : 'no data yet'}
      </span>
    </span>
  );
}
