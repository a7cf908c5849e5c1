'use client';

import { useState } from 'react';
import { useCan } from '@/components/auth/session';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { formatCount, formatDateTime } from '@/components/ui/format';
import { deleteSnapshot, EXPORT_FORMATS, snapshotDownloadHref, type SnapshotMeta } from './requests';
import { RestoreDialog } from './RestoreDialog';
import { TableHead } from '@/components/ui/TableHead';
import { useTimeZone, zoned } from '@/components/ui/useTimeZone';

const num = 'px-3 py-1.5 text-right tabular-nums';

function DeleteDialog({
  snapshot,
  onClose,
  onDeleted,
}: {
  snapshot: SnapshotMeta;
  onClose: () => void;
  onDeleted: () => void;
}) {
  return (
    <ConfirmDialog
      onClose={onClose}
      title={`Delete snapshot “${snapshot.name}”?`}
      testId="delete-snapshot-dialog"
      confirmLabel="Delete snapshot"
      pendingLabel="Deleting…"
      onConfirm={() => deleteSnapshot(snapshot.id)}
      onDone={onDeleted}
    >
      <p className="text-zinc-700 dark:text-zinc-300">
        Snapshot #{snapshot.id} of {snapshot.director} ({snapshot.services} services, {snapshot.destinations} real
        servers) is removed for good. The live table is not touched.
      </p>
    </ConfirmDialog>
  );
}

type Open = { kind: 'preview' | 'restore' | 'delete'; snapshot: SnapshotMeta } | null;

/** Saved snapshots of one director, newest first: download, preview a restore, restore and delete. */
export function SnapshotList({
  snapshots,
  onChanged,
}: {
  snapshots: SnapshotMeta[] | null;
  onChanged: () => Promise<void> | void;
}) {
  const zone = useTimeZone();
  const canPreview = useCan('operator');
  const isAdmin = useCan('admin');
  const [open, setOpen] = useState<Open>(null);
  if (snapshots === null)
    return <p className="px-4 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">Loading snapshots…</p>;
  if (snapshots.length === 0)
    return (
      <p className="px-4 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400" data-testid="no-snapshots">
        No snapshots of this director yet. Save one above; imports and restores take one automatically.
      </p>
    );
  return (
    <>
      <table className="w-full table-fixed text-left text-sm" data-testid="snapshot-list">
        <TableHead
          columns={[
            { label: 'Name' },
            { label: 'Kind', width: 'w-20' },
            { label: 'Created by', width: 'w-28' },
            { label: zoned('Created', zone), width: 'w-40' },
            { label: 'Services', width: 'w-20', align: 'right' },
            { label: 'Real servers', width: 'w-24', align: 'right' },
            { label: 'Download', width: 'w-56' },
            { label: '', width: 'w-[17rem]' },
          ]}
        />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {snapshots.map((s) => (
            <tr key={s.id} data-snapshot={s.id} data-testid="snapshot-row">
              <td className="truncate px-3 py-1.5" title={s.name}>
                <span className="mr-1.5 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">#{s.id}</span>
                <span className="font-medium">{s.name}</span>
              </td>
              <td className="px-3 py-1.5">
                <span
                  className={`rounded px-1.5 py-0.5 text-xs font-medium ${s.kind === 'auto' ? 'bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300' : 'bg-sky-50 text-sky-800 dark:bg-sky-500/10 dark:text-sky-300'}`}
                  title={
                    s.kind === 'auto'
                      ? 'Taken by the server before an import or restore: the roll back point'
                      : 'Saved by a person'
                  }
                >
                  {s.kind === 'auto' ? 'auto' : 'manual'}
                </span>
              </td>
              <td className="truncate px-3 py-1.5">{s.createdBy}</td>
              <td className="px-3 py-1.5 whitespace-nowrap tabular-nums">{formatDateTime(s.createdAt)}</td>
              <td className={num}>{formatCount(s.services)}</td>
              <td className={num}>{formatCount(s.destinations)}</td>
              <td className="px-3 py-1.5 text-xs whitespace-nowrap">
                {EXPORT_FORMATS.map((f, i) => (
                  <span key={f.format}>
                    {i > 0 && <span className="mx-1 text-zinc-300 dark:text-zinc-600">·</span>}
                    <a
                      href={snapshotDownloadHref(s.id, f.format)}
                      download
                      title={f.title}
                      className="text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {f.format === 'save' ? 'rules' : f.label}
                    </a>
                  </span>
                ))}
              </td>
              <td className="px-3 py-1">
                <div className="flex justify-end gap-1">
                  <span title={canPreview ? undefined : 'Previewing needs the operator role'}>
                    <Button
                      size="sm"
                      variant="ghost"
                      disabled={!canPreview}
                      onClick={() => setOpen({ kind: 'preview', snapshot: s })}
                    >
                      Preview restore
                    </Button>
                  </span>
                  {isAdmin && (
                    <>
                      <Button size="sm" onClick={() => setOpen({ kind: 'restore', snapshot: s })} data-testid="restore">
                        Restore
                      </Button>
                      <Button size="sm" variant="danger-ghost" onClick={() => setOpen({ kind: 'delete', snapshot: s })}>
                        Delete
                      </Button>
                    </>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && open.kind !== 'delete' && (
        <RestoreDialog
          snapshot={open.snapshot}
          intent={open.kind}
          onClose={() => setOpen(null)}
          onApplied={onChanged}
        />
      )}
      {open?.kind === 'delete' && (
        <DeleteDialog snapshot={open.snapshot} onClose={() => setOpen(null)} onDeleted={onChanged} />
      )}
    </>
  );
}
