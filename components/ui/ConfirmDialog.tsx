'use client';

import { useState, type ReactNode } from 'react';
import type { Ack } from '@/lib/events';
import type { AckError } from '@/lib/errors';
import { Button } from './Button';
import { Dialog } from './Dialog';

interface Props {
  onClose: () => void;
  title: string;
  testId: string;
  /** What confirming does, in the person's words. */
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  /** Why confirming is off (the person's role), shown as its tooltip; confirming is on when absent. */
  disabledReason?: string;
  /** The action. On success the dialog closes and `onDone` runs; a failure stays in the dialog. */
  onConfirm: () => Promise<Ack<unknown>>;
  onDone?: () => void;
  /** How a failure reads; a plain alert with its message by default. */
  renderError?: (error: AckError) => ReactNode;
}

/** The one "are you sure?" of the dashboard: what will happen, Cancel, and a red button that does it. */
export function ConfirmDialog({
  onClose,
  title,
  testId,
  children,
  confirmLabel,
  pendingLabel,
  disabledReason,
  onConfirm,
  onDone,
  renderError,
}: Props) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AckError | null>(null);
  async function confirm() {
    setPending(true);
    setError(null);
    const reply = await onConfirm();
    setPending(false);
    if (!reply.ok) return setError(reply.error);
    onClose();
    onDone?.();
  }
  return (
    <Dialog open onClose={onClose} title={title} testId={testId}>
      <div className="space-y-3 text-sm">
        {children}
        {error &&
          (renderError?.(error) ?? (
            <p role="alert" className="text-red-700 dark:text-red-400" data-testid={`${testId}-error`}>
              {error.message}
            </p>
          ))}
        <div className="flex justify-end gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="danger"
            onClick={() => void confirm()}
            disabled={pending || disabledReason !== undefined}
            title={disabledReason}
          >
            {pending ? pendingLabel : confirmLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
