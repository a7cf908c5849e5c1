'use client';

import { useCallback, useEffect, useState } from 'react';
import { api } from '@/components/auth/api';
import { getSocket } from '@/components/realtime/socket';
import type { PairView } from '@/lib/api/pairs';

const byName = (a: PairView, b: PairView) => a.name.localeCompare(b.name);

/** Every pair with its drift, live: read once (and again on reconnect), then kept current by the server's pushes. */
export function usePairs(): { pairs: PairView[] | null; reload: () => void } {
  const [pairs, setPairs] = useState<PairView[] | null>(null);
  const reload = useCallback(() => {
    void api('pairs:list', {}).then((r) => r.ok && setPairs(r.data.pairs));
  }, []);
  useEffect(() => {
    const socket = getSocket();
    const onDrift = ({ name, pair }: { name: string; pair: PairView | null }) =>
      setPairs((list) => {
        const others = (list ?? []).filter((p) => p.name !== name);
        return pair ? [...others, pair].sort(byName) : others;
      });
    reload();
    socket.on('pair:drift', onDrift);
    socket.on('connect', reload);
    return () => {
      socket.off('pair:drift', onDrift);
      socket.off('connect', reload);
    };
  }, [reload]);
  return { pairs, reload };
}
