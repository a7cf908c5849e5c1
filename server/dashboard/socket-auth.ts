// Socket.IO connections: the handshake must come from this dashboard's own origin and carry a live session cookie;
// then every request re-checks the session (it may have been revoked) and the event's role from lib/access.ts.
import type { IncomingMessage } from 'node:http';
import { CLIENT_EVENT_ROLES, editRole } from '../../lib/access';
import type { AckError, ClientEventArgs, ClientEvents } from '../../lib/events';
import { roleAtLeast, type Role } from '../../lib/roles';
import type { Hub } from '../hub/hub';
import { identify, originAllowed, reidentify, type RequestPolicy } from './http/session-cookie';
import type { DashboardServer, DashboardSocket } from './requests';

/** The role a request needs: the event's, raised for edits that need more (timeouts, sync daemons). */
export function requiredRole<E extends keyof ClientEvents>(event: E, args: ClientEventArgs<E>): Role {
  const base: Role = CLIENT_EVENT_ROLES[event];
  if (event === 'service:update') {
    const [req] = args as ClientEventArgs<'service:update'>;
    const need = editRole(req.request.edit);
    return roleAtLeast(need, base) ? need : base;
  }
  return base;
}

/** How often open connections are checked for sessions that expired (idle or absolute) while they were quiet. */
export const SESSION_SWEEP_MS = 30_000;

/** Checks sessions on connect and per event, and every SESSION_SWEEP_MS ends the connections of expired sessions;
 * returns the function that stops the sweep. */
export function installSocketAuth(io: DashboardServer, hub: Hub, policy: RequestPolicy): () => void {
  io.use((socket, next) => {
    const req = socket.request as IncomingMessage;
    if (!originAllowed(req, policy)) return next(new Error('forbidden: cross-site connection refused (Origin)'));
    const id = identify(hub, req.headers);
    if (!id) return next(new Error('unauthorized: sign in first'));
    const sessionId = id.session.id;
    socket.data.sessionId = sessionId;
    socket.data.user = id.user.name;
    socket.data.authorize = (event, args) => authorize(hub, socket as DashboardSocket, sessionId, event, args);
    void socket.join(`session:${sessionId}`);
    next();
  });
  const sweep = setInterval(() => endExpiredSessionSockets(io, hub), SESSION_SWEEP_MS);
  sweep.unref();
  return () => clearInterval(sweep);
}

/** Ends the connections whose session has expired: a quiet socket would otherwise keep receiving updates. One query
 * per distinct session. */
export function endExpiredSessionSockets(io: DashboardServer, hub: Hub): void {
  const ids = new Set<string>();
  for (const socket of io.of('/').sockets.values()) if (socket.data.sessionId) ids.add(socket.data.sessionId);
  const live = hub.sessions.live([...ids]);
  endSessionSockets(
    io,
    [...ids].filter((id) => !live.has(id)),
  );
}

function authorize<E extends keyof ClientEvents>(
  hub: Hub,
  socket: DashboardSocket,
  sessionId: string,
  event: E,
  args: ClientEventArgs<E>,
): AckError | undefined {
  const id = reidentify(hub, sessionId);
  if (!id) {
    socket.emit('session:ended');
    setTimeout(() => socket.disconnect(true), 0);
    return { code: 'unauthorized', message: 'your session has ended: sign in again' };
  }
  const need = requiredRole(event, args);
  if (!roleAtLeast(id.user.role, need))
    return { code: 'forbidden', message: `${event} needs the ${need} role (you are ${id.user.role})` };
  return undefined;
}

/** Ends the live connections of sessions that were revoked (logout, logout everywhere, password change). */
export function endSessionSockets(io: DashboardServer, ids: readonly string[]): void {
  for (const id of ids) {
    io.to(`session:${id}`).emit('session:ended');
    io.in(`session:${id}`).disconnectSockets(true);
  }
}
