'use client';

import { useState } from 'react';
import { api } from '@/components/auth/api';
import { useForm } from '@/components/forms/use-form';
import { Button } from '@/components/ui/Button';
import { FormAlert, TextField } from '@/components/ui/Field';
import { NewPasswordFields, checkNewPassword } from './NewPasswordFields';

const FIELDS = ['current', 'password', 'again'] as const;
const EMPTY = { current: '', password: '', again: '' };

/** Change your own password: the current one, the new one twice. Your other sessions end. */
export function PasswordForm({ userName, onChanged }: { userName: string; onChanged: () => void }) {
  const form = useForm(EMPTY, FIELDS);
  const { values, err, failure, pending } = form;
  const [done, setDone] = useState<string | null>(null);
  const update = (patch: Partial<typeof EMPTY>) => {
    form.update(patch);
    setDone(null);
  };

  const submit = form.submit(
    (v) => {
      const errors = {
        ...(v.current ? {} : { current: 'required' }),
        ...checkNewPassword(v.password, v.again, userName),
      };
      if (Object.keys(errors).length) return { errors };
      return {
        errors,
        send: () => api('auth:password', { current: v.current, password: v.password }),
      };
    },
    ({ ended: n }) => {
      update(EMPTY);
      setDone(`Password changed.${n ? ` ${n} other ${n === 1 ? 'session was' : 'sessions were'} signed out.` : ''}`);
      onChanged();
    },
  );

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Change password" noValidate>
      {/* For password managers: which account this password belongs to. */}
      <input type="text" name="username" autoComplete="username" value={userName} hidden readOnly />
      <TextField
        id="pw-current"
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={values.current}
        onChange={(e) => update({ current: e.target.value })}
        error={err('current')}
      />
      <NewPasswordFields id="pw-new" againId="pw-again" userName={userName} form={{ values, err, update }} />
      <div className="flex items-center gap-3 pt-1">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Changing…' : 'Change password'}
        </Button>
        <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400" data-testid="password-done">
          {done}
        </span>
        {failure && <FormAlert>{failure.message}</FormAlert>}
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">Your other sessions end; this one stays signed in.</p>
    </form>
  );
}
