'use client';

import { useEffect, useState } from 'react';
import { useCan } from '@/components/auth/session';
import { Banner } from '@/components/ui/Banner';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { formatDateTime } from '@/components/ui/format';
import type { AckError } from '@/lib/errors';
import { ApplyPanel, useApplyRunner } from './ApplyPanel';
import { previewSnapshot, restoreSnapshot, type SnapshotMeta, type TableDiff } from './requests';
import { TableDiffView } from './TableDiffView';

interface Props {
  snapshot: SnapshotMeta;
  /** preview: look only (operators); restore: the same, with the restore one click away (admins). */
  intent: 'preview' | 'restore';
  onClose: () => void;
  onApplied: () => Promise<void> | void;
}

/** What restoring a snapshot would change, and (admins) the restore itself with its progress and roll back. */
export function RestoreDialog({ snapshot, intent, onClose, onApplied }: Props) {
  const canRestore = useCan('admin');
  const [diff, setDiff] = useState<TableDiff | null>(null);
  const [error, setError] = useState<AckError | null>(null);
  const runner = useApplyRunner(snapshot.director, onApplied);
  const { running, reply, rollingBack } = runner.state;

  useEffect(() => {
    let live = true;
    void previewSnapshot(snapshot.id).then((r) => {
      if (!live) return;
      if (r.ok) setDiff(r.data);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [snapshot.id]);

  const restore = () => diff && void runner.run(() => restoreSnapshot(snapshot.id), diff.plan.length);
  const done = reply !== null;
  return (
    <Dialog
      open
      onClose={() => !running && !rollingBack && onClose()}
      width="lg"
      testId="restore-dialog"
      title={`${intent === 'restore' ? 'Restore' : 'Preview restore of'} “${snapshot.name}”`}
      description={`Snapshot #${snapshot.id} of ${snapshot.director}, ${snapshot.kind === 'auto' ? 'taken automatically' : 'saved'} by ${snapshot.createdBy} at ${formatDateTime(snapshot.createdAt)}`}
    >
      <div className="space-y-4">
        {error && (
          <Banner tone="danger" title="Could not compare with the live table">
            {error.message}
          </Banner>
        )}
        {running && <ApplyPanel runner={runner} />}
        {!done && (
          <div className={`min-h-24 ${running ? 'opacity-50' : ''}`}>
            {diff ? (
              <>
                <h3 className="mb-2 text-sm font-semibold">What restoring would change on {snapshot.director} now</h3>
                <TableDiffView diff={diff} stacked />
              </>
            ) : (
              !error && (
                <p className="py-8 text-center text-sm text-zinc-500 dark:text-zinc-400">
                  Comparing with the live table…
                </p>
              )
            )}
          </div>
        )}
        {done && <ApplyPanel runner={runner} />}
        <div className="flex items-center justify-end gap-3 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          {!done && diff && diff.plan.length > 0 && (
            <p className="mr-auto text-xs text-zinc-600 dark:text-zinc-400">
              {canRestore
                ? 'The server saves the live table as an automatic snapshot first: you can roll back.'
                : 'Restoring needs the admin role.'}
            </p>
          )}
          <Button onClick={onClose} disabled={running || rollingBack}>
            {done || !canRestore ? 'Done' : 'Cancel'}
          </Button>
          {!done && canRestore && (
            <Button
              variant="danger"
              onClick={restore}
              disabled={!diff || diff.plan.length === 0 || running}
              data-testid="confirm-restore"
            >
              {running ? 'Restoring…' : diff ? `Restore: ${diff.plan.length} operations` : 'Restore'}
            </Button>
          )}
        </div>
      </div>
    </Dialog>
  );
}
