'use client';
// A director's live health (what its agent's checks report), from health:state and then the director:health events
// of the director's room (the page that shows it has joined the room through useDirector).
import { useEffect, useState } from 'react';
import { request } from '@/components/realtime/request';
import { getSocket } from '@/components/realtime/socket';
import { rowKey, type HealthRow, type HealthUpdate, type QuorumState } from '@/lib/health';

export interface HealthState {
  /** false: the agent runs no health checks. */
  available: boolean;
  rows: ReadonlyMap<string, HealthRow>;
  configError: string | null;
  /** Each service's quorum, by serviceId. */
  quorum: Readonly<Record<string, QuorumState>>;
}

export function applyHealthUpdate(prev: HealthState, u: HealthUpdate): HealthState {
  const rows = new Map(prev.rows);
  for (const k of u.removed) rows.delete(k);
  for (const r of u.rows) rows.set(rowKey(r), r);
  return { ...prev, rows, ...(u.quorum ? { quorum: u.quorum } : {}) };
}

export function useHealthState(director: string): HealthState | null {
  const [state, setState] = useState<HealthState | null>(null);
  useEffect(() => {
    const socket = getSocket();
    let cancelled = false;
    let available = false;
    const load = () =>
      void request('health:state', [{ director }]).then((r) => {
        if (cancelled || !r.ok) return;
        available = r.data.available;
        const rows = new Map(r.data.rows.map((row) => [rowKey(row), row]));
        setState({ available, rows, configError: r.data.configError, quorum: r.data.quorum });
      });
    const onUpdate = (e: { director: string; update: HealthUpdate }) => {
      if (e.director !== director) return;
      // before the agent answered (or while it ran no checks) the whole state is read again
      if (available) setState((prev) => prev && applyHealthUpdate(prev, e.update));
      else load();
    };
    socket.on('director:health', onUpdate);
    socket.on('connect', load);
    load();
    return () => {
      cancelled = true;
      socket.off('director:health', onUpdate);
      socket.off('connect', load);
    };
  }, [director]);
  return state;
}
