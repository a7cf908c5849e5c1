// Socket.IO connections: the handshake must come from this dashboard's own origin and carry a live session cookie;
// then every request re-checks the session (it may have been revoked); the role is checked with the operation's
// (server/dashboard/requests.ts).
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../lib/errors';
import { identify, originAllowed, reidentify, type Accounts, type RequestPolicy } from './http/session-cookie';
import type { DashboardServer, DashboardSocket } from './requests';

/** How often open connections are checked for sessions that expired (idle or absolute) while they were quiet. */
export const SESSION_SWEEP_MS = 30_000;

/** Checks sessions on connect and per event, and every SESSION_SWEEP_MS ends the connections of expired sessions;
 * returns the function that stops the sweep. */
export function installSocketAuth(io: DashboardServer, accounts: Accounts, policy: RequestPolicy): () => void {
  io.use((socket, next) => {
    const req = socket.request as IncomingMessage;
    if (!originAllowed(req, policy)) return next(new Error('forbidden: cross-site connection refused (Origin)'));
    const id = identify(accounts, req.headers);
    if (!id) return next(new Error('unauthorized: sign in first'));
    const sessionId = id.session.id;
    socket.data.sessionId = sessionId;
    socket.data.user = id.user.name;
    socket.data.actor = () => actorOf(accounts, socket as DashboardSocket, sessionId);
    void socket.join(`session:${sessionId}`);
    next();
  });
  const sweep = setInterval(() => endExpiredSessionSockets(io, accounts), SESSION_SWEEP_MS);
  sweep.unref();
  return () => clearInterval(sweep);
}

/** Ends the connections whose session has expired: a quiet socket would otherwise keep receiving updates. One query
 * per distinct session. */
export function endExpiredSessionSockets(io: DashboardServer, accounts: Pick<Accounts, 'sessions'>): void {
  const ids = new Set<string>();
  for (const socket of io.of('/').sockets.values()) if (socket.data.sessionId) ids.add(socket.data.sessionId);
  const live = accounts.sessions.live([...ids]);
  endSessionSockets(
    io,
    [...ids].filter((id) => !live.has(id)),
  );
}

/** The person behind the connection's session now; a revoked or expired session ends the connection. */
function actorOf(accounts: Accounts, socket: DashboardSocket, sessionId: string) {
  const id = reidentify(accounts, sessionId);
  if (id) return id;
  socket.emit('session:ended');
  setTimeout(() => socket.disconnect(true), 0);
  throw new ApiError('unauthorized', 'your session has ended: sign in again');
}

/** Ends the live connections of sessions that were revoked (logout, logout everywhere, password change). */
export function endSessionSockets(io: DashboardServer, ids: readonly string[]): void {
  for (const id of ids) {
    io.to(`session:${id}`).emit('session:ended');
    io.in(`session:${id}`).disconnectSockets(true);
  }
}
