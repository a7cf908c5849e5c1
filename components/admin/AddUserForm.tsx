'use client';

import { useState, type FormEvent } from 'react';
import { strengthHint } from '@/components/account/PasswordForm';
import { fieldMessage } from '@/components/forms/edit';
import { Button } from '@/components/ui/Button';
import { Field, Select, TextInput } from '@/components/ui/Field';
import { passwordProblem } from '@/lib/password-strength';
import { ROLES, type Role } from '@/lib/roles';
import { addUser } from './users';

type Fields = 'name' | 'password' | 'role';

/** A new local account: name, first password, role. */
export function AddUserForm({ onAdded }: { onAdded: (name: string) => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [errors, setErrors] = useState<Partial<Record<Fields, string>>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setGeneral(null);
    const local: Partial<Record<Fields, string>> = {};
    if (!name.trim()) local.name = 'required';
    const weak = passwordProblem(password, name.trim());
    if (weak) local.password = weak;
    setErrors(local);
    if (Object.keys(local).length) return;
    setPending(true);
    const r = await addUser({ name: name.trim(), password, role });
    setPending(false);
    if (!r.ok) {
      const f = r.error.field;
      if (f === 'name' || f === 'password' || f === 'role') setErrors({ [f]: fieldMessage(r.error) });
      else setGeneral(r.error.message);
      return;
    }
    setName('');
    setPassword('');
    onAdded(r.data.user.name);
  }

  return (
    <form onSubmit={submit} aria-label="Add an account" className="space-y-3" noValidate>
      <Field id="new-name" label="Name" error={errors.name} hint="letters, digits, . _ -">
        <TextInput
          id="new-name"
          value={name}
          autoComplete="off"
          maxLength={32}
          onChange={(e) => {
            setName(e.target.value);
            setErrors((p) => ({ ...p, name: undefined }));
          }}
          error={errors.name}
        />
      </Field>
      <Field
        id="new-password"
        label="Password"
        error={errors.password}
        hint={password ? strengthHint(password, name.trim()) : 'Hard to guess; tell them to change it'}
      >
        <TextInput
          id="new-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setErrors((p) => ({ ...p, password: undefined }));
          }}
          error={errors.password}
        />
      </Field>
      <Field id="new-role" label="Role" error={errors.role}>
        <Select id="new-role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={errors.role}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </Select>
      </Field>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Adding…' : 'Add account'}
        </Button>
        {general && (
          <span role="alert" className="text-sm text-red-700 dark:text-red-400">
            {general}
          </span>
        )}
      </div>
    </form>
  );
}
