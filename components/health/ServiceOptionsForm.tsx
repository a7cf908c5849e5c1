'use client';
// A service's sorry server (added with weight 1 while no real server is healthy or the quorum is lost) and quorum
// (minimum healthy weight, hysteresis, a command on lost and on regained), checked with the agent's own schemas before
// they are sent.
import { EditFormActions } from '@/components/forms/EditFormActions';
import { useForm } from '@/components/forms/use-form';
import { request } from '@/components/realtime/request';
import { Dialog } from '@/components/ui/Dialog';
import { Field, SelectField, TextField, controlClass } from '@/components/ui/Field';
import type { ServiceHealthConfig } from '@/lib/health';
import type { ServiceKey } from '@/lib/ipvs';
import {
  SERVICE_OPTION_FIELDS,
  SORRY_FORWARDS,
  checkServiceOptionsDraft,
  serviceOptionsDraftOf,
} from './service-options-draft';

export interface ServiceOptionsFormProps {
  director: string;
  service: ServiceKey;
  sid: string;
  /** The service's checks configuration now (null: none). */
  current: ServiceHealthConfig | null;
  onClose: () => void;
  onSaved: (config: ServiceHealthConfig | null) => void;
}

const FORWARD_LABEL = { masq: 'NAT (masq)', route: 'direct routing', tunnel: 'tunnel' } as const;

export function ServiceOptionsDialog(props: ServiceOptionsFormProps) {
  return (
    <Dialog
      open
      onClose={props.onClose}
      width="lg"
      testId="service-options-form"
      title="Sorry server and quorum"
      description={<span className="font-mono">{props.sid}</span>}
    >
      <ServiceOptionsForm {...props} />
    </Dialog>
  );
}

function ServiceOptionsForm({ director, service, current, onClose, onSaved }: ServiceOptionsFormProps) {
  const { values, update, bind, err, failure, pending, submit } = useForm(
    () => serviceOptionsDraftOf(current),
    SERVICE_OPTION_FIELDS,
  );
  const onSubmit = submit(
    (draft) => {
      const { options, errors } = checkServiceOptionsDraft(draft);
      return {
        errors,
        send: options && (() => request('health:service:set', [{ director, service, ...options }])),
      };
    },
    (r) => {
      onSaved(r.config);
      onClose();
    },
  );
  const argvBox = (name: 'onLost' | 'onRegained', label: string) => (
    <Field id={`so-${name}`} label={label} error={err(name)} hint="one argument per line, the program by absolute path">
      <textarea
        id={`so-${name}`}
        rows={2}
        spellCheck={false}
        aria-invalid={err(name) ? true : undefined}
        className={`${controlClass(err(name))} h-auto py-1.5 font-mono`}
        value={values[name]}
        onChange={(e) => update({ [name]: e.target.value })}
      />
    </Field>
  );
  const numeric = { inputMode: 'numeric' as const };
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">Sorry server</legend>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Added with weight 1 while no real server is healthy, or while the quorum below is lost (the real servers still
          up then leave the pool, as with keepalived), removed as soon as one is back. Empty: none.
        </p>
        <div className="grid grid-cols-4 gap-3">
          <TextField
            id="so-address"
            label="Sorry server address"
            className="col-span-2"
            spellCheck={false}
            {...bind('address')}
          />
          <TextField id="so-port" label="Sorry server port" {...numeric} {...bind('port')} />
          <SelectField id="so-forward" label="Forwarding" {...bind('forward')}>
            {SORRY_FORWARDS.map((f) => (
              <option key={f} value={f}>
                {FORWARD_LABEL[f]}
              </option>
            ))}
          </SelectField>
        </div>
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">Quorum</legend>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Lost when the healthy real servers&rsquo; weights add up to less than the minimum (minus the hysteresis),
          regained at the minimum plus the hysteresis. Empty: none.
        </p>
        <div className="grid grid-cols-4 gap-3">
          <TextField id="so-minWeight" label="Minimum healthy weight" {...numeric} {...bind('minWeight')} />
          <TextField id="so-hysteresis" label="Hysteresis" hint="default 0" {...numeric} {...bind('hysteresis')} />
        </div>
        {argvBox('onLost', 'Command when quorum is lost')}
        {argvBox('onRegained', 'Command when quorum is regained')}
      </fieldset>
      <EditFormActions failure={failure} pending={pending} onCancel={onClose} label="Save" />
    </form>
  );
}
