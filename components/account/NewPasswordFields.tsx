import { TextField } from '@/components/ui/Field';
import { passwordProblem } from '@/lib/password-strength';
import { MIN_PASSWORD_LENGTH } from '@/lib/roles';

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

type Pair = { password: string; again: string };

/** A new password and its repetition, with the strength hint under the first; `form` is the useForm they belong to. */
export function NewPasswordFields({
  id,
  againId,
  userName,
  autoFocus,
  form,
}: {
  id: string;
  againId: string;
  userName: string;
  autoFocus?: boolean;
  form: { values: Pair; err: (f: keyof Pair) => string | null; update: (patch: Partial<Pair>) => void };
}) {
  return (
    <>
      <TextField
        id={id}
        label="New password"
        hint={strengthHint(form.values.password, userName)}
        type="password"
        autoComplete="new-password"
        value={form.values.password}
        onChange={(e) => form.update({ password: e.target.value })}
        error={form.err('password')}
        autoFocus={autoFocus}
      />
      <TextField
        id={againId}
        label="New password again"
        type="password"
        autoComplete="new-password"
        value={form.values.again}
        onChange={(e) => form.update({ again: e.target.value })}
        error={form.err('again')}
      />
    </>
  );
}
