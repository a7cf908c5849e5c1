// Requests from the hub over Socket.IO: parse the arguments with the event's zod schema, take the ack explicitly (the
// last argument, a function), run the handler, and answer every failure, a handler that throws included, with a typed
// error. Nothing a client sends may end the agent process.
import { invalidArguments } from '../../lib/errors';
import type { Socket } from 'socket.io';
import {
  agentEventArgs,
  type AgentAck,
  type AgentClientEvents,
  type AgentEventArgs,
  type AgentEventReply,
  type AgentServerEvents,
} from '../../lib/events';

export type AgentSocket = Socket<AgentClientEvents, AgentServerEvents>;
export type Reply<T> = (r: AgentAck<T>) => void;

/** A request handler: answers through `reply` (now or later, e.g. when the first table read lands). */
export type AgentHandler<E extends keyof AgentClientEvents> = (
  args: AgentEventArgs<E>,
  reply: Reply<AgentEventReply<E>>,
) => void | Promise<void>;

export function onAgentRequest<E extends keyof AgentClientEvents>(
  socket: AgentSocket,
  event: E,
  handler: AgentHandler<E>,
): void {
  const listener = (...raw: unknown[]): void => {
    const ack = raw.at(-1);
    // Every agent event is a request; one without a callback has nobody to answer and is dropped.
    if (typeof ack !== 'function') return;
    let answered = false;
    const reply: Reply<AgentEventReply<E>> = (r) => {
      if (answered) return;
      answered = true;
      (ack as Reply<AgentEventReply<E>>)(r);
    };
    const parsed = agentEventArgs[event].safeParse(raw.slice(0, -1));
    if (!parsed.success) {
      reply({ ok: false, error: invalidArguments(parsed.error, event).toAck() });
      return;
    }
    const failed = (e: unknown): void => {
      console.error(`lvs-agent: request ${event} failed:`, e);
      reply({
        ok: false,
        error: { code: 'internal', message: `${event} failed: ${(e as Error)?.message ?? String(e)}` },
      });
    };
    try {
      void Promise.resolve(handler(parsed.data as AgentEventArgs<E>, reply)).catch(failed);
    } catch (e) {
      failed(e);
    }
  };
  // Socket.IO's listener type cannot be resolved for a generic event name; `listener` accepts any arguments.
  socket.on(event, listener as never);
}
