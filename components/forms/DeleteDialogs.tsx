'use client';

import { useCan } from '@/components/auth/session';
import { serviceTitle } from '@/components/ipvs/describe';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { formatCount } from '@/components/ui/format';
import { destinationId, serviceKey, type AgentEdit, type Destination, type Service, type TableId } from '@/lib/ipvs';
import { EditErrorBox } from './EditErrorBox';
import { useEditSender, VIEWER_REASON } from './edit';

interface DeleteProps {
  onClose: () => void;
  director: string;
  /** The table the page showed when the dialog opened. */
  table: TableId;
  service: Service;
}

/** A delete of the live table: the edit against the table the page showed, its failure as the agent told it. */
function ConfirmDelete({
  onClose,
  onDeleted,
  title,
  director,
  table,
  edit,
  children,
  confirmLabel,
}: Omit<DeleteProps, 'service'> & {
  onDeleted?: () => void;
  title: string;
  edit: AgentEdit;
  children: React.ReactNode;
  confirmLabel: string;
}) {
  const canEdit = useCan('operator');
  const send = useEditSender(director, table);
  return (
    <ConfirmDialog
      onClose={onClose}
      title={title}
      testId="confirm-delete"
      confirmLabel={confirmLabel}
      pendingLabel="Deleting…"
      disabledReason={canEdit ? undefined : VIEWER_REASON}
      onConfirm={() => send(edit)}
      onDone={onDeleted}
      renderError={(error) => <EditErrorBox error={error} />}
    >
      {children}
    </ConfirmDialog>
  );
}

export function DeleteServiceDialog(props: DeleteProps & { onDeleted?: () => void }) {
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

export function DeleteDestinationDialog(props: DeleteProps & { destination: Destination }) {
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
