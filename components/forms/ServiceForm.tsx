'use client';

import { keepalivedEditWarning } from '@/components/director/keepalived-owner';
import { useDirector } from '@/components/realtime/hooks';
import { Dialog } from '@/components/ui/Dialog';
import { Checkbox, SelectField, TextField } from '@/components/ui/Field';
import {
  PERSISTENCE_ENGINES,
  SCHED_FLAGS,
  SCHEDULERS,
  serviceId,
  serviceKey,
  type Service,
  type TableId,
} from '@/lib/ipvs';
import { EditFormActions } from './EditFormActions';
import { useEditSender } from './edit';
import {
  checkService,
  draftOf,
  FIELDS,
  FLAG_NAMES,
  SCHEDULER_NAMES,
  type Draft,
  type FieldName,
} from './service-draft';
import { useForm } from './use-form';

const flagsOf = (scheduler: string): readonly string[] =>
  (SCHED_FLAGS as Record<string, readonly string[]>)[scheduler] ?? [];

/** The errors an edit of a box makes out of date: the timeout box is the 'persistent' field's. */
const clears = (k: keyof Draft): readonly FieldName[] =>
  k === 'timeout' ? ['persistent'] : k === 'persistent' ? ['persistent', 'netmask'] : [k];

interface Props {
  open: boolean;
  onClose: () => void;
  director: string;
  /** The table the page showed when the form opened: the edit is made against it. */
  table: TableId;
  /** Editing this service; adding a new one when absent. */
  service?: Service;
}

export function ServiceFormDialog({ open, onClose, director, table, service }: Props) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      width="lg"
      testId="service-form"
      title={service ? 'Edit virtual service' : `Add a virtual service to ${director}`}
      description={
        service ? 'Protocol, address, port and firewall mark identify the service and cannot change here.' : undefined
      }
    >
      {open && <ServiceForm director={director} table={table} service={service} onDone={onClose} />}
    </Dialog>
  );
}

function ServiceForm({
  director,
  table,
  service,
  onDone,
}: {
  director: string;
  table: TableId;
  service?: Service;
  onDone: () => void;
}) {
  const {
    values: d,
    update: change,
    bind,
    err,
    failure,
    pending,
    submit,
  } = useForm(() => draftOf(service), FIELDS, clears);
  const send = useEditSender(director, table);
  const owner = useDirector(director)?.state;
  const editing = service !== undefined;
  const warning = service ? keepalivedEditWarning(owner, serviceId(serviceKey(service))) : null;
  const kind = editing ? 'edit-service' : 'add-service';
  const flagChoices = flagsOf(d.scheduler);
  // A scheduler takes only its own flags.
  const update = (patch: Partial<Draft>) =>
    change(
      patch.scheduler === undefined
        ? patch
        : { ...patch, flags: d.flags.filter((f) => flagsOf(patch.scheduler ?? '').includes(f)) },
    );
  const onSubmit = submit((draft) => {
    const { config, errors } = checkService(draft, kind);
    return { errors, send: config && (() => send({ kind, service: config })) };
  }, onDone);

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <div className="grid grid-cols-6 gap-3">
        <SelectField id="svc-protocol" label="Protocol" className="col-span-2" disabled={editing} {...bind('protocol')}>
          <option value="tcp">TCP (-t)</option>
          <option value="udp">UDP (-u)</option>
          <option value="sctp">SCTP (--sctp-service)</option>
          <option value="fwmark">Firewall mark (-f)</option>
        </SelectField>
        {d.protocol === 'fwmark' ? (
          <>
            <TextField
              id="svc-fwmark"
              label="Firewall mark"
              hint="1..4294967295, as set by iptables/nftables"
              className="col-span-2"
              inputMode="numeric"
              disabled={editing}
              {...bind('fwmark')}
            />
            <div className="col-span-2 pt-6">
              <Checkbox
                id="svc-ipv6"
                label="IPv6 (-6)"
                checked={d.ipv6}
                disabled={editing}
                error={err('ipv6')}
                onChange={(e) => update({ ipv6: e.target.checked })}
              />
            </div>
          </>
        ) : (
          <>
            <TextField
              id="svc-address"
              label="Virtual IP address"
              className="col-span-3"
              placeholder="10.1.0.10 or 2001:db8::10"
              disabled={editing}
              spellCheck={false}
              autoComplete="off"
              {...bind('address')}
            />
            <TextField
              id="svc-port"
              label="Port"
              hint="0 = all ports (needs persistence)"
              className="col-span-1"
              inputMode="numeric"
              disabled={editing}
              {...bind('port')}
            />
          </>
        )}
      </div>

      <div className="grid grid-cols-6 gap-3">
        <SelectField
          id="svc-scheduler"
          label="Scheduler (-s)"
          error={err('scheduler')}
          className="col-span-3"
          value={d.scheduler}
          onChange={(e) => update({ scheduler: e.target.value })}
        >
          {SCHEDULERS.map((s) => (
            <option key={s} value={s}>
              {s} — {SCHEDULER_NAMES[s]}
            </option>
          ))}
        </SelectField>
        <fieldset className="col-span-3" data-field="svc-flags">
          <legend className="mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Scheduler flags (-b)
          </legend>
          {flagChoices.length === 0 ? (
            <p className="py-1.5 text-sm text-zinc-500 dark:text-zinc-400">
              {d.scheduler} has no flags (only sh and mh do).
            </p>
          ) : (
            <div className="space-y-1 py-1">
              {flagChoices.map((f) => (
                <Checkbox
                  key={f}
                  id={`svc-flag-${f}`}
                  label={
                    <span>
                      <span className="font-mono">{f}</span>{' '}
                      <span className="text-zinc-500 dark:text-zinc-400">{FLAG_NAMES[f]}</span>
                    </span>
                  }
                  checked={d.flags.includes(f)}
                  onChange={(e) =>
                    update({ flags: e.target.checked ? [...d.flags, f] : d.flags.filter((x) => x !== f) })
                  }
                />
              ))}
            </div>
          )}
          {err('flags') && (
            <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400" data-testid="error-svc-flags">
              {err('flags')}
            </p>
          )}
        </fieldset>
      </div>

      <fieldset className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
        <legend className="px-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">Persistence</legend>
        <Checkbox
          id="svc-persistent-on"
          label="Persistent (-p): a client keeps its real server while its template lives"
          checked={d.persistent}
          onChange={(e) => update({ persistent: e.target.checked })}
        />
        {d.persistent && (
          <div className="mt-3 grid grid-cols-6 gap-3">
            <TextField
              id="svc-persistent"
              label="Timeout (seconds)"
              className="col-span-2"
              inputMode="numeric"
              {...bind('timeout', 'persistent')}
            />
            <TextField
              id="svc-netmask"
              label="Netmask (-M)"
              hint="Group clients: 255.255.255.0, or a prefix length for IPv6"
              className="col-span-2"
              placeholder="255.255.255.255"
              spellCheck={false}
              {...bind('netmask')}
            />
            <SelectField id="svc-pe" label="Persistence engine (--pe)" className="col-span-2" {...bind('pe')}>
              <option value="">none</option>
              {PERSISTENCE_ENGINES.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </SelectField>
          </div>
        )}
      </fieldset>

      <Checkbox
        id="svc-ops"
        label="One-packet scheduling (-o): schedule every UDP datagram on its own"
        checked={d.ops}
        error={err('ops')}
        onChange={(e) => update({ ops: e.target.checked })}
      />

      <EditFormActions
        failure={failure}
        pending={pending}
        onCancel={onDone}
        label={editing ? 'Save service' : 'Add service'}
        warning={warning}
      />
    </form>
  );
}
