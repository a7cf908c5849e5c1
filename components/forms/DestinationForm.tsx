'use client';

import { keepalivedEditWarning } from '@/components/director/keepalived-owner';
import { useDirector } from '@/components/realtime/hooks';
import { Dialog } from '@/components/ui/Dialog';
import { SelectField, TextField } from '@/components/ui/Field';
import {
  DestinationConfig,
  MAX_WEIGHT,
  TUNNEL_CHECKSUMS,
  TUNNEL_TYPES,
  serviceId,
  serviceKey,
  type Destination,
  type Service,
  type TableId,
} from '@/lib/ipvs';
import { EditFormActions } from './EditFormActions';
import { finishCheck, numberReader, useEditSender, type Errors } from './edit';
import { useForm } from './use-form';

const FIELDS = [
  'address',
  'port',
  'forward',
  'weight',
  'upperThreshold',
  'lowerThreshold',
  'tunnelType',
  'tunnelPort',
  'tunnelChecksum',
] as const;
type FieldName = (typeof FIELDS)[number];

interface Draft {
  address: string;
  port: string;
  forward: 'masq' | 'route' | 'tunnel';
  weight: string;
  upperThreshold: string;
  lowerThreshold: string;
  tunnelType: string;
  tunnelPort: string;
  tunnelChecksum: string;
}

function draftOf(service: Service, d?: Destination): Draft {
  const forward =
    d && (d.forward === 'masq' || d.forward === 'route' || d.forward === 'tunnel')
      ? d.forward
      : ((service.destinations[0]?.forward as Draft['forward'] | undefined) ?? 'masq');
  return {
    address: d?.address ?? '',
    port: d ? String(d.port) : service.protocol === 'fwmark' || service.port === 0 ? '0' : String(service.port ?? ''),
    forward: forward === 'masq' || forward === 'route' || forward === 'tunnel' ? forward : 'masq',
    weight: String(d?.weight ?? 1),
    upperThreshold: d?.upperThreshold ? String(d.upperThreshold) : '',
    lowerThreshold: d?.lowerThreshold ? String(d.lowerThreshold) : '',
    tunnelType: d?.tunnelType ?? '',
    tunnelPort: d?.tunnelPort === undefined ? '' : String(d.tunnelPort),
    tunnelChecksum: d?.tunnelChecksum ?? '',
  };
}

export function checkDestination(
  service: Service,
  d: Draft,
  kind: 'add-destination' | 'edit-destination',
): { config?: DestinationConfig; errors: Errors<FieldName> } {
  const errors: Errors<FieldName> = {};
  const out: Record<string, unknown> = { forward: d.forward };
  const num = numberReader(errors, out, (f) => (f === 'lowerThreshold' || f === 'upperThreshold' ? 0 : 1));
  if (d.address.trim()) out.address = d.address.trim();
  num('port', d.port, 'port');
  num('weight', d.weight, 'weight');
  num('upperThreshold', d.upperThreshold, 'upper threshold');
  num('lowerThreshold', d.lowerThreshold, 'lower threshold');
  if (d.forward === 'tunnel') {
    if (d.tunnelType) out.tunnelType = d.tunnelType;
    num('tunnelPort', d.tunnelPort, 'tunnel port');
    if (d.tunnelChecksum) out.tunnelChecksum = d.tunnelChecksum;
  }
  if (out.address === undefined) errors.address ??= 'required: the real server\u2019s IP address';
  if (out.port === undefined) errors.port ??= 'required (0 for fwmark and all-port services)';
  if (out.weight === undefined) errors.weight ??= `required: 0..${MAX_WEIGHT} (0 = out of rotation)`;
  return finishCheck(DestinationConfig, out, errors, FIELDS, 'address', (destination) => ({
    kind,
    service: serviceKey(service),
    destination,
  }));
}

/**
 * What port 0 means for this service. The kernel sends each connection to the real server's port, or, when that is 0,
 * to the port the client connected to (ip_vs_schedule: `dest->port ? dest->port : vport`); ipvsadm replaces the
 * port of a gatewaying or tunnelling real server of a non-fwmark service by the service's port itself.
 */
export function portHint(service: Service, d: Pick<Draft, 'port' | 'forward'>): string | undefined {
  if (d.port.trim() !== '0') return undefined;
  if (service.protocol === 'fwmark' || !service.port) return '0 = the port the client connected to';
  if (d.forward !== 'masq') return `ipvsadm uses ${service.port}, the service's port`;
  return `0 = the client's port, here ${service.port}`;
}

interface Props {
  open: boolean;
  onClose: () => void;
  director: string;
  /** The table the page showed when the form opened: the edit is made against it. */
  table: TableId;
  service: Service;
  /** Editing this real server; adding one when absent. */
  destination?: Destination;
}

export function DestinationFormDialog({ open, onClose, director, table, service, destination }: Props) {
  const sid = serviceId(serviceKey(service));
  return (
    <Dialog
      open={open}
      onClose={onClose}
      testId="destination-form"
      title={destination ? `Edit real server ${destination.address}:${destination.port}` : 'Add a real server'}
      description={<span className="font-mono">{sid}</span>}
    >
      {open && (
        <DestinationForm
          director={director}
          table={table}
          service={service}
          destination={destination}
          onDone={onClose}
        />
      )}
    </Dialog>
  );
}

function DestinationForm({
  director,
  table,
  service,
  destination,
  onDone,
}: Omit<Props, 'open' | 'onClose'> & { onDone: () => void }) {
  const { values: d, bind, failure, pending, submit } = useForm(() => draftOf(service, destination), FIELDS);
  const send = useEditSender(director, table);
  const owner = useDirector(director)?.state;
  const editing = destination !== undefined;
  const kind = editing ? 'edit-destination' : 'add-destination';
  const onSubmit = submit((draft) => {
    const { config, errors } = checkDestination(service, draft, kind);
    return { errors, send: config && (() => send({ kind, service: serviceKey(service), destination: config })) };
  }, onDone);

  const tunnel = d.forward === 'tunnel';
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <div className="grid grid-cols-4 gap-3">
        <TextField
          id="dst-address"
          label="Real server address (-r)"
          className="col-span-3"
          placeholder="10.2.0.13"
          disabled={editing}
          spellCheck={false}
          autoComplete="off"
          {...bind('address')}
        />
        <TextField
          id="dst-port"
          label="Port"
          hint={portHint(service, d)}
          className="col-span-1"
          inputMode="numeric"
          disabled={editing}
          {...bind('port')}
        />
      </div>
      <div className="grid grid-cols-4 gap-3">
        <SelectField id="dst-forward" label="Forwarding method" className="col-span-2" {...bind('forward')}>
          <option value="masq">NAT — masquerading (-m)</option>
          <option value="route">DR — direct routing (-g)</option>
          <option value="tunnel">TUN — IP tunnel (-i)</option>
        </SelectField>
        <TextField
          id="dst-weight"
          label="Weight (-w)"
          hint={`0..${MAX_WEIGHT}; 0 = no new connections`}
          className="col-span-2"
          inputMode="numeric"
          {...bind('weight')}
        />
        <TextField
          id="dst-upperThreshold"
          label="Upper threshold (-x)"
          hint="Max connections; empty or 0 = none"
          className="col-span-2"
          inputMode="numeric"
          {...bind('upperThreshold')}
        />
        <TextField
          id="dst-lowerThreshold"
          label="Lower threshold (-y)"
          hint="Back in rotation below this"
          className="col-span-2"
          inputMode="numeric"
          {...bind('lowerThreshold')}
        />
      </div>
      {tunnel && (
        <fieldset className="grid grid-cols-3 gap-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
          <legend className="px-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">Tunnel</legend>
          <SelectField id="dst-tunnelType" label="Type (--tun-type)" {...bind('tunnelType')}>
            <option value="">ipip (default)</option>
            {TUNNEL_TYPES.filter((t) => t !== 'ipip').map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </SelectField>
          <TextField
            id="dst-tunnelPort"
            label="Port (--tun-port)"
            hint="gue only"
            inputMode="numeric"
            {...bind('tunnelPort')}
          />
          <SelectField id="dst-tunnelChecksum" label="Checksum" hint="gue and gre only" {...bind('tunnelChecksum')}>
            <option value="">default</option>
            {TUNNEL_CHECKSUMS.map((t) => (
              <option key={t} value={t}>
                {t} (--tun-{t})
              </option>
            ))}
          </SelectField>
        </fieldset>
      )}
      <EditFormActions
        failure={failure}
        pending={pending}
        onCancel={onDone}
        label={editing ? 'Save real server' : 'Add real server'}
        warning={keepalivedEditWarning(owner, serviceId(serviceKey(service)))}
      />
    </form>
  );
}
