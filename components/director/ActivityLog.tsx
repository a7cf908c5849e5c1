'use client';

import { describeEdit } from '@/components/ipvs/describe';
import type { Activity } from '@/components/realtime/store';
import { formatClock } from '@/components/ui/format';
import { Panel } from '@/components/ui/Panel';
import { serviceId, serviceKey, type AgentEdit } from '@/lib/ipvs';

export function editServiceId(edit: AgentEdit): string | null {
  return 'service' in edit && edit.service ? serviceId(serviceKey(edit.service)) : null;
}

/** Edits made through the dashboard (by anyone), newest first, in a fixed-height box. */
export function ActivityLog({ activity, sid }: { activity: readonly Activity[]; sid?: string }) {
  const shown = sid ? activity.filter((a) => editServiceId(a.edit) === sid) : activity;
  return (
    <Panel title="Changes made through the dashboard" headingId="activity-heading">
      <ol className="h-32 overflow-y-auto px-4 py-1.5 text-xs" aria-live="polite" data-testid="activity">
        {shown.length === 0 && (
          <li className="py-1 text-zinc-500 dark:text-zinc-400">None since this page was opened.</li>
        )}
        {shown.map((a, i) => (
          <li key={`${a.at}-${i}`} className="flex gap-3 py-1" data-testid="activity-entry">
            <span className="shrink-0 text-zinc-500 tabular-nums dark:text-zinc-400">{formatClock(a.at)}</span>
            <span
              className={`shrink-0 font-medium ${a.result.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}
            >
              {a.result.ok ? 'ok' : 'failed'}
            </span>
            <span className="min-w-0 text-zinc-800 dark:text-zinc-200">
              {a.user} {describeEdit(a.edit)}{' '}
              <span className="text-zinc-500 dark:text-zinc-400">· table v{a.version}</span>
            </span>
            <span
              className="ml-auto hidden shrink-0 truncate font-mono text-zinc-500 xl:inline dark:text-zinc-500"
              title={a.result.argv.join(' ')}
            >
              {a.result.argv.join(' ')}
            </span>
          </li>
        ))}
      </ol>
    </Panel>
  );
}
