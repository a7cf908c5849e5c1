// The browser's one Socket.IO connection to the dashboard server (same origin), shared by every component.
import { io, type Socket } from 'socket.io-client';
import type { ClientEvents, ServerEvents } from '@/lib/events';

export type DashboardClientSocket = Socket<ServerEvents, ClientEvents>;

/** connecting: not connected yet; connected; lost: was connected, Socket.IO is retrying. */
export type ConnectionState = 'connecting' | 'connected' | 'lost';

let socket: DashboardClientSocket | undefined;
let everConnected = false;

/** Browser only: connects on first use; Socket.IO reconnects on its own after a drop. */
export function getSocket(): DashboardClientSocket {
  if (!socket) {
    socket = io();
    socket.on('connect', () => {
      everConnected = true;
    });
  }
  return socket;
}

export function connectionState(): ConnectionState {
  if (getSocket().connected) return 'connected';
  return everConnected ? 'lost' : 'connecting';
}
