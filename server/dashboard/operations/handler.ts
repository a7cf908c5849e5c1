// The type of the server's side of an operation: a handler `(ctx, input) => output` for each name in the registry.
// What a handler gets besides the services depends on how the operation is reached: REST-only operations see the
// HTTP request's address and cookie, socket-only ones their connection, operations on both only what both have.
import type { OperationName, Operations } from '../../../lib/api/operations';
import type { OutputOf, ParsedInputOf } from '../../../lib/api/types';
import type { Identity } from '../http/session-cookie';
import type { Services } from '../services';

export interface HttpSide {
  /** The client's address (X-Forwarded-For only from a trusted proxy). */
  address: string;
  userAgent: string;
  /** Sets the session cookie. */
  startSession(token: string): void;
  /** Clears the session cookie. */
  endSession(): void;
}

export interface SocketSide {
  /** Joins (or leaves) the director's room: its deltas and edits reach this connection. */
  join(director: string): Promise<void>;
  leave(director: string): Promise<void>;
  /** Directors whose connection table this connection reads (stopped when it closes). */
  watching: Set<string>;
}

/** A handler's answer already serialised (an import preview, written as JSON by the worker): sent as it is. */
export class JsonText {
  constructor(readonly text: string) {}
}

type Op<N extends OperationName> = Operations[N];
type Sides<N extends OperationName> =
  Op<N> extends { rest: object }
    ? Op<N> extends { socket: true }
      ? object
      : { http: HttpSide }
    : { socket: SocketSide };

export type Context<N extends OperationName> = {
  services: Services;
  /** Who asked; absent only on public operations called without a session. */
  actor: Op<N>['access'] extends 'public' ? Identity | undefined : Identity;
  /** The transport, for the audit (edits from the UI's socket and from the API are told apart). */
  via: 'rest' | 'socket';
} & Sides<N>;

type Answer<N extends OperationName> = OutputOf<N> | JsonText;
export type Handler<N extends OperationName> = (
  ctx: Context<N>,
  input: ParsedInputOf<N>,
) => Answer<N> | Promise<Answer<N>>;

export type Handlers<K extends OperationName = OperationName> = { [N in K]: Handler<N> };
