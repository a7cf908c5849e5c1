'use client';

import { strengthHint } from '@/components/account/NewPasswordFields';
import { useForm } from '@/components/forms/use-form';
import { Button } from '@/components/ui/Button';
import { FormAlert, SelectField, TextField } from '@/components/ui/Field';
import { passwordProblem } from '@/lib/password-strength';
import { ROLES, UserName, type Role } from '@/lib/roles';
import { addUser } from './users';

const FIELDS = ['name', 'password', 'role'] as const;

/** A new local account: name, first password, role. */
export function AddUserForm({ onAdded }: { onAdded: (name: string) => void }) {
  const { values, update, bind, failure, pending, submit } = useForm(
    { name: '', password: '', role: 'viewer' as Role },
    FIELDS,
  );
  const name = values.name.trim();
  const onSubmit = submit(
    ({ password, role }) => {
      const errors: Partial<Record<(typeof FIELDS)[number], string>> = {};
      // The server's own rule for names: the same schema, its first problem.
      const named = UserName.safeParse(name);
      if (!named.success) errors.name = named.error.issues[0]?.message;
      const weak = passwordProblem(password, name);
      if (weak) errors.password = weak;
      return { errors, send: Object.keys(errors).length ? undefined : () => addUser({ name, password, role }) };
    },
    ({ user }) => {
      update({ name: '', password: '' });
      onAdded(user.name);
    },
  );

  return (
    <form onSubmit={onSubmit} aria-label="Add an account" className="space-y-3" noValidate>
      <TextField
        id="new-name"
        label="Name"
        hint="letters, digits, . _ -"
        autoComplete="off"
        maxLength={32}
        {...bind('name')}
      />
      <TextField
        id="new-password"
        label="Password"
        hint={values.password ? strengthHint(values.password, name) : 'Hard to guess; tell them to change it'}
        type="password"
        autoComplete="new-password"
        {...bind('password')}
      />
      <SelectField id="new-role" label="Role" {...bind('role')}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </SelectField>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Adding…' : 'Add account'}
        </Button>
        {failure && <FormAlert>{failure.message}</FormAlert>}
      </div>
    </form>
  );
}
