// Request/reply over the shared socket: every client event carries an ack, answered with a typed Ack. A request never
// waits in Socket.IO's offline buffer (an edit must not be applied minutes later, after a reconnect): when the socket is
// down it fails at once with 'unavailable', and when no answer comes in time it fails with 'timeout'.
import type { Ack, AckCallback, ClientEventReply, ClientEvents } from '@/lib/events';
import { getSocket } from './socket';

export type RequestArgs<E extends keyof ClientEvents> =
  Parameters<ClientEvents[E]> extends [...infer A, AckCallback<never>] ? A : never;

export function request<E extends keyof ClientEvents>(
  event: E,
  args: RequestArgs<E>,
  timeoutMs = 15_000,
): Promise<Ack<ClientEventReply<E>>> {
  const socket = getSocket();
  if (!socket.connected) {
    return Promise.resolve({
      ok: false,
      error: { code: 'unavailable', message: 'not connected to the dashboard server' },
    });
  }
  return new Promise((resolve) => {
    const timed = socket.timeout(timeoutMs);
    // Socket.IO cannot resolve the listener type for a generic event name; the arguments are typed by RequestArgs.
    const emit = timed.emit.bind(timed) as unknown as (ev: string, ...a: unknown[]) => void;
    emit(event, ...(args as unknown[]), (err: Error | null, reply: Ack<ClientEventReply<E>>) => {
      if (err)
        resolve({
          ok: false,
          error: {
            code: 'timeout',
            message: `no answer from the dashboard server within ${Math.round(timeoutMs / 1000)} s`,
          },
        });
      else resolve(reply);
    });
  });
}
