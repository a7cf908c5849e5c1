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
}: {
  failure: AckError | null;
  pending: boolean;
  onCancel: () => void;
  label: string;
}) {
  const canEdit = useCan('operator');
  return (
    <>
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
