'use client';

import { useState, type FormEvent } from 'react';
import { checkNewPassword, strengthHint } from '@/components/account/PasswordForm';
import { fieldMessage } from '@/components/forms/edit';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { Field, TextInput } from '@/components/ui/Field';
import { changeUser, removeUser, type UserView } from './users';

export function SetPasswordDialog({
  user,
  onClose,
  onDone,
}: {
  user: UserView;
  onClose: () => void;
  onDone: () => void;
}) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<{ password?: string; again?: string }>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local = checkNewPassword(password, again, user.name);
    setErrors(local);
    setGeneral(null);
    if (Object.keys(local).length) return;
    setPending(true);
    const r = await changeUser(user.name, { password });
    setPending(false);
    if (!r.ok) {
      if (r.error.field === 'password') setErrors({ password: fieldMessage(r.error) });
      else setGeneral(r.error.message);
      return;
    }
    onDone();
    onClose();
  }

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Set the password of ${user.name}`}
      description="Every session of this account ends: they sign in again with the new password."
      testId="set-password-dialog"
    >
      <form onSubmit={submit} className="space-y-3" noValidate>
        <Field id="set-password" label="New password" error={errors.password} hint={strengthHint(password, user.name)}>
          <TextInput
            id="set-password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
            autoFocus
          />
        </Field>
        <Field id="set-password-again" label="New password again" error={errors.again}>
          <TextInput
            id="set-password-again"
            type="password"
            autoComplete="new-password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
            error={errors.again}
          />
        </Field>
        {general && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {general}
          </p>
        )}
        <div className="flex justify-end gap-2 pt-1">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? 'Setting…' : 'Set password'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export function DeleteUserDialog({
  user,
  self,
  onClose,
  onDone,
}: {
  user: UserView;
  self: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function confirm() {
    setPending(true);
    const r = await removeUser(user.name);
    setPending(false);
    if (!r.ok) return setError(r.error.message);
    if (self) return window.location.assign('/login');
    onDone();
    onClose();
  }
  return (
    <Dialog open onClose={onClose} title={`Delete the account ${user.name}?`} testId="delete-user-dialog">
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        {user.name} ({user.role}) can no longer sign in, and every session of theirs ends now. The history keeps their
        name on the changes they made.
      </p>
      {self && (
        <p className="mt-2 text-sm font-medium text-amber-800 dark:text-amber-300">
          This is your own account: you are signed out at once.
        </p>
      )}
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400" data-testid="delete-user-error">
          {error}
        </p>
      )}
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" onClick={confirm} disabled={pending}>
          {pending ? 'Deleting…' : 'Delete account'}
        </Button>
      </div>
    </Dialog>
  );
}
