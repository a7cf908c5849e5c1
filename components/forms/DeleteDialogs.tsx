'use client';

import { useState } from 'react';
import { useCan } from '@/components/auth/session';
import { serviceTitle } from '@/components/ipvs/describe';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { formatCount } from '@/components/ui/format';
import type { AckError } from '@/lib/events';
import { destinationId, serviceKey, type AgentEdit, type Destination, type Service } from '@/lib/ipvs';
import { EditErrorBox } from './EditErrorBox';
import { sendEdit, VIEWER_REASON } from './edit';

function ConfirmDelete({
  open,
  onClose,
  onDeleted,
  title,
  director,
  version,
  edit,
  children,
  confirmLabel,
}: {
  open: boolean;
  onClose: () => void;
  onDeleted?: () => void;
  title: string;
  director: string;
  version: number;
  edit: AgentEdit;
  children: React.ReactNode;
  confirmLabel: string;
}) {
  const [pending, setPending] = useState(false);
  const canEdit = useCan('operator');
  const [error, setError] = useState<AckError | null>(null);
  const [base, setBase] = useState(version);
  const close = () => {
    setError(null);
    onClose();
  };
  async function confirm() {
    setPending(true);
    setError(null);
    const reply = await sendEdit(director, edit, base);
    setPending(false);
    if (!reply.ok) {
      if (reply.error.code === 'conflict' && reply.error.state) setBase(reply.error.state.version);
      return setError(reply.error);
    }
    close();
    onDeleted?.();
  }
  return (
    <Dialog open={open} onClose={close} title={title} testId="confirm-delete">
      <div className="space-y-3 text-sm">
        {children}
        {error && <EditErrorBox error={error} />}
        <div className="flex justify-end gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          <Button onClick={close}>Cancel</Button>
          <Button
            variant="danger"
            onClick={confirm}
            disabled={pending || !canEdit}
            title={canEdit ? undefined : VIEWER_REASON}
          >
            {pending ? 'Deleting…' : confirmLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

export function DeleteServiceDialog(props: {
  open: boolean;
  onClose: () => void;
  onDeleted?: () => void;
  director: string;
  version: number;
  service: Service;
}) {
  const { service } = props;
  const n = service.destinations.length;
  const active = service.destinations.reduce((a, d) => a + d.activeConns, 0);
  return (
    <ConfirmDelete
      {...props}
      title="Delete virtual service?"
      edit={{ kind: 'delete-service', service: serviceKey(service) }}
      confirmLabel={`Delete service${n ? ` and ${n} real server${n === 1 ? '' : 's'}` : ''}`}
    >
      <p>
        This removes from <span className="font-semibold">{props.director}</span>&rsquo;s kernel table, now:
      </p>
      <ul
        className="max-h-56 space-y-1 overflow-y-auto rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-[13px] dark:border-zinc-800 dark:bg-zinc-950"
        data-testid="delete-list"
      >
        <li className="font-semibold">the service {serviceTitle(service)}</li>
        {service.destinations.map((d) => (
          <li key={destinationId(d)} className="pl-4">
            real server {destinationId(d)} (weight {d.weight}, {formatCount(d.activeConns)} active)
          </li>
        ))}
        {n === 0 && <li className="pl-4 text-zinc-500">(no real servers)</li>}
      </ul>
      <p className="text-zinc-600 dark:text-zinc-400">
        {n === 0 ? 'The service has no real servers.' : `Its ${n} real server${n === 1 ? '' : 's'} go with it.`}{' '}
        {active > 0 && (
          <span className="font-medium text-red-700 dark:text-red-400">
            {formatCount(active)} active connections lose their service.
          </span>
        )}
      </p>
    </ConfirmDelete>
  );
}

export function DeleteDestinationDialog(props: {
  open: boolean;
  onClose: () => void;
  director: string;
  version: number;
  service: Service;
  destination: Destination;
}) {
  const { service, destination: d } = props;
  return (
    <ConfirmDelete
      {...props}
      title="Remove real server?"
      edit={{
        kind: 'delete-destination',
        service: serviceKey(service),
        destination: { address: d.address, port: d.port },
      }}
      confirmLabel="Remove real server"
    >
      <p>
        This removes real server <span className="font-mono font-semibold">{destinationId(d)}</span> from{' '}
        <span className="font-mono">{serviceTitle(service)}</span> on {props.director}, now.
      </p>
      {d.activeConns + d.inactiveConns > 0 ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-500/10 dark:text-amber-200">
          It still has {formatCount(d.activeConns)} active and {formatCount(d.inactiveConns)} inactive connections:
          those stop working. Drain it first (weight 0) to let them finish.
        </p>
      ) : (
        <p className="text-zinc-600 dark:text-zinc-400">It has no connections.</p>
      )}
    </ConfirmDelete>
  );
}
