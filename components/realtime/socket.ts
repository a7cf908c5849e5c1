// The browser's one Socket.IO connection to the dashboard server (same origin), shared by every component.
import { io, type Socket } from 'socket.io-client';
import type { ClientEvents, DashboardServerEvents } from '@/lib/api/types';

export type DashboardClientSocket = Socket<DashboardServerEvents, ClientEvents>;

/** connecting: not connected yet; connected; lost: was connected, Socket.IO is retrying. */
export type ConnectionState = 'connecting' | 'connected' | 'lost';

let socket: DashboardClientSocket | undefined;
let everConnected = false;
let leaving = false;

/** The session is over (signed out here or elsewhere, expired, password changed): sign in again, then come back. */
function toLogin(): void {
  if (leaving || window.location.pathname.startsWith('/login')) return;
  leaving = true;
  socket?.disconnect();
  const here = window.location.pathname + window.location.search;
  window.location.assign(`/login?next=${encodeURIComponent(here)}`);
}

/** Browser only: connects on first use; Socket.IO reconnects on its own after a drop. */
export function getSocket(): DashboardClientSocket {
  if (!socket) {
    socket = io();
    socket.on('connect', () => {
      everConnected = true;
    });
    socket.on('session:ended', toLogin);
    // The server refuses the handshake without a live session ('unauthorized: sign in first').
    socket.on('connect_error', (e) => {
      if (e.message.startsWith('unauthorized')) toLogin();
    });
  }
  return socket;
}

export function connectionState(): ConnectionState {
  if (getSocket().connected) return 'connected';
  return everConnected ? 'lost' : 'connecting';
}
