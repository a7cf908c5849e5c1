'use client';

import { api } from '@/components/auth/api';
import { useForm } from '@/components/forms/use-form';
import { Button } from '@/components/ui/Button';
import { FormAlert, SelectField, TextField } from '@/components/ui/Field';
import { PAIR_MODES, type PairMode } from '@/lib/drift';
import { PairInput } from '@/lib/api/pairs';

const FIELDS = ['name', 'first', 'second', 'mode'] as const;
type FieldName = (typeof FIELDS)[number];

/** Make two directors a pair: the second follows the first (master/backup), or both carry traffic (active/active). */
export function PairForm({ directors, onSaved }: { directors: readonly string[]; onSaved: (name: string) => void }) {
  const { bind, failure, pending, submit } = useForm(
    { name: '', first: directors[0] ?? '', second: directors[1] ?? '', mode: 'master-backup' as PairMode },
    FIELDS,
  );
  const onSubmit = submit(
    (v) => {
      const parsed = PairInput.safeParse({ ...v, name: v.name.trim() });
      if (!parsed.success) {
        const errors: Partial<Record<FieldName, string>> = {};
        for (const issue of parsed.error.issues) errors[issue.path[0] as FieldName] ??= issue.message;
        return { errors };
      }
      return { errors: {}, send: () => api('pairs:set', parsed.data) };
    },
    ({ pair }) => onSaved(pair.name),
  );
  const options = directors.map((d) => (
    <option key={d} value={d}>
      {d}
    </option>
  ));
  return (
    <form onSubmit={onSubmit} aria-label="Pair two directors" className="space-y-3" noValidate>
      <TextField id="pair-name" label="Pair name" autoComplete="off" maxLength={32} {...bind('name')} />
      <SelectField id="pair-first" label="First (master)" {...bind('first')}>
        {options}
      </SelectField>
      <SelectField id="pair-second" label="Second (backup)" {...bind('second')}>
        {options}
      </SelectField>
      <SelectField id="pair-mode" label="Mode" {...bind('mode')}>
        {PAIR_MODES.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </SelectField>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Saving…' : 'Pair'}
        </Button>
        {failure && <FormAlert>{failure.message}</FormAlert>}
      </div>
    </form>
  );
}
