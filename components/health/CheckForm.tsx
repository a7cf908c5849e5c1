'use client';
// The health-check form: one service's check (for all its real servers without one of their own) or one real server's,
// every checker kind the agent runs, checked with the agent's own schema before it is sent.
import { useState } from 'react';
import { EditFormActions } from '@/components/forms/EditFormActions';
import { useForm } from '@/components/forms/use-form';
import { request } from '@/components/realtime/request';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { Field, SelectField, TextField, controlClass } from '@/components/ui/Field';
import type { AckError } from '@/lib/errors';
import type { CheckConfig, ServiceHealthConfig } from '@/lib/health';
import type { ServiceKey } from '@/lib/ipvs';
import { EditErrorBox } from '@/components/forms/EditErrorBox';
import {
  CHECK_FIELDS,
  CHECK_TYPES,
  DNS_RCODE_NAMES,
  DNS_TYPE_NAMES,
  checkCheckDraft,
  checkDraftOf,
  type CheckDraft,
} from './check-draft';

export interface CheckFormProps {
  director: string;
  service: ServiceKey;
  sid: string;
  /** A real server's own check; absent: the service's. */
  destination?: { address: string; port: number };
  /** The check there now (null: none). */
  current: CheckConfig | null;
  onClose: () => void;
  /** The service's checks after the change. */
  onSaved: (config: ServiceHealthConfig | null) => void;
}

const TYPE_LABEL: Record<CheckDraft['type'], string> = {
  http: 'HTTP GET',
  https: 'HTTPS GET',
  tcp: 'TCP connect',
  dns: 'DNS query',
  command: 'External command (exit 0 = up)',
  none: 'None (always up)',
};

export function CheckFormDialog(props: CheckFormProps) {
  const where = props.destination ? `${props.destination.address}:${props.destination.port}` : null;
  return (
    <Dialog
      open
      onClose={props.onClose}
      width="lg"
      testId="check-form"
      title={where ? `Health check of real server ${where}` : 'Health check of the service'}
      description={
        <span>
          <span className="font-mono">{props.sid}</span>
          {where ? ' — overrides the service check for this real server' : ' — for every real server without its own'}
        </span>
      }
    >
      <CheckForm {...props} />
    </Dialog>
  );
}

function CheckForm({ director, service, destination, current, onClose, onSaved }: CheckFormProps) {
  const { values: d, update, bind, err, failure, pending, submit } = useForm(() => checkDraftOf(current), CHECK_FIELDS);
  const [removing, setRemoving] = useState<{ pending: boolean; error: AckError | null }>({
    pending: false,
    error: null,
  });
  const send = (check: CheckConfig | null) =>
    request('health:check:set', [{ director, service, ...(destination ? { destination } : {}), check }]);
  const onSubmit = submit(
    (draft) => {
      const { config, errors } = checkCheckDraft(draft);
      return { errors, send: config && (() => send(config)) };
    },
    (r) => {
      onSaved(r.config);
      onClose();
    },
  );
  async function remove() {
    setRemoving({ pending: true, error: null });
    const r = await send(null);
    setRemoving({ pending: false, error: r.ok ? null : r.error });
    if (r.ok) {
      onSaved(r.data.config);
      onClose();
    }
  }
  const http = d.type === 'http' || d.type === 'https';
  const numeric = { inputMode: 'numeric' as const };
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <SelectField id="hc-type" label="Check" {...bind('type')}>
        {CHECK_TYPES.map((t) => (
          <option key={t} value={t}>
            {TYPE_LABEL[t]}
          </option>
        ))}
      </SelectField>
      {http && (
        <div className="grid grid-cols-4 gap-3">
          <TextField id="hc-path" label="Path" className="col-span-2" spellCheck={false} {...bind('path')} />
          <TextField
            id="hc-status"
            label="Expected status"
            hint="e.g. 200, 301-302"
            className="col-span-2"
            {...bind('status')}
          />
          <TextField
            id="hc-bodyRegex"
            label="Body must match (regex)"
            hint="first 64 KiB; empty: any"
            className="col-span-2"
            spellCheck={false}
            {...bind('bodyRegex')}
          />
          <TextField id="hc-host" label="Host header" hint="default: the address" {...bind('host')} />
          {d.type === 'https' ? <TextField id="hc-sni" label="TLS server name" hint="SNI" {...bind('sni')} /> : <div />}
          <label className="col-span-4 flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={d.reuseConnection}
              onChange={(e) => update({ reuseConnection: e.target.checked })}
            />
            Keep the connection for the next check (unticked: a new connection every check)
          </label>
          {d.type === 'https' && (
            <label className="col-span-4 flex items-center gap-2 text-sm">
              <input type="checkbox" checked={d.verifyTls} onChange={(e) => update({ verifyTls: e.target.checked })} />
              Verify the real server&rsquo;s certificate
            </label>
          )}
        </div>
      )}
      {d.type === 'dns' && (
        <div className="grid grid-cols-4 gap-3">
          <TextField id="hc-name" label="Query name" className="col-span-2" spellCheck={false} {...bind('name')} />
          <SelectField id="hc-queryType" label="Type" {...bind('queryType')}>
            {DNS_TYPE_NAMES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </SelectField>
          <TextField
            id="hc-rcode"
            label="Up on rcode"
            hint={DNS_RCODE_NAMES.slice(0, 4).join(', ') + '…'}
            {...bind('rcode')}
          />
        </div>
      )}
      {d.type === 'command' && (
        <Field
          id="hc-argv"
          label="Command: one argument per line, the program by absolute path (run without a shell)"
          error={err('argv')}
          hint="LVS_RS_ADDRESS, LVS_RS_PORT and LVS_SERVICE are in its environment"
        >
          <textarea
            id="hc-argv"
            rows={3}
            spellCheck={false}
            aria-invalid={err('argv') ? true : undefined}
            className={`${controlClass(err('argv'))} h-auto py-1.5 font-mono`}
            value={d.argv}
            onChange={(e) => update({ argv: e.target.value })}
          />
          <label className="mt-2 flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={d.dynamicWeight}
              onChange={(e) => update({ dynamicWeight: e.target.checked })}
            />
            The first line of its output is the weight (keepalived&rsquo;s misc_dynamic)
          </label>
        </Field>
      )}
      <div className="grid grid-cols-4 gap-3">
        <TextField id="hc-intervalMs" label="Interval (ms)" {...numeric} {...bind('intervalMs')} />
        <TextField id="hc-timeoutMs" label="Timeout (ms)" {...numeric} {...bind('timeoutMs')} />
        <TextField id="hc-rise" label="Rise" hint="passes to go up" {...numeric} {...bind('rise')} />
        <TextField id="hc-fall" label="Fall" hint="failures to go down" {...numeric} {...bind('fall')} />
        <SelectField id="hc-startState" label="Before the first check" {...bind('startState')}>
          <option value="up">up</option>
          <option value="down">down until proven</option>
        </SelectField>
        <SelectField id="hc-onFailure" label="On failure" {...bind('onFailure')}>
          <option value="quiesce">quiesce (weight 0)</option>
          <option value="remove">remove</option>
        </SelectField>
        <TextField id="hc-warmupMs" label="Warm-up (ms)" hint="out after recovery" {...numeric} {...bind('warmupMs')} />
        <TextField
          id="hc-retryIntervalMs"
          label="Retry after (ms)"
          hint="while failing; default: the interval"
          {...numeric}
          {...bind('retryIntervalMs')}
        />
        <TextField id="hc-address" label="Check address" hint="default: the real server's" {...bind('address')} />
        <TextField id="hc-port" label="Check port" hint="default: its port" {...numeric} {...bind('port')} />
        <TextField id="hc-sourceAddress" label="Source address" hint="DR: not the VIP" {...bind('sourceAddress')} />
        <div />
        <TextField
          id="hc-durationMs"
          label="Slow start (ms)"
          hint="empty: weight back at once"
          {...numeric}
          {...bind('durationMs')}
        />
        <TextField id="hc-steps" label="Slow start steps" {...numeric} {...bind('steps')} />
      </div>
      {removing.error && <EditErrorBox error={removing.error} />}
      {current && (
        <div className="flex justify-start">
          <Button variant="danger-ghost" onClick={remove} disabled={removing.pending || pending}>
            {removing.pending ? 'Removing…' : 'Remove this check'}
          </Button>
        </div>
      )}
      <EditFormActions failure={failure} pending={pending} onCancel={onClose} label="Save check" />
    </form>
  );
}
