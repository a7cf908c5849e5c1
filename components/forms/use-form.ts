'use client';

import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { Ack } from '@/lib/events';
import type { AckError } from '@/lib/errors';
import { fieldMessage, fieldOf, type Errors } from './edit';

/** What a form's check found: each field's problem, or (none found) the request that sends the form. */
export interface Checked<F extends string, R> {
  errors: Errors<F>;
  send?: () => Promise<Ack<R>>;
}

/**
 * The one form machinery of the dashboard: the draft, each field's error, an error that belongs to no field, and the
 * request in flight. `submit(check, done)` is a form's onSubmit: it checks the draft (with the zod schemas the server
 * uses), sends it, and puts an error the server names one of `fields` in under that field.
 * `clears(name)` says which errors an edit of `name` makes out of date (by default that field's own).
 */
export function useForm<V extends object, F extends string>(
  initial: V | (() => V),
  fields: readonly F[],
  clears: (changed: keyof V) => readonly F[] = (changed) => [changed as unknown as F],
) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<Errors<F>>({});
  const [failure, setFailure] = useState<AckError | null>(null);
  const [pending, setPending] = useState(false);

  function update(patch: Partial<V>) {
    setValues((prev) => ({ ...prev, ...patch }));
    setErrors((prev) => {
      const next = { ...prev };
      for (const k of Object.keys(patch) as (keyof V)[]) for (const f of clears(k)) delete next[f];
      return next;
    });
  }

  function submit<R>(check: (values: V) => Checked<F, R>, done: (data: R) => void) {
    return async (e: FormEvent) => {
      e.preventDefault();
      setFailure(null);
      const { errors: found, send } = check(values);
      setErrors(found);
      if (!send) return;
      setPending(true);
      const reply = await send();
      setPending(false);
      if (reply.ok) return done(reply.data);
      const field = fieldOf(reply.error.field, fields);
      if (field) setErrors({ [field]: fieldMessage(reply.error) } as Errors<F>);
      else setFailure(reply.error);
    };
  }

  /** A text box's or select's value, change and error, for a draft value held as text (`field`: whose error). */
  function bind(name: keyof V & string, field: F = name as unknown as F) {
    return {
      value: String(values[name]),
      error: errors[field] ?? null,
      onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
        update({ [name]: e.target.value } as Partial<V>),
    };
  }

  return { values, update, bind, errors, err: (f: F) => errors[f] ?? null, failure, pending, submit };
}
