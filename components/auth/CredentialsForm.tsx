'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { useForm } from '@/components/forms/use-form';
import { Button } from '@/components/ui/Button';
import type { Ack } from '@/lib/events';
import type { AckError } from '@/lib/errors';

const INPUT =
  'mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/60 dark:border-zinc-700 dark:bg-zinc-900';

/** "name: reason" once, whether or not the server's message already starts with the field. */
function alertText(e: AckError): string {
  return e.field ? `${e.field}: ${e.message.replace(/^\w+: /, '')}` : e.message;
}

interface Credentials {
  name: string;
  password: string;
}

/** A name and a password sent to an auth route (sign in, the first admin), before the signed-in dashboard. */
export function CredentialsForm({
  label,
  initialName = '',
  newPassword = false,
  passwordLabel,
  submitLabel,
  pendingLabel,
  send,
  onDone,
}: {
  label: string;
  initialName?: string;
  /** The account's first password: the browser offers to make one up, and the box has the focus. */
  newPassword?: boolean;
  passwordLabel: ReactNode;
  submitLabel: string;
  pendingLabel: string;
  send: (credentials: Credentials) => Promise<Ack<unknown>>;
  onDone: () => void;
}) {
  const { values, update, failure, pending, submit } = useForm({ name: initialName, password: '' }, []);
  // Until React has hydrated, a click would submit the form natively: keep the button off until then.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const onSubmit = submit((v) => ({ errors: {}, send: () => send(v) }), onDone);

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4" aria-label={label}>
      <label className="block text-sm font-medium">
        Name
        <input
          className={INPUT}
          name="name"
          autoComplete="username"
          value={values.name}
          onChange={(e) => update({ name: e.target.value })}
          required
          autoFocus={!newPassword}
        />
      </label>
      <label className="block text-sm font-medium">
        {passwordLabel}
        <input
          className={INPUT}
          name="password"
          type="password"
          autoComplete={newPassword ? 'new-password' : 'current-password'}
          value={values.password}
          onChange={(e) => update({ password: e.target.value })}
          required
          autoFocus={newPassword}
        />
      </label>
      {failure && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200"
        >
          {alertText(failure)}
        </p>
      )}
      <Button type="submit" variant="primary" disabled={pending || !ready} className="w-full justify-center">
        {pending ? pendingLabel : submitLabel}
      </Button>
    </form>
  );
}
