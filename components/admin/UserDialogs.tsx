'use client';

import { NewPasswordFields, checkNewPassword } from '@/components/account/NewPasswordFields';
import { useForm } from '@/components/forms/use-form';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Dialog } from '@/components/ui/Dialog';
import { FormAlert } from '@/components/ui/Field';
import { changeUser, removeUser, type UserView } from './users';

const FIELDS = ['password', 'again'] as const;

export function SetPasswordDialog({
  user,
  onClose,
  onDone,
}: {
  user: UserView;
  onClose: () => void;
  onDone: () => void;
}) {
  const form = useForm({ password: '', again: '' }, FIELDS);
  const submit = form.submit(
    ({ password, again }) => {
      const errors = checkNewPassword(password, again, user.name);
      return { errors, send: Object.keys(errors).length ? undefined : () => changeUser(user.name, { password }) };
    },
    () => {
      onDone();
      onClose();
    },
  );

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Set the password of ${user.name}`}
      description="Every session of this account ends: they sign in again with the new password."
      testId="set-password-dialog"
    >
      <form onSubmit={submit} className="space-y-3" noValidate>
        <NewPasswordFields id="set-password" againId="set-password-again" userName={user.name} form={form} autoFocus />
        {form.failure && <FormAlert>{form.failure.message}</FormAlert>}
        <div className="flex justify-end gap-2 pt-1">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={form.pending}>
            {form.pending ? 'Setting…' : 'Set password'}
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
  return (
    <ConfirmDialog
      onClose={onClose}
      title={`Delete the account ${user.name}?`}
      testId="delete-user-dialog"
      confirmLabel="Delete account"
      pendingLabel="Deleting…"
      onConfirm={() => removeUser(user.name)}
      onDone={self ? () => window.location.assign('/login') : onDone}
    >
      <p className="text-zinc-700 dark:text-zinc-300">
        {user.name} ({user.role}) can no longer sign in, and every session of theirs ends now. The history keeps their
        name on the changes they made.
      </p>
      {self && (
        <p className="font-medium text-amber-800 dark:text-amber-300">
          This is your own account: you are signed out at once.
        </p>
      )}
    </ConfirmDialog>
  );
}
