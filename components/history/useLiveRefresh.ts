'use client';

import { useEffect, useRef } from 'react';
import { getSocket } from '@/components/realtime/socket';
import { getStore } from '@/components/realtime/store';

/** How often the history refreshes when nothing announces a change. */
export const REFRESH_MS = 10_000;
/** Changes come in bursts (an import is many operations): one refresh per burst. */
const SETTLE_MS = 400;

/**
 * Calls `refresh` every REFRESH_MS and soon after a change is announced on the socket (an edit made through the
 * dashboard, or a step of an import or restore). Those events go to the directors' rooms, so this joins every
 * director in `directors` while mounted.
 */
export function useLiveRefresh(directors: readonly string[], refresh: () => void): void {
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  });

  const key = directors.join('\u0000');
  useEffect(() => {
    if (!key) return;
    const store = getStore();
    const releases = key.split('\u0000').map((id) => store.acquire(id));
    return () => releases.forEach((release) => release());
  }, [key]);

  useEffect(() => {
    const socket = getSocket();
    let settle: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(settle);
      settle = setTimeout(() => latest.current(), SETTLE_MS);
    };
    const every = setInterval(() => latest.current(), REFRESH_MS);
    socket.on('service:updated', soon);
    socket.on('apply:progress', soon);
    return () => {
      clearInterval(every);
      clearTimeout(settle);
      socket.off('service:updated', soon);
      socket.off('apply:progress', soon);
    };
  }, []);
}
