// Browser requests over Socket.IO: parse the untrusted arguments with the event's zod schema, run the handler, and
// always answer the ack with a typed `Ack` (never a thrown error, never silence).
import type { Server, Socket } from 'socket.io';
import {
  clientEventArgs,
  fail,
  ok,
  type Ack,
  type AckError,
  type ClientEventArgs,
  type ClientEventReply,
  type ClientEvents,
  type ErrorCode,
  type ServerEvents,
} from '../../lib/events';

/** Per connection: who it is and how each request is checked (set by the connection middleware). */
export interface SocketData {
  sessionId: string;
  user: string;
  /** Re-checks the session and the role for one parsed request; returns the refusal, or undefined to go on. */
  authorize: <E extends keyof ClientEvents>(event: E, args: ClientEventArgs<E>) => AckError | undefined;
}

export type DashboardServer = Server<ClientEvents, ServerEvents, Record<string, never>, SocketData>;
export type DashboardSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, SocketData>;

/** Thrown by a request handler to answer with this error code instead of `internal`. */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** The current table and what ran, for errors that carry them (conflict, kernel). */
    readonly extra?: Pick<AckError, 'state' | 'result'>,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

type Handler<E extends keyof ClientEvents> = (
  ...args: ClientEventArgs<E>
) => ClientEventReply<E> | Promise<ClientEventReply<E>>;

export function onRequest<E extends keyof ClientEvents>(socket: DashboardSocket, event: E, handler: Handler<E>): void {
  const listener = (...raw: unknown[]): void => {
    const ack = raw.at(-1);
    // Every client event is a request; one without a callback has nobody to answer and is dropped.
    if (typeof ack !== 'function') return;
    const reply = (r: Ack<ClientEventReply<E>>): void => void ack(r);
    const parsed = clientEventArgs[event].safeParse(raw.slice(0, -1));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      if (!issue || issue.path.length === 0) {
        reply(fail('invalid', `wrong number of arguments for ${event}`));
        return;
      }
      // path[0] is the argument index; the rest is the field inside that argument.
      reply(fail('invalid', issue.message, issue.path.slice(1).join('.') || undefined));
      return;
    }
    const args = parsed.data as ClientEventArgs<E>;
    // Fail closed: a socket without an authorizer was never authenticated.
    const refused = socket.data.authorize
      ? socket.data.authorize(event, args)
      : { code: 'unauthorized' as const, message: 'sign in first' };
    if (refused) {
      reply({ ok: false, error: refused });
      return;
    }
    Promise.resolve()
      .then(() => handler(...args))
      .then(
        (data) => reply(ok(data)),
        (err: unknown) => reply(toFailure(event, err)),
      );
  };
  // Socket.IO's listener type cannot be resolved for a generic event name; `listener` accepts any arguments.
  socket.on(event, listener as never);
}

function toFailure(event: string, err: unknown): Ack<never> {
  if (err instanceof RequestError) {
    const f = fail(err.code, err.message, err.field);
    return err.extra && !f.ok ? { ok: false, error: { ...f.error, ...err.extra } } : f;
  }
  console.error(`dashboard: request ${event} failed:`, err);
  return fail('internal', 'internal error; see the dashboard server log');
}
