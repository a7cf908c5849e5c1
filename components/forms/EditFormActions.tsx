import { useCan } from '@/components/auth/session';
import { Button } from '@/components/ui/Button';
import type { AckError } from '@/lib/errors';
import { EditErrorBox } from './EditErrorBox';
import { VIEWER_REASON } from './edit';

/** The foot of an edit form: the edit's failure as the agent told it, Cancel, and the submit button. */
export function EditFormActions({
  failure,
  pending,
  onCancel,
  label,
  warning = null,
}: {
  failure: AckError | null;
  pending: boolean;
  onCancel: () => void;
  label: string;
  /** Said before the edit is applied (keepalived owns the service and will undo it). */
  warning?: string | null;
}) {
  const canEdit = useCan('operator');
  return (
    <>
      {warning && (
        <p
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200"
          data-testid="keepalived-edit-warning"
          role="note"
        >
          {warning}
        </p>
      )}
      {failure && <EditErrorBox error={failure} />}
      <div className="flex items-center justify-end gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          type="submit"
          variant="primary"
          disabled={pending || !canEdit}
          title={canEdit ? undefined : VIEWER_REASON}
        >
          {pending ? 'Applying…' : label}
        </Button>
      </div>
    </>
  );
}
