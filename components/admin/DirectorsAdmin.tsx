'use client';

import { useCallback, useEffect, useState } from 'react';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { formatDateTime } from '@/components/ui/format';
import { Panel } from '@/components/ui/Panel';
import { AdminListPage } from './AdminListPage';
import { TableHead } from '@/components/ui/TableHead';
import { useTimeZone, zoned } from '@/components/ui/useTimeZone';
import { useDirectors } from '@/components/realtime/hooks';
import { DirectorForm } from './DirectorForm';
import { PairForm } from './PairForm';
import { listDirectorConfigs, removeDirector, type DirectorConfigView } from './fleet';

const TRUST_TEXT: Record<DirectorConfigView['trust'], string> = {
  fingerprint: 'pinned fingerprint',
  ca: 'CA certificate',
  system: 'system CAs',
  none: 'plain http',
};

/** The directors this dashboard connects to (admins only): add, edit and remove those added here; LVS_AGENTS's are
 * shown read-only. */
export function DirectorsAdmin() {
  const zone = useTimeZone();
  const [configs, setConfigs] = useState<DirectorConfigView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<DirectorConfigView | null>(null);
  const [removing, setRemoving] = useState<DirectorConfigView | null>(null);
  const live = useDirectors();
  const statusOf = (name: string) => live?.find((d) => d.name === name)?.status ?? '…';

  const reload = useCallback(() => {
    void listDirectorConfigs().then((r) => {
      if (r.ok) setConfigs(r.data.directors);
      else setError(r.error.message);
    });
  }, []);
  useEffect(reload, [reload]);
  const saved = (what: string) => (name: string) => {
    setNotice(`${name} ${what}.`);
    setEditing(null);
    reload();
  };

  return (
    <div className="space-y-4">
      <AdminListPage
        title="Directors"
        description="The agents this dashboard connects to. Those added here are connected at once; tokens are stored encrypted."
        error={error}
        errorTitle="Could not load the directors"
        list={{
          title: 'Directors',
          headingId: 'fleet-heading',
          count: configs ? configs.length : null,
          notice,
          noticeTestId: 'fleet-notice',
        }}
        columnsClass="xl:grid-cols-[minmax(0,1fr)_24rem]"
        side={
          <Panel title={editing ? `Edit ${editing.name}` : 'Add a director'} headingId="fleet-form-heading">
            <div className="p-4">
              {editing ? (
                <DirectorForm
                  key={editing.name}
                  editing={editing}
                  onSaved={saved('saved')}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <DirectorForm onSaved={saved('added')} />
              )}
            </div>
          </Panel>
        }
      >
        {configs && (
          <table className="w-full table-fixed text-left text-sm" data-testid="fleet">
            <TableHead
              columns={[
                { label: 'Name', width: 'w-40' },
                { label: 'Agent URL' },
                { label: 'Certificate', width: 'w-40' },
                { label: 'Status', width: 'w-28' },
                { label: zoned('Added', zone), width: 'w-44' },
                { label: '', width: 'w-40' },
              ]}
            />
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
              {configs.map((d) => (
                <tr key={d.name} data-director={d.name} data-testid="fleet-row">
                  <td className="truncate px-3 py-2.5 font-medium">
                    <a href={`/directors/${encodeURIComponent(d.name)}`} className="hover:underline">
                      {d.name}
                    </a>
                  </td>
                  <td className="truncate px-3 py-2.5 font-mono text-xs" title={d.url}>
                    {d.url}
                  </td>
                  <td className="truncate px-3 py-2.5 text-xs" title={d.fingerprint}>
                    {TRUST_TEXT[d.trust]}
                  </td>
                  <td className="px-3 py-2.5 text-xs" data-testid="fleet-status">
                    {statusOf(d.name)}
                  </td>
                  <td className="px-3 py-2.5 text-xs text-zinc-600 dark:text-zinc-400">
                    {d.source === 'env'
                      ? 'LVS_AGENTS (read-only)'
                      : `${formatDateTime(d.createdAt ?? 0)} by ${d.createdBy}`}
                  </td>
                  <td className="px-3 py-1.5 text-right">
                    {d.source === 'registry' && (
                      <span className="inline-flex gap-2">
                        <Button size="sm" onClick={() => setEditing(d)}>
                          Edit
                        </Button>
                        <Button size="sm" variant="danger" onClick={() => setRemoving(d)}>
                          Remove
                        </Button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AdminListPage>
      {configs && configs.length >= 2 && (
        <Panel title="Pair two directors" headingId="pair-form-heading" className="max-w-md">
          <div className="p-4">
            <PairForm directors={configs.map((d) => d.name)} onSaved={saved('paired')} />
          </div>
        </Panel>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove director ${removing.name}?`}
          testId="remove-director"
          confirmLabel="Remove"
          pendingLabel="Removing…"
          onClose={() => setRemoving(null)}
          onConfirm={() => removeDirector(removing.name)}
          onDone={() => saved('removed')(removing.name)}
        >
          <p>
            The dashboard disconnects from {removing.name} and forgets its token. Its agent and its IPVS table are not
            touched.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
