'use client';

import { useEffect, useRef } from 'react';
import { getSocket } from '@/components/realtime/socket';

/** How often the history refreshes when nothing announces a change. */
export const REFRESH_MS = 10_000;
/** Changes come in bursts (an import is many operations): one refresh per burst. */
const SETTLE_MS = 400;

/**
 * Calls `refresh` every REFRESH_MS and soon after the server announces a new or completed audit row (any director,
 * any source, external changes and failures included).
 */
export function useLiveRefresh(refresh: () => void): void {
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  });

  useEffect(() => {
    const socket = getSocket();
    let settle: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(settle);
      settle = setTimeout(() => latest.current(), SETTLE_MS);
    };
    const every = setInterval(() => latest.current(), REFRESH_MS);
    socket.on('audit:changed', soon);
    return () => {
      clearInterval(every);
      clearTimeout(settle);
      socket.off('audit:changed', soon);
    };
  }, []);
}
