'use client';

import { useCan } from '@/components/auth/session';
import { Panel } from '@/components/ui/Panel';
import type { TableState } from '@/lib/ipvs';
import { ConnTableSection } from './ConnTableSection';
import { SyncDaemonSection } from './SyncDaemonSection';
import { TimeoutsSection } from './TimeoutsSection';
import { ZeroCountersSection } from './ZeroCountersSection';

/**
 * The director's table-wide settings as its kernel reports them: timeouts and sync daemons (admins change them),
 * zeroing counters (operators), and the connection hash table's size. Every change is previewed as its ipvsadm
 * command, audited, and confirmed by the agent's re-read of the table. `live`: changes only on a live table.
 */
export function DirectorSettings({ director, state, live }: { director: string; state: TableState; live: boolean }) {
  const admin = useCan('admin');
  const operator = useCan('operator');
  const table = { epoch: state.epoch, version: state.version };
  return (
    <Panel title="Director" headingId="director-settings-heading" data-testid="director-settings">
      <div className="grid gap-x-8 gap-y-6 p-4 lg:grid-cols-2">
        <TimeoutsSection director={director} table={table} timeouts={state.timeouts} canChange={admin && live} />
        <SyncDaemonSection director={director} table={table} daemons={state.daemons} canChange={admin && live} />
        {operator && live && <ZeroCountersSection director={director} table={table} services={state.services} />}
        <ConnTableSection ipvs={state.ipvs} services={state.services} />
      </div>
      {!admin && (
        <p className="border-t border-zinc-200 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          {operator
            ? 'Changing timeouts and sync daemons needs the admin role.'
            : 'View only: changing these settings needs the admin role (zeroing counters: operator).'}
        </p>
      )}
    </Panel>
  );
}
