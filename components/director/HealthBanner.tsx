'use client';

import type { Health } from '@/components/realtime/hooks';
import { useNow } from '@/components/realtime/hooks';
import { Banner } from '@/components/ui/Banner';
import { formatAge, formatClock } from '@/components/ui/format';

/** Says loudly when a director's numbers are not live, and as of when they are. Nothing while live. */
export function HealthBanner({ director, health }: { director: string; health: Health }) {
  const now = useNow();
  if (health.status === 'live' || health.status === 'loading') return null;
  const asOf =
    health.lastData === null
      ? 'No data has been received from it yet.'
      : `The numbers below are from ${formatClock(health.lastData)}${now === null ? '' : ` (${formatAge(health.lastData, now)})`} and are not live.`;
  return (
    <Banner
      tone={health.status === 'unreachable' ? 'danger' : 'warning'}
      testId="director-banner"
      title={`${director} is ${health.status === 'unreachable' ? 'unreachable' : 'stale'}: ${health.reason}.`}
    >
      {asOf}
    </Banner>
  );
}
