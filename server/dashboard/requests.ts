// Browser requests over Socket.IO, one event per socket operation of the registry: parse the untrusted arguments
// with the operation's input schema, re-check the session and the role, run the operation's handler, and always
// answer the ack with a typed `Ack` (never a thrown error, never silence).
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import { ApiError, invalidArguments } from '../../lib/errors';
import { NoInput, checkRole, type Operation } from '../../lib/api/operation';
import { OPERATIONS, type OperationName } from '../../lib/api/operations';
import type { ClientEvents, DashboardServerEvents } from '../../lib/api/types';
import { fail, ok, type Ack } from '../../lib/events';
import type { Identity } from './http/session-cookie';
import { HANDLERS } from './operations';
import { JsonText, type SocketSide } from './operations/handler';
import type { Services } from './services';

/** Per connection: who it is (set by the connection middleware). */
export interface SocketData {
  sessionId: string;
  user: string;
  /** Re-checks the session for one request: the person behind it now, or an `unauthorized` ApiError. */
  actor: () => Identity;
}

export type DashboardServer = Server<ClientEvents, DashboardServerEvents, Record<string, never>, SocketData>;
export type DashboardSocket = Socket<ClientEvents, DashboardServerEvents, Record<string, never>, SocketData>;

const SOCKET_OPERATIONS = (Object.entries(OPERATIONS) as [OperationName, Operation][]).filter(([, op]) => op.socket);

/** The arguments before the ack, as a tuple: none for an operation without input, else its input. */
const argsOf = (op: Operation) => (op.input === NoInput ? z.tuple([]) : z.tuple([op.input]));

function toFailure(event: string, err: unknown): Ack<never> {
  if (err instanceof ApiError) return { ok: false, error: err.toAck() };
  console.error(`dashboard: request ${event} failed:`, err);
  return fail('internal', 'internal error; see the dashboard server log');
}

async function run(
  name: OperationName,
  op: Operation,
  socket: DashboardSocket,
  side: SocketSide,
  services: Services,
  raw: unknown[],
): Promise<unknown> {
  const parsed = argsOf(op).safeParse(raw);
  if (!parsed.success) throw invalidArguments(parsed.error, name);
  // Fail closed: a socket without the middleware's actor was never authenticated.
  if (!socket.data.actor) throw new ApiError('unauthorized', 'sign in first');
  const actor = socket.data.actor();
  const input: unknown = parsed.data[0] ?? {};
  checkRole(op, input, actor.user.role, name);
  const handler = HANDLERS[name] as (ctx: object, input: unknown) => unknown;
  const output = await handler({ services, actor, via: 'socket', socket: side }, input);
  return output instanceof JsonText ? (JSON.parse(output.text) as unknown) : output;
}

/** Answers every socket operation on this connection. */
export function bindOperations(socket: DashboardSocket, services: Services): void {
  const side: SocketSide = {
    join: async (director) => socket.join(`director:${director}`),
    leave: async (director) => socket.leave(`director:${director}`),
    watching: new Set(),
  };
  for (const [name, op] of SOCKET_OPERATIONS) {
    const listener = (...raw: unknown[]): void => {
      const ack = raw.at(-1);
      // Every client event is a request; one without a callback has nobody to answer and is dropped.
      if (typeof ack !== 'function') return;
      run(name, op, socket, side, services, raw.slice(0, -1)).then(
        (data) => void ack(ok(data)),
        (err: unknown) => void ack(toFailure(name, err)),
      );
    };
    // Socket.IO's listener type cannot be resolved for a generic event name; `listener` accepts any arguments.
    socket.on(name as keyof ClientEvents, listener as never);
  }
  socket.on('disconnect', () => {
    for (const d of side.watching) void services.directors.link(d)?.watchConnections(false);
    side.watching.clear();
  });
}
