// The one error of the request path, from the ipvs model to the agent, the hub, REST and Socket.IO: a code (its HTTP
// status follows from it), a message for people, and the field it is about. Code throws it where it finds the
// problem; each transport turns it into its own answer. This module imports nothing of ours, so every part may use
// it without an import circle.
import type { z } from 'zod';

export const ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'invalid',
  'conflict',
  'not_found',
  'kernel',
  'timeout',
  'unavailable',
  /** Too many requests of this kind from this user or connection: retry after the time the message names. */
  'rate_limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status for each error code (kernel: the request was fine, the kernel refused it). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  invalid: 400,
  conflict: 409,
  not_found: 404,
  kernel: 422,
  timeout: 504,
  unavailable: 503,
  rate_limited: 429,
  internal: 500,
};

/** What an error may carry for the browser besides its message. Empty here: lib/events, which owns their types, adds
 * `state` (the director's current table, with errors that mean "what you saw is out of date") and `result` (what ran
 * and what the kernel said) by declaration merging, so that this module needs none of our imports. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging (lib/events)
export interface ErrorPayload {}

/** An error as the browser receives it: REST `{ error }` and Socket.IO acks carry the same shape. */
export interface AckError extends Partial<ErrorPayload> {
  code: ErrorCode;
  message: string;
  /** Dotted path of the offending field, when the error is about one input field. */
  field?: string;
}

export interface ApiErrorDetail extends Partial<ErrorPayload> {
  /** Dotted path of the offending input field. */
  field?: string;
  /** An HTTP status other than the code's (413 and 415 are `invalid` too). */
  status?: number;
  /** Extra HTTP headers (retry-after, allow, connection). */
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  /** An Ack's error (from the hub or an agent) as an ApiError, keeping what it carries. */
  static of(e: AckError): ApiError {
    const { code, message, ...detail } = e;
    return new ApiError(code, message, detail);
  }

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail: ApiErrorDetail = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get field(): string | undefined {
    return this.detail.field;
  }

  /** The message without the `field: ` it starts with (see invalidField): what is wrong, to put under another name. */
  get reason(): string {
    const prefix = this.field === undefined ? undefined : `${this.field}: `;
    return prefix && this.message.startsWith(prefix) ? this.message.slice(prefix.length) : this.message;
  }

  get status(): number {
    return this.detail.status ?? HTTP_STATUS[this.code];
  }

  toAck(): AckError {
    const { field, state, result } = this.detail;
    return {
      code: this.code,
      message: this.message,
      ...(field !== undefined ? { field } : {}),
      ...(state ? { state } : {}),
      ...(result ? { result } : {}),
    };
  }
}

/** An `invalid` error about one field, its message naming the field first: `destination.port: must be 80 ...`. */
export function invalidField(field: string, reason: string): ApiError {
  return new ApiError('invalid', `${field}: ${reason}`, { field });
}

/** An `invalid` error about a field, put under the name of what holds it (`port` -> `services[2].port`); any other
 * error as it is. */
export function underField(e: unknown, rename: (field: string) => string): unknown {
  return e instanceof ApiError && e.code === 'invalid' && e.field !== undefined
    ? invalidField(rename(e.field), e.reason)
    : e;
}

/** zod's first issue as an `invalid` ApiError naming the field by its dotted path. `drop` leading path parts are not
 * shown (a socket argument's index, the input field a REST body is put under); `where` names an issue about the
 * whole input; `prefix` puts the field before the message, as REST answers and the ipvs model's checks do. */
export function invalidInput(
  error: z.ZodError,
  opts: { drop?: number; where?: string; prefix?: boolean } = {},
): ApiError {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).slice(opts.drop ?? 0).map(String);
  const field = path.length ? path.join('.') : opts.where;
  const message = issue?.message ?? 'invalid';
  return new ApiError('invalid', opts.prefix && field ? `${field}: ${message}` : message, field ? { field } : {});
}

/** A Socket.IO request's arguments (a tuple before the ack) that its schema refused: the first issue names the field
 * inside the argument, or the event when the number of arguments is wrong. */
export function invalidArguments(error: z.ZodError, event: string): ApiError {
  const issue = error.issues[0];
  if (!issue || issue.path.length === 0) return new ApiError('invalid', `wrong number of arguments for ${event}`);
  // path[0] is the argument index; the rest is the field inside that argument.
  return invalidInput(error, { drop: 1 });
}
