// The one error of the request path, REST and Socket.IO alike: a code (its HTTP status follows from it), a message
// for people, and the field it is about. Handlers throw it; each transport turns it into its own answer.
import type { z } from 'zod';
import type { AckError, ErrorCode, OpResult } from '../events';
import type { TableState } from '../ipvs';

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

export interface ApiErrorDetail {
  /** Dotted path of the offending input field. */
  field?: string;
  /** An HTTP status other than the code's (413 and 415 are `invalid` too). */
  status?: number;
  /** Extra HTTP headers (retry-after, allow, connection). */
  headers?: Record<string, string>;
  /** The director's current table, with errors that mean "what you saw is out of date". */
  state?: TableState;
  /** What ran and what the kernel said, with kernel and timeout errors. */
  result?: OpResult;
}

export class ApiError extends Error {
  /** An Ack's error (from the hub or an agent) as an ApiError, keeping its table and result. */
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

  get status(): number {
    return this.detail.status ?? HTTP_STATUS[this.code];
  }

  /** The error as the browser receives it (REST `{ error }` and Socket.IO acks carry the same shape). */
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

/** zod's first issue as an `invalid` ApiError naming the field by its dotted path. `drop` leading path parts are not
 * shown (a socket argument's index, the input field a REST body is put under); `where` names an issue about the
 * whole input; `prefix` puts the field before the message, as REST answers do. */
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
