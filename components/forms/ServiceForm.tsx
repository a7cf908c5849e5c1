'use client';

import { useState, type FormEvent } from 'react';
import { useCan } from '@/components/auth/session';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { Checkbox, Field, Select, TextInput } from '@/components/ui/Field';
import type { AckError } from '@/lib/events';
import { PERSISTENCE_ENGINES, SCHED_FLAGS, SCHEDULERS, ServiceConfig, type Service } from '@/lib/ipvs';
import { EditErrorBox } from './EditErrorBox';
import { fieldMessage, fieldOf, finishCheck, sendEdit, VIEWER_REASON } from './edit';

const FIELDS = [
  'protocol',
  'address',
  'port',
  'fwmark',
  'ipv6',
  'scheduler',
  'flags',
  'persistent',
  'netmask',
  'ops',
  'pe',
] as const;
type FieldName = (typeof FIELDS)[number];
export type Errors<F extends string> = Partial<Record<F, string>>;

interface Draft {
  protocol: Service['protocol'];
  address: string;
  port: string;
  fwmark: string;
  ipv6: boolean;
  scheduler: string;
  flags: string[];
  persistent: boolean;
  timeout: string;
  netmask: string;
  ops: boolean;
  pe: string;
}

const SCHEDULER_NAMES: Record<string, string> = {
  rr: 'round robin',
  wrr: 'weighted round robin',
  lc: 'least connection',
  wlc: 'weighted least connection',
  lblc: 'locality-based least conn.',
  lblcr: 'locality-based least conn. w/ replication',
  dh: 'destination hashing',
  sh: 'source hashing',
  sed: 'shortest expected delay',
  nq: 'never queue',
  fo: 'weighted failover',
  ovf: 'weighted overflow',
  mh: 'maglev hashing',
  twos: 'weighted random twos choice (newer kernels)',
};

const FLAG_NAMES: Record<string, string> = {
  'sh-fallback': 'fallback: skip unavailable servers',
  'sh-port': 'hash the source port too',
  'mh-fallback': 'fallback: skip unavailable servers',
  'mh-port': 'hash the source port too',
};

function draftOf(s?: Service): Draft {
  return {
    protocol: s?.protocol ?? 'tcp',
    address: s?.address ?? '',
    port: s?.port === undefined ? '' : String(s.port),
    fwmark: s?.fwmark === undefined ? '' : String(s.fwmark),
    ipv6: s?.ipv6 === true,
    scheduler: s?.scheduler ?? 'wlc',
    flags: s?.flags ?? [],
    persistent: s?.persistent !== undefined,
    timeout: String(s?.persistent ?? 300),
    netmask: s?.netmask ?? '',
    ops: s?.ops ?? false,
    pe: s?.pe ?? '',
  };
}

/** A whole number from an input, or an error message; '' means "not given". */
export function intField(text: string, what: string): number | undefined | { error: string } {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/^\d+$/.test(t)) return { error: `${what}: a whole number` };
  return Number(t);
}

/** Build the ServiceConfig from the form and check it with the same schemas the agent uses. */
export function checkService(
  d: Draft,
  kind: 'add-service' | 'edit-service',
): { config?: ServiceConfig; errors: Errors<FieldName> } {
  const errors: Errors<FieldName> = {};
  const out: Record<string, unknown> = { protocol: d.protocol, scheduler: d.scheduler, flags: d.flags, ops: d.ops };
  // A field that is not a number gets its error here, and a stand-in value so the schema's cross-field checks still
  // run and report the other fields' problems in the same round.
  const num = (field: FieldName, text: string, what: string) => {
    const v = intField(text, what);
    if (typeof v === 'object') {
      errors[field] = v.error;
      out[field] = 1;
    } else if (v !== undefined) out[field] = v;
  };
  if (d.protocol === 'fwmark') {
    num('fwmark', d.fwmark, 'firewall mark');
    if (d.ipv6) out.ipv6 = true;
  } else {
    if (d.address.trim()) out.address = d.address.trim();
    num('port', d.port, 'port');
  }
  if (d.persistent) {
    num('persistent', d.timeout, 'persistence timeout');
    if (d.netmask.trim()) out.netmask = d.netmask.trim();
    if (d.pe) out.pe = d.pe;
  }
  return finishCheck(ServiceConfig, out, errors, FIELDS, 'protocol', (service) => ({ kind, service }));
}

interface Props {
  open: boolean;
  onClose: () => void;
  director: string;
  version: number;
  /** Editing this service; adding a new one when absent. */
  service?: Service;
}

export function ServiceFormDialog({ open, onClose, director, version, service }: Props) {
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
      {open && <ServiceForm director={director} version={version} service={service} onDone={onClose} />}
    </Dialog>
  );
}

function ServiceForm({
  director,
  version,
  service,
  onDone,
}: {
  director: string;
  version: number;
  service?: Service;
  onDone: () => void;
}) {
  const [d, setD] = useState<Draft>(() => draftOf(service));
  const [errors, setErrors] = useState<Errors<FieldName>>({});
  const [serverError, setServerError] = useState<AckError | null>(null);
  const [pending, setPending] = useState(false);
  const canEdit = useCan('operator');
  // The table version this form was opened on; moved on after a conflict, once the person has seen the error.
  const [base, setBase] = useState(version);
  const editing = service !== undefined;
  const flagChoices: readonly string[] = (SCHED_FLAGS as Record<string, readonly string[]>)[d.scheduler] ?? [];

  const update = (patch: Partial<Draft>) => {
    setD((prev) => {
      const next = { ...prev, ...patch };
      if (patch.scheduler !== undefined) {
        const allowed: readonly string[] = (SCHED_FLAGS as Record<string, readonly string[]>)[patch.scheduler] ?? [];
        next.flags = next.flags.filter((f) => allowed.includes(f));
      }
      return next;
    });
    // An edited field's error is out of date.
    setErrors((prev) => {
      const next = { ...prev };
      for (const k of Object.keys(patch)) {
        delete next[(k === 'timeout' ? 'persistent' : k) as FieldName];
        if (k === 'persistent') delete next.netmask;
      }
      return next;
    });
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    const kind = editing ? 'edit-service' : 'add-service';
    const { config, errors: found } = checkService(d, kind);
    setErrors(found);
    if (!config) return;
    setPending(true);
    const reply = await sendEdit(director, { kind, service: config }, base);
    setPending(false);
    if (reply.ok) return onDone();
    if (reply.error.code === 'conflict' && reply.error.state) setBase(reply.error.state.version);
    const f = fieldOf(reply.error.field, FIELDS);
    if (f) setErrors({ [f]: fieldMessage(reply.error) });
    else setServerError(reply.error);
  }

  const err = (f: FieldName) => errors[f] ?? null;
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <div className="grid grid-cols-6 gap-3">
        <Field id="svc-protocol" label="Protocol" error={err('protocol')} className="col-span-2">
          <Select
            id="svc-protocol"
            value={d.protocol}
            disabled={editing}
            error={err('protocol')}
            onChange={(e) => update({ protocol: e.target.value as Draft['protocol'] })}
          >
            <option value="tcp">TCP (-t)</option>
            <option value="udp">UDP (-u)</option>
            <option value="sctp">SCTP (--sctp-service)</option>
            <option value="fwmark">Firewall mark (-f)</option>
          </Select>
        </Field>
        {d.protocol === 'fwmark' ? (
          <>
            <Field
              id="svc-fwmark"
              label="Firewall mark"
              error={err('fwmark')}
              hint="1..4294967295, as set by iptables/nftables"
              className="col-span-2"
            >
              <TextInput
                id="svc-fwmark"
                inputMode="numeric"
                value={d.fwmark}
                disabled={editing}
                error={err('fwmark')}
                onChange={(e) => update({ fwmark: e.target.value })}
              />
            </Field>
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
            <Field id="svc-address" label="Virtual IP address" error={err('address')} className="col-span-3">
              <TextInput
                id="svc-address"
                placeholder="10.1.0.10 or 2001:db8::10"
                value={d.address}
                disabled={editing}
                error={err('address')}
                onChange={(e) => update({ address: e.target.value })}
                spellCheck={false}
                autoComplete="off"
              />
            </Field>
            <Field
              id="svc-port"
              label="Port"
              error={err('port')}
              hint="0 = all ports (needs persistence)"
              className="col-span-1"
            >
              <TextInput
                id="svc-port"
                inputMode="numeric"
                value={d.port}
                disabled={editing}
                error={err('port')}
                onChange={(e) => update({ port: e.target.value })}
              />
            </Field>
          </>
        )}
      </div>

      <div className="grid grid-cols-6 gap-3">
        <Field id="svc-scheduler" label="Scheduler (-s)" error={err('scheduler')} className="col-span-3">
          <Select
            id="svc-scheduler"
            value={d.scheduler}
            error={err('scheduler')}
            onChange={(e) => update({ scheduler: e.target.value })}
          >
            {SCHEDULERS.map((s) => (
              <option key={s} value={s}>
                {s} — {SCHEDULER_NAMES[s]}
              </option>
            ))}
          </Select>
        </Field>
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
            <Field id="svc-persistent" label="Timeout (seconds)" error={err('persistent')} className="col-span-2">
              <TextInput
                id="svc-persistent"
                inputMode="numeric"
                value={d.timeout}
                error={err('persistent')}
                onChange={(e) => update({ timeout: e.target.value })}
              />
            </Field>
            <Field
              id="svc-netmask"
              label="Netmask (-M)"
              error={err('netmask')}
              hint="Group clients: 255.255.255.0, or a prefix length for IPv6"
              className="col-span-2"
            >
              <TextInput
                id="svc-netmask"
                placeholder="255.255.255.255"
                value={d.netmask}
                error={err('netmask')}
                onChange={(e) => update({ netmask: e.target.value })}
                spellCheck={false}
              />
            </Field>
            <Field id="svc-pe" label="Persistence engine (--pe)" error={err('pe')} className="col-span-2">
              <Select id="svc-pe" value={d.pe} error={err('pe')} onChange={(e) => update({ pe: e.target.value })}>
                <option value="">none</option>
                {PERSISTENCE_ENGINES.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </Select>
            </Field>
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

      {serverError && <EditErrorBox error={serverError} />}
      <div className="flex items-center justify-end gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        <Button onClick={onDone}>Cancel</Button>
        <Button
          type="submit"
          variant="primary"
          disabled={pending || !canEdit}
          title={canEdit ? undefined : VIEWER_REASON}
        >
          {pending ? 'Applying…' : editing ? 'Save service' : 'Add service'}
        </Button>
      </div>
    </form>
  );
}
