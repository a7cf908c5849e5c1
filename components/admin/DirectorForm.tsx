'use client';

import { useForm } from '@/components/forms/use-form';
import { Button } from '@/components/ui/Button';
import { FormAlert, SelectField, TextField } from '@/components/ui/Field';
import { DirectorConfigInput, DirectorConfigPatch } from '@/lib/api/director-config';
import { addDirector, changeDirector, type DirectorConfigView } from './fleet';

const FIELDS = ['name', 'url', 'token', 'fingerprint', 'ca'] as const;
type FieldName = (typeof FIELDS)[number];
type Trust = 'default' | 'fingerprint' | 'ca';

interface Draft {
  name: string;
  url: string;
  token: string;
  trust: Trust;
  fingerprint: string;
  ca: string;
}

const fresh: Draft = { name: '', url: 'https://', token: '', trust: 'fingerprint', fingerprint: '', ca: '' };

/** Add a director, or edit one added before (`editing`): its token is kept when the box is left empty. */
export function DirectorForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing?: DirectorConfigView;
  onSaved: (name: string) => void;
  onCancel?: () => void;
}) {
  const { values, update, bind, err, failure, pending, submit } = useForm<Draft, FieldName>(
    editing
      ? {
          ...fresh,
          name: editing.name,
          url: editing.url,
          trust: editing.trust === 'ca' || editing.trust === 'fingerprint' ? editing.trust : 'default',
          fingerprint: editing.fingerprint ?? '',
        }
      : fresh,
    FIELDS,
    (changed) => (changed === 'trust' ? ['fingerprint', 'ca', 'url'] : [changed as FieldName]),
  );
  const onSubmit = submit(
    (v) => {
      const trust = {
        ...(v.trust === 'fingerprint' ? { fingerprint: v.fingerprint } : {}),
        ...(v.trust === 'ca' ? { ca: v.ca } : {}),
      };
      // the server's own schemas: each field's first problem, under that field
      const parsed = editing
        ? DirectorConfigPatch.safeParse({
            name: v.name,
            url: v.url,
            ...(v.token ? { token: v.token } : {}),
            fingerprint: trust.fingerprint ?? null,
            ca: v.trust === 'ca' ? trust.ca || undefined : null,
          })
        : DirectorConfigInput.safeParse({ name: v.name.trim(), url: v.url, token: v.token, ...trust });
      const errors: Partial<Record<FieldName, string>> = {};
      if (!parsed.success)
        for (const issue of parsed.error.issues) {
          const field = issue.path[0] as FieldName;
          errors[field] ??= issue.message;
        }
      if (!parsed.success) return { errors };
      const data = parsed.data;
      return {
        errors,
        send: () => (editing ? changeDirector(data as DirectorConfigPatch) : addDirector(data as DirectorConfigInput)),
      };
    },
    ({ director }) => {
      if (!editing) update(fresh);
      onSaved(director.name);
    },
  );

  return (
    <form
      onSubmit={onSubmit}
      aria-label={editing ? `Edit director ${editing.name}` : 'Add a director'}
      className="space-y-3"
      noValidate
    >
      <TextField
        id="director-name"
        label="Name"
        hint="shown on every page and in URLs"
        autoComplete="off"
        maxLength={32}
        disabled={Boolean(editing)}
        {...bind('name')}
      />
      <TextField id="director-url" label="Agent URL" hint="https://10.0.0.2:7070" autoComplete="off" {...bind('url')} />
      <TextField
        id="director-token"
        label="Token"
        hint={editing ? 'leave empty to keep the stored one' : "the agent's token file (/var/lib/lvs-agent/token)"}
        type="password"
        autoComplete="off"
        {...bind('token')}
      />
      <SelectField id="director-trust" label="Trust its certificate by" {...bind('trust', 'url')} error={null}>
        <option value="fingerprint">its SHA-256 fingerprint (pinned)</option>
        <option value="ca">a CA certificate (PEM)</option>
        <option value="default">the system CAs (or plain http on loopback)</option>
      </SelectField>
      {values.trust === 'fingerprint' && (
        <TextField
          id="director-fingerprint"
          label="Certificate fingerprint (SHA-256)"
          hint="openssl x509 -in cert.pem -noout -fingerprint -sha256"
          autoComplete="off"
          {...bind('fingerprint')}
        />
      )}
      {values.trust === 'ca' && (
        <div data-field="director-ca">
          <label htmlFor="director-ca" className="mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300">
            CA certificate (PEM)
          </label>
          <textarea
            id="director-ca"
            rows={4}
            value={values.ca}
            onChange={(e) => update({ ca: e.target.value })}
            placeholder={editing?.trust === 'ca' ? 'leave empty to keep the stored one' : '-----BEGIN CERTIFICATE-----'}
            className="block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
          />
          {err('ca') && (
            <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400" data-testid="error-director-ca">
              {err('ca')}
            </p>
          )}
        </div>
      )}
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Saving…' : editing ? 'Save' : 'Add director'}
        </Button>
        {onCancel && <Button onClick={onCancel}>Cancel</Button>}
        {failure && <FormAlert>{failure.message}</FormAlert>}
      </div>
    </form>
  );
}
