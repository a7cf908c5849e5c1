'use client';

import { useState, type FormEvent } from 'react';
import { api } from '@/components/auth/api';
import { fieldMessage } from '@/components/forms/edit';
import { Button } from '@/components/ui/Button';
import { Field, TextInput } from '@/components/ui/Field';
import { passwordProblem } from '@/lib/password-strength';
import { MIN_PASSWORD_LENGTH } from '@/lib/roles';

type Fields = 'current' | 'password' | 'again';

/** New password of the account `userName` and its repetition, checked with the server's rule before it is asked. */
export function checkNewPassword(
  password: string,
  again: string,
  userName: string,
): Partial<Record<'password' | 'again', string>> {
  const errors: Partial<Record<'password' | 'again', string>> = {};
  const problem = passwordProblem(password, userName);
  if (problem) errors.password = problem;
  if (again !== password) errors.again = 'does not match the new password';
  return errors;
}

/** The hint under a new-password box, updated as the person types. */
export function strengthHint(password: string, userName: string): string {
  if (!password) return `At least ${MIN_PASSWORD_LENGTH} characters, hard to guess: a few uncommon words work well`;
  return passwordProblem(password, userName) ?? 'Hard enough to guess';
}

/** Change your own password: the current one, the new one twice. Your other sessions end. */
export function PasswordForm({ userName, onChanged }: { userName: string; onChanged: () => void }) {
  const [values, setValues] = useState<Record<Fields, string>>({ current: '', password: '', again: '' });
  const [errors, setErrors] = useState<Partial<Record<Fields, string>>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const set = (k: Fields, v: string) => {
    setValues((p) => ({ ...p, [k]: v }));
    setErrors((p) => ({ ...p, [k]: undefined }));
    setDone(null);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setGeneral(null);
    const local = {
      ...(values.current ? {} : { current: 'required' }),
      ...checkNewPassword(values.password, values.again, userName),
    };
    setErrors(local);
    if (Object.keys(local).length) return;
    setPending(true);
    const r = await api('auth:password', { current: values.current, password: values.password });
    setPending(false);
    if (!r.ok) {
      const field = r.error.field === 'current' || r.error.field === 'password' ? r.error.field : null;
      if (field) setErrors({ [field]: fieldMessage(r.error) });
      else setGeneral(r.error.message);
      return;
    }
    setValues({ current: '', password: '', again: '' });
    const n = r.data.ended;
    setDone(`Password changed.${n ? ` ${n} other ${n === 1 ? 'session was' : 'sessions were'} signed out.` : ''}`);
    onChanged();
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Change password" noValidate>
      {/* For password managers: which account this password belongs to. */}
      <input type="text" name="username" autoComplete="username" value={userName} hidden readOnly />
      <Field id="pw-current" label="Current password" error={errors.current}>
        <TextInput
          id="pw-current"
          type="password"
          autoComplete="current-password"
          value={values.current}
          onChange={(e) => set('current', e.target.value)}
          error={errors.current}
        />
      </Field>
      <Field id="pw-new" label="New password" error={errors.password} hint={strengthHint(values.password, userName)}>
        <TextInput
          id="pw-new"
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={(e) => set('password', e.target.value)}
          error={errors.password}
        />
      </Field>
      <Field id="pw-again" label="New password again" error={errors.again}>
        <TextInput
          id="pw-again"
          type="password"
          autoComplete="new-password"
          value={values.again}
          onChange={(e) => set('again', e.target.value)}
          error={errors.again}
        />
      </Field>
      <div className="flex items-center gap-3 pt-1">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Changing…' : 'Change password'}
        </Button>
        <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400" data-testid="password-done">
          {done}
        </span>
        {general && (
          <span role="alert" className="text-sm text-red-700 dark:text-red-400">
            {general}
          </span>
        )}
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">Your other sessions end; this one stays signed in.</p>
    </form>
  );
}
