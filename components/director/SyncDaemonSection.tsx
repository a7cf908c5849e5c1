'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/Field';
import { useForm } from '@/components/forms/use-form';
import type { Edit, SyncDaemon, TableId } from '@/lib/ipvs';
import { EditPreview, OutcomeLine, PreviewActions } from './EditPreview';
import { DAEMON_FIELDS, checkDaemon, outcomeText } from './director-edits';

type State = SyncDaemon['state'];
const STATES: readonly State[] = ['master', 'backup'];
const ROLE_TEXT: Record<State, string> = {
  master: 'sends this director’s connections to the backups',
  backup: 'takes in a master’s connections, so a failover keeps them',
};

interface Props {
  director: string;
  table: TableId;
  daemons: SyncDaemon[];
  canChange: boolean;
}

export function daemonText(d: SyncDaemon): string {
  const parts = [`on ${d.mcastInterface}`, `sync id ${d.syncId}`];
  if (d.maxlen !== undefined) parts.push(`maxlen ${d.maxlen}`);
  if (d.group !== undefined) parts.push(`group ${d.group}${d.port === undefined ? '' : `:${d.port}`}`);
  if (d.ttl !== undefined) parts.push(`ttl ${d.ttl}`);
  return `running ${parts.join(', ')}`;
}

/** The connection sync daemons as the kernel reports them (ipvsadm -L --daemon); admins start and stop them. */
export function SyncDaemonSection({ director, table, daemons, canChange }: Props) {
  const [starting, setStarting] = useState<State | null>(null);
  const [preview, setPreview] = useState<Edit | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const applied = (text: string) => (setOutcome(text), setPreview(null), setStarting(null));
  return (
    <section aria-labelledby="daemons-heading" className="space-y-3" data-testid="daemons-section">
      <h3 id="daemons-heading" className="text-sm font-semibold">
        Connection sync daemons
      </h3>
      <ul className="space-y-2 text-sm">
        {STATES.map((state) => {
          const d = daemons.find((x) => x.state === state);
          return (
            <li key={state} className="flex flex-wrap items-center gap-x-3 gap-y-1" data-testid={`daemon-${state}`}>
              <span className="w-16 font-medium">{state}</span>
              <span className={d ? 'font-mono text-xs' : 'text-zinc-500 dark:text-zinc-400'} data-testid="status">
                {d ? daemonText(d) : 'not running'}
              </span>
              {canChange && !preview && starting === null && (
                <Button
                  size="sm"
                  onClick={() => {
                    setOutcome(null);
                    if (d) setPreview({ kind: 'stop-daemon', state });
                    else setStarting(state);
                  }}
                >
                  {d ? `Stop ${state}` : `Start ${state}…`}
                </Button>
              )}
              {!d && <span className="w-full pl-19 text-xs text-zinc-500 dark:text-zinc-400">{ROLE_TEXT[state]}</span>}
            </li>
          );
        })}
      </ul>
      {starting && (
        <DaemonForm state={starting} onPreview={setPreview} onCancel={() => (setStarting(null), setPreview(null))} />
      )}
      {preview && (
        <EditPreview
          director={director}
          table={table}
          edit={preview}
          testId="daemon-preview"
          onBack={() => setPreview(null)}
          onApplied={(o) => applied(outcomeText(o))}
        />
      )}
      <OutcomeLine text={outcome} testId="daemons-outcome" />
    </section>
  );
}

function DaemonForm({
  state,
  onPreview,
  onCancel,
}: {
  state: State;
  onPreview: (edit: Edit) => void;
  onCancel: () => void;
}) {
  const { bind, submit } = useForm({ mcastInterface: '', syncId: '' }, DAEMON_FIELDS);
  const onSubmit = submit((draft) => {
    const { edit, errors } = checkDaemon(state, draft);
    return { errors, send: edit && (() => Promise.resolve({ ok: true as const, data: edit })) };
  }, onPreview);
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label={`Start the ${state} sync daemon`}>
      <div className="grid grid-cols-2 gap-3">
        <TextField
          id="daemon-interface"
          label="Interface (--mcast-interface)"
          hint="where the sync messages go out (master) or come in (backup)"
          spellCheck={false}
          autoComplete="off"
          {...bind('mcastInterface')}
        />
        <TextField
          id="daemon-syncid"
          label="Sync id (--syncid)"
          hint="0..255, the same on the master and its backups"
          inputMode="numeric"
          {...bind('syncId')}
        />
      </div>
      <PreviewActions onCancel={onCancel} />
    </form>
  );
}
