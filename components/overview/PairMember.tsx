'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import { useDirector } from '@/components/realtime/hooks';
import { formatCount } from '@/components/ui/format';
import type { DirectorSummary } from '@/lib/events';
import type { SyncDaemon } from '@/lib/ipvs';
import { tableTotals } from './totals';

const daemonText = (d: SyncDaemon) => `${d.state} on ${d.mcastInterface}, sync id ${d.syncId}`;

/** Whether this member's connections can be the other's: the backup's count only means synced connections while its
 * backup daemon runs (and the master's only reach it while the master's runs). */
function syncNote(role: 'master' | 'backup' | 'active', daemons: readonly SyncDaemon[]): string {
  const wanted = role === 'master' ? 'master' : role === 'backup' ? 'backup' : null;
  if (wanted && !daemons.some((d) => d.state === wanted))
    return role === 'backup' ? 'no backup daemon: connections are not synced here' : 'no master daemon: nothing sent';
  return role === 'backup' ? 'connections synced from the master' : '';
}

/** One member of a pair, beside the other: its state, sync daemons and connection count, live. */
export function PairMember({
  name,
  role,
  summary,
}: {
  name: string;
  role: 'master' | 'backup' | 'active';
  summary: DirectorSummary | undefined;
}) {
  const entry = useDirector(name);
  const state = entry?.state ?? null;
  const totals = useMemo(() => (state ? tableTotals(state) : null), [state]);
  const note = state ? syncNote(role, state.daemons) : '';
  return (
    <div className="min-w-0 space-y-1 px-4 py-2.5 text-sm" data-testid={`pair-member-${role}`} data-director={name}>
      <div className="flex flex-wrap items-baseline gap-x-2">
        <span className="text-xs text-zinc-500 uppercase dark:text-zinc-400">{role}</span>
        <Link href={`/directors/${encodeURIComponent(name)}`} prefetch={false} className="font-medium hover:underline">
          {name}
        </Link>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">{summary?.status ?? 'not configured'}</span>
      </div>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 text-xs">
        <dt className="text-zinc-500 dark:text-zinc-400">Sync daemon</dt>
        <dd data-testid="pair-member-daemon">
          {!state ? '—' : state.daemons.length === 0 ? 'none' : state.daemons.map(daemonText).join('; ')}
        </dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Connections</dt>
        <dd data-testid="pair-member-conns" className="tabular-nums">
          {totals
            ? `${formatCount(totals.active + totals.inactive)} (${formatCount(totals.active)} active, ${formatCount(totals.inactive)} inactive)`
            : '—'}
          {note && <span className="block text-zinc-500 dark:text-zinc-400">{note}</span>}
        </dd>
      </dl>
    </div>
  );
}
