'use client';

import { useSyncExternalStore } from 'react';
import { connectionState, getSocket, type ConnectionState } from './socket';

function subscribe(onChange: () => void): () => void {
  const socket = getSocket();
  socket.on('connect', onChange);
  socket.on('disconnect', onChange);
  return () => {
    socket.off('connect', onChange);
    socket.off('disconnect', onChange);
  };
}

/** The live state of the connection to the dashboard server; 'connecting' while rendering on the server. */
export function useConnection(): ConnectionState {
  return useSyncExternalStore(subscribe, connectionState, () => 'connecting');
}
