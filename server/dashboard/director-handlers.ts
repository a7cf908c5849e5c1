// Browser requests about one director: subscribe to its table, change it, watch and query its connections.
import type { Ack } from '../../lib/events';
import type { Hub } from '../hub/hub';
import { QUERIES_PER_WINDOW, QUERY_WINDOW_S } from '../hub/query-limiter';
import { RequestError, onRequest, type DashboardServer, type DashboardSocket } from './requests';

/** The agent's (or the hub's) answer as the handler's result, or its error (with the table and what ran) as the
 * reply. */
function unwrap<T>(r: Ack<T>): T {
  if (r.ok) return r.data;
  const { code, message, field, state, result } = r.error;
  throw new RequestError(code, message, field, { state, result });
}

export function registerDirectorHandlers(io: DashboardServer, socket: DashboardSocket, hub: Hub): void {
  const watching = new Set<string>();

  onRequest(socket, 'director:subscribe', async ({ director }) => {
    unwrap(hub.find(director));
    await socket.join(`director:${director}`);
    return unwrap(hub.live(director)).state;
  });

  onRequest(socket, 'director:unsubscribe', async ({ director }) => {
    await socket.leave(`director:${director}`);
    return null;
  });

  onRequest(socket, 'service:update', async ({ director, request }) => {
    unwrap(hub.find(director));
    const user = socket.data.user;
    const o = unwrap(await hub.changes.edit({ user, source: 'ui' }, director, request));
    io.to(`director:${director}`).emit('service:updated', {
      director,
      user,
      edit: o.edit,
      result: o.result,
      version: o.version,
    });
    return o;
  });

  onRequest(socket, 'conns:watch', async ({ director, on }) => {
    const link = unwrap(hub.find(director));
    if (on === watching.has(director)) return null;
    if (on) watching.add(director);
    else watching.delete(director);
    return unwrap(await link.watchConnections(on));
  });

  onRequest(socket, 'conns:query', async ({ director, query }) => {
    const wait = await hub.connQueries.take(socket.data.user);
    if (wait > 0) {
      throw new RequestError(
        'rate_limited',
        `too many connection queries (at most ${QUERIES_PER_WINDOW} every ${QUERY_WINDOW_S} s per user): retry in ${Math.ceil(wait / 1000)} s`,
      );
    }
    return unwrap(await unwrap(hub.find(director)).queryConnections(query));
  });

  socket.on('disconnect', () => {
    for (const d of watching) void hub.link(d)?.watchConnections(false);
    watching.clear();
  });
}
