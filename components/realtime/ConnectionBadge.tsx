'use client';

import { useConnection } from './useConnection';
import type { ConnectionState } from './socket';

const LOOK: Record<ConnectionState, { label: string; dot: string }> = {
  connecting: { label: 'connecting', dot: 'bg-zinc-400 animate-pulse' },
  connected: { label: 'connected', dot: 'bg-emerald-500' },
  lost: { label: 'reconnecting', dot: 'bg-red-500 animate-pulse' },
};

/** The browser's link to the dashboard server, and it says so: a director's own status is on its card and page. */
export function ConnectionBadge() {
  const state = useConnection();
  const { label, dot } = LOOK[state];
  return (
    <span
      role="status"
      data-testid="connection-badge"
      data-state={state}
      title="This browser's connection to the dashboard server, not to a director: each director's status (live, stale, unreachable) is on its card and page"
      className="inline-flex items-center gap-2 rounded-full border border-zinc-200 px-2.5 py-1 text-xs font-medium text-zinc-600 dark:border-zinc-800 dark:text-zinc-400"
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${dot}`} />
      {/* the prefix gives way on a narrow header; the title still says whose link this is */}
      <span className="sr-only 2xl:not-sr-only">Dashboard:&nbsp;</span>
      {label}
    </span>
  );
}
