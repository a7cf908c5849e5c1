// The REST route type. Each route declares its method, path, required role, schemas and summary in one definition;
// the dispatcher enforces them and the OpenAPI document is generated from the same definitions.
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { AckError, ErrorCode } from '../../../lib/events';
import type { Role } from '../../../lib/roles';
import type { Hub } from '../../hub/hub';
import type { Identity, RequestPolicy } from './session-cookie';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type Access = Role | 'public';

export interface Reply {
  status?: number;
  json?: unknown;
  /** A text body (CSV, ipvsadm rules), with its content type. */
  text?: string;
  contentType?: string;
  /** Sent as an attachment with this file name. */
  download?: string;
  headers?: Record<string, string | string[]>;
}

export interface RouteContext<P, Q, B> {
  req: IncomingMessage;
  params: P;
  query: Q;
  body: B;
  /** Present on every route but the public ones. */
  identity: Identity | undefined;
  hub: Hub;
  policy: RequestPolicy;
  /** Socket.IO side effects of a route (closing a revoked session's sockets, broadcasting progress). */
  sockets: RouteSockets;
}

export interface RouteSockets {
  endSessions(ids: readonly string[]): void;
  applyProgress(
    director: string,
    user: string,
    p: { step: number; total: number; result: import('../../../lib/events').OpResult },
  ): void;
}

export interface Route<P = unknown, Q = unknown, B = unknown> {
  method: Method;
  /** OpenAPI-style path: /api/v1/directors/{director}/table */
  path: string;
  access: Access;
  summary: string;
  tag: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Largest body this route reads, in bytes (default BODY_LIMIT in api.ts; public routes are always capped at
   * PUBLIC_BODY_LIMIT). Only signed-in routes that need large bodies (imports) raise it. */
  maxBody?: number;
  /** Description of the success response (OpenAPI). */
  returns: string;
  handler(ctx: RouteContext<P, Q, B>): Reply | Promise<Reply>;
}

/** Keeps each route's own parameter types while collecting them in one list. */
export function route<P, Q, B>(r: Route<P, Q, B>): Route {
  return r as unknown as Route;
}

/** The HTTP status for each error code of lib/events (kernel: the request was fine, the kernel refused it). */
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

export class HttpError extends Error {
  /** The error of an Ack, as an HTTP error with the status for its code. */
  static of(e: AckError): HttpError {
    return new HttpError(HTTP_STATUS[e.code], e.code, e.message, e.field);
  }

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
