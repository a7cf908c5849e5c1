// Sending an edit to a director ('service:update'), and reading the errors that come back.
import { request } from '@/components/realtime/request';
import type { Ack, EditOutcome } from '@/lib/events';
import { useRef } from 'react';
import type { z } from 'zod';
import { ApiError, type AckError } from '@/lib/errors';
import { validateEdit, type AgentEdit, type TableId } from '@/lib/ipvs';

/** Edits wait for the kernel behind the agent's queue: allow longer than a plain request. */
export const EDIT_TIMEOUT_MS = 30_000;

/** Sends one edit made against `table` (the agent run and version the person saw). */
export function sendEdit(director: string, edit: AgentEdit, table: TableId): Promise<Ack<EditOutcome>> {
  const { epoch, version } = table;
  return request('service:update', [{ director, request: { edit, epoch, version } }], EDIT_TIMEOUT_MS);
}

/**
 * Sends a form's or dialog's edits against the table it was opened on; after a conflict, the next try is against
 * the table the error reported (the person has seen the error and checked).
 */
export function useEditSender(director: string, table: TableId) {
  const base = useRef<TableId>(table);
  return async (edit: AgentEdit) => {
    const reply = await sendEdit(director, edit, base.current);
    const state = !reply.ok && reply.error.code === 'conflict' ? reply.error.state : undefined;
    if (state) base.current = { epoch: state.epoch, version: state.version };
    return reply;
  };
}

export type Errors<F extends string> = Partial<Record<F, string>>;

/** A whole number from an input, or an error message; '' means "not given". */
export function intField(text: string, what: string): number | undefined | { error: string } {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/^\d+$/.test(t)) return { error: `${what}: a whole number` };
  return Number(t);
}

/**
 * Reads a form's number boxes into `out`. A box that is not a whole number gets its error in `errors`, and a
 * stand-in value so the schema's cross-field checks still run and report the other fields' problems in the same round.
 */
export function numberReader<F extends string>(
  errors: Errors<F>,
  out: Record<string, unknown>,
  standIn: (field: F) => number = () => 1,
) {
  return (field: F, text: string, what: string) => {
    const v = intField(text, what);
    if (typeof v === 'object') {
      errors[field] = v.error;
      out[field] = standIn(field);
    } else if (v !== undefined) out[field] = v;
  };
}

/**
 * Which of a form's fields an error is about: the last segment of its dotted path that is one of the fields
 * ('request.edit.service.address' and 'destination.address' both mean the form's 'address').
 */
export function fieldOf<F extends string>(path: string | undefined, fields: readonly F[]): F | null {
  if (!path) return null;
  const parts = path.split('.');
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i] as F;
    if (fields.includes(p)) return p;
  }
  return null;
}

/** The message a person needs from an error: the kernel's own words first when it has them. */
export function errorText(e: AckError): string {
  const stderr = e.result?.stderr?.trim();
  if (stderr && stderr !== e.message.trim()) return `${e.message} — ipvsadm: ${stderr}`;
  return e.message;
}

/** An error's message without the "field: " prefix that validation errors carry (the field is shown by position). */
export function fieldMessage(e: AckError): string {
  const prefix = e.field ? `${e.field}: ` : '';
  return prefix && e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
}

/** zod's range messages in the words of the form: "at most 65535" rather than "Too big: expected number to be <=65535". */
export function plainMessage(m: string): string {
  return m
    .replace(/^Too big: expected number to be <=(\d+)$/, 'at most $1')
    .replace(/^Too small: expected number to be >=(\d+)$/, 'at least $1')
    .replace(/^Invalid input: expected (\w+), received undefined$/, 'required');
}

/** The tooltip on every change control a viewer sees disabled (the server refuses their edits anyway). */
export const VIEWER_REASON = 'viewers cannot change services or real servers (needs the operator role)';

/**
 * The end of a form check: parse the form's values with the schema the server uses (each field's first problem, in
 * the form's words), then check the whole edit as the agent will. `errors` holds what the form found itself; a
 * problem with no field of its own goes to `fallback`.
 */
export function finishCheck<F extends string, T>(
  schema: z.ZodType<T>,
  values: unknown,
  errors: Errors<F>,
  fields: readonly F[],
  fallback: F,
  editOf: (config: T) => unknown,
): { config?: T; errors: Errors<F> } {
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const f = fieldOf(issue.path.map(String).join('.'), fields) ?? fallback;
      errors[f] ??= plainMessage(issue.message);
    }
  }
  if (Object.keys(errors).length || !parsed.success) return { errors };
  try {
    validateEdit(editOf(parsed.data));
  } catch (e) {
    if (e instanceof ApiError && e.code === 'invalid') {
      errors[fieldOf(e.field, fields) ?? fallback] = e.reason;
      return { errors };
    }
    throw e;
  }
  return { config: parsed.data, errors };
}
