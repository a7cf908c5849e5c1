'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/Field';
import { useForm } from '@/components/forms/use-form';
import type { Edit, Timeouts, TableId } from '@/lib/ipvs';
import { EditPreview, OutcomeLine, PreviewActions } from './EditPreview';
import { TIMEOUT_FIELDS, checkTimeouts, outcomeText, timeoutsDraft, type TimeoutField } from './director-edits';

const LABEL: Record<TimeoutField, string> = {
  tcp: 'TCP established',
  tcpfin: 'TCP after FIN',
  udp: 'UDP',
};
const HINT: Record<TimeoutField, string> = {
  tcp: 'an idle connection is dropped after this',
  tcpfin: 'FIN_WAIT: after one side closed',
  udp: 'since the last datagram',
};

interface Props {
  director: string;
  table: TableId;
  timeouts: Timeouts | undefined;
  /** Admins change timeouts; everyone else sees the values only. */
  canChange: boolean;
}

/** The kernel's IPVS timeouts (ipvsadm -L --timeout) and, for admins, ipvsadm --set behind a preview. */
export function TimeoutsSection({ director, table, timeouts, canChange }: Props) {
  const [editing, setEditing] = useState(false);
  const [preview, setPreview] = useState<Edit | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  return (
    <section aria-labelledby="timeouts-heading" className="space-y-3" data-testid="timeouts-section">
      <div className="flex items-center gap-3">
        <h3 id="timeouts-heading" className="text-sm font-semibold">
          Timeouts
        </h3>
        {canChange && !editing && timeouts && (
          <Button size="sm" onClick={() => (setEditing(true), setOutcome(null))}>
            Change timeouts
          </Button>
        )}
      </div>
      <dl className="grid grid-cols-3 gap-3 text-sm" data-testid="timeouts">
        {TIMEOUT_FIELDS.map((f) => (
          <div key={f}>
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">{LABEL[f]}</dt>
            <dd className="font-semibold tabular-nums" data-testid={`timeout-${f}`}>
              {timeouts ? `${timeouts[f]} s` : '—'}
            </dd>
          </div>
        ))}
      </dl>
      {editing && timeouts && (
        <TimeoutsForm
          timeouts={timeouts}
          onPreview={setPreview}
          onCancel={() => (setEditing(false), setPreview(null))}
        />
      )}
      {preview && (
        <EditPreview
          director={director}
          table={table}
          edit={preview}
          testId="timeouts-preview"
          onBack={() => setPreview(null)}
          onApplied={(o) => (setOutcome(outcomeText(o)), setPreview(null), setEditing(false))}
        />
      )}
      <OutcomeLine text={outcome} testId="timeouts-outcome" />
    </section>
  );
}

function TimeoutsForm({
  timeouts,
  onPreview,
  onCancel,
}: {
  timeouts: Timeouts;
  onPreview: (edit: Edit) => void;
  onCancel: () => void;
}) {
  const { bind, submit } = useForm(() => timeoutsDraft(timeouts), TIMEOUT_FIELDS);
  // the form's check ends in the preview: nothing is sent until the preview's Apply
  const onSubmit = submit((draft) => {
    const { edit, errors } = checkTimeouts(draft);
    return { errors, send: edit && (() => Promise.resolve({ ok: true as const, data: edit })) };
  }, onPreview);
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="New timeouts">
      <div className="grid grid-cols-3 gap-3">
        {TIMEOUT_FIELDS.map((f) => (
          <TextField
            key={f}
            id={`timeout-input-${f}`}
            label={`${LABEL[f]} (seconds)`}
            hint={HINT[f]}
            inputMode="numeric"
            {...bind(f)}
          />
        ))}
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        0 leaves a timeout as it is. A connection entry takes the new value at its next packet.
      </p>
      <PreviewActions onCancel={onCancel} />
    </form>
  );
}
