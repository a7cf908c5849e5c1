'use client';

import { useConnection } from './useConnection';
import type { ConnectionState } from './socket';

const LOOK: Record<ConnectionState, { label: string; dot: string }> = {
  connecting: { label: 'Connecting', dot: 'bg-zinc-400 animate-pulse' },
  connected: { label: 'Connected', dot: 'bg-emerald-500' },
  lost: { label: 'Reconnecting', dot: 'bg-red-500 animate-pulse' },
};

/** The browser's link to the dashboard server (not to any director). */
export function ConnectionBadge() {
  const state = useConnection();
  const { label, dot } = LOOK[state];
  return (
    <span
      role="status"
      data-testid="connection-badge"
      data-state={state}
      title="Connection to the dashboard server"
      className="inline-flex items-center gap-2 rounded-full border border-zinc-200 px-2.5 py-1 text-xs font-medium text-zinc-600 dark:border-zinc-800 dark:text-zinc-400"
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${dot}`} />
      {label}
    </span>
  );
}
