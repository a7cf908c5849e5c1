// The typed socket client of the operation registry: every socket operation is a request whose ack carries its typed
// answer. A request never waits in Socket.IO's offline buffer (an edit must not be applied minutes later, after a
// reconnect): when the socket is down it fails at once with 'unavailable', and when no answer comes in time it fails
// with 'timeout'.
import type { OutputOf, SocketArgs, SocketOperationName } from '@/lib/api/types';
import type { Ack } from '@/lib/events';
import { getSocket } from './socket';

export function request<N extends SocketOperationName>(
  name: N,
  args: SocketArgs<N>,
  timeoutMs = 15_000,
): Promise<Ack<OutputOf<N>>> {
  const socket = getSocket();
  if (!socket.connected) {
    return Promise.resolve({
      ok: false,
      error: { code: 'unavailable', message: 'not connected to the dashboard server' },
    });
  }
  return new Promise((resolve) => {
    const timed = socket.timeout(timeoutMs);
    // Socket.IO cannot resolve the listener type for a generic event name; the arguments are typed by SocketArgs.
    const emit = timed.emit.bind(timed) as unknown as (ev: string, ...a: unknown[]) => void;
    emit(name, ...(args as unknown[]), (err: Error | null, reply: Ack<OutputOf<N>>) => {
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
