'use client';

import { useState } from 'react';
import { EditErrorBox } from '@/components/forms/EditErrorBox';
import { useEditSender } from '@/components/forms/edit';
import { Button } from '@/components/ui/Button';
import type { EditOutcome } from '@/lib/events';
import type { AckError } from '@/lib/errors';
import type { Edit, TableId } from '@/lib/ipvs';
import { commandOf } from './director-edits';

interface Props {
  director: string;
  /** The table (agent run and version) the person saw. */
  table: TableId;
  edit: Edit;
  testId: string;
  onBack: () => void;
  onApplied: (outcome: EditOutcome) => void;
}

/** An edit shown as the exact command the agent will run on the director; applied only when the person says so. */
export function EditPreview({ director, table, edit, testId, onBack, onApplied }: Props) {
  const send = useEditSender(director, table);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<AckError | null>(null);
  async function apply() {
    setPending(true);
    setFailure(null);
    const reply = await send(edit);
    setPending(false);
    if (reply.ok) onApplied(reply.data);
    else setFailure(reply.error);
  }
  return (
    <div
      data-testid={testId}
      className="space-y-2 rounded-md border border-sky-200 bg-sky-50/60 p-3 dark:border-sky-500/30 dark:bg-sky-500/5"
    >
      <p className="text-xs text-zinc-600 dark:text-zinc-400">Preview: the agent on {director} will run</p>
      <pre className="font-mono text-sm break-all whitespace-pre-wrap" data-testid={`${testId}-command`}>
        $ {commandOf(edit)}
      </pre>
      {failure && <EditErrorBox error={failure} />}
      <div className="flex justify-end gap-2">
        <Button size="sm" onClick={onBack}>
          Back
        </Button>
        <Button size="sm" variant="primary" onClick={() => void apply()} disabled={pending}>
          {pending ? 'Applying…' : 'Apply'}
        </Button>
      </div>
    </div>
  );
}

/** The outcome of the last applied edit of a section, as a live status line. */
export function OutcomeLine({ text, testId }: { text: string | null; testId: string }) {
  return (
    <p role="status" data-testid={testId} className="min-h-4 text-xs text-zinc-600 dark:text-zinc-400">
      {text}
    </p>
  );
}

/** The foot of a director setting's form: Cancel, and Preview (which shows the command before anything runs). */
export function PreviewActions({ onCancel }: { onCancel: () => void }) {
  return (
    <div className="flex justify-end gap-2">
      <Button size="sm" onClick={onCancel}>
        Cancel
      </Button>
      <Button size="sm" type="submit">
        Preview
      </Button>
    </div>
  );
}
