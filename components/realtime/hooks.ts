'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import type { DirectorStatus, DirectorSummary } from '@/lib/events';
import { STALE_AFTER_MS } from '@/lib/staleness';
import { getStore, type DirectorEntry } from './store';
import { useConnection } from './useConnection';

/** The director list, starting from what the server rendered the page with. */
export function useDirectors(initial: DirectorSummary[] | null = null): DirectorSummary[] | null {
  const store = getStore();
  store.seedDirectors(initial);
  useEffect(() => store.attach(), [store]);
  return useSyncExternalStore(
    store.subscribeStore,
    () => store.directors(),
    () => initial,
  );
}

/** One director's table and history, subscribing to it while the component is mounted. */
export function useDirector(id: string): DirectorEntry | undefined {
  const store = getStore();
  useEffect(() => store.acquire(id), [store, id]);
  return useSyncExternalStore(
    store.subscribeStore,
    () => store.get(id),
    () => undefined,
  );
}

/** Keep the rate history of a service's real servers while the component is mounted (and LINGER_MS after). */
export function useServiceHistory(director: string, sid: string): void {
  const store = getStore();
  useEffect(() => store.watchService(director, sid), [store, director, sid]);
}

// One shared clock for every "N s ago" and countdown on the page, so they all move together.
let clockNow = Date.now();
const clockListeners = new Set<() => void>();
let clockTimer: ReturnType<typeof setInterval> | undefined;
function subscribeClock(fn: () => void): () => void {
  clockListeners.add(fn);
  if (!clockTimer) {
    clockTimer = setInterval(() => {
      clockNow = Date.now();
      for (const l of clockListeners) l();
    }, 1000);
  }
  return () => {
    clockListeners.delete(fn);
    if (clockListeners.size === 0) {
      clearInterval(clockTimer);
      clockTimer = undefined;
    }
  };
}

/** Date.now(), moving once a second; null while rendering on the server (ages are not rendered there). */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribeClock,
    () => clockNow,
    () => null,
  );
}

export type Health = (
  | { status: 'loading'; lastData: null; reason: string }
  | { status: DirectorStatus; lastData: number | null; reason: string }
) & { /** A simulated director: no kernel behind it. */ simulated?: true };

/**
 * A flip back from stale to live is shown only once updates have kept coming this long: one tick after a pause does
 * not bring the controls back for a moment. A flip from live to stale is shown at once: the server's verdict already
 * waited 2.5 s from the last update (server/hub/agent-link.ts staleAfterMs), which is what keeps one late tick from
 * greying the page; holding it again here counted from the verdict, not from the last update, and put the banner
 * 4 s after the last update instead of 2.5. Unreachable and loading are shown at once.
 */
export const LIVE_AGAIN_HOLD_MS = 1500;

/** `raw`, except that a stale -> live flip waits LIVE_AGAIN_HOLD_MS before it shows. */
function useSteadyHealth(raw: Health): Health {
  const [shown, setShown] = useState<Health['status']>(raw.status);
  useEffect(() => {
    if (raw.status === shown) return;
    if (!(shown === 'stale' && raw.status === 'live')) return setShown(raw.status);
    const t = setTimeout(() => setShown(raw.status), LIVE_AGAIN_HOLD_MS);
    return () => clearTimeout(t);
  }, [raw.status, shown]);
  if (shown === 'stale' && raw.status === 'live')
    return {
      status: 'stale',
      lastData: raw.lastData,
      reason: 'updates are arriving again; live once they keep coming',
    };
  return raw;
}

/**
 * Whether what the page shows for a director is live. Combines the server's verdict (the 'directors' event), the
 * browser's own link to the server, and a local watchdog: numbers that stopped moving are stale even if nobody said so.
 * A return to live is held until updates keep coming (LIVE_AGAIN_HOLD_MS).
 */
export function useDirectorHealth(
  id: string,
  entry: DirectorEntry | undefined,
  summary: DirectorSummary | undefined,
): Health {
  const health = useSteadyHealth(useRawHealth(id, entry, summary));
  return summary?.simulated || entry?.state?.simulated ? { ...health, simulated: true } : health;
}

function useRawHealth(id: string, entry: DirectorEntry | undefined, summary: DirectorSummary | undefined): Health {
  const connection = useConnection();
  const now = useNow();
  const lastData = entry?.receivedAt ?? summary?.lastUpdate ?? null;
  if (connection !== 'connected' && connection !== 'connecting') {
    return { status: 'stale', lastData, reason: 'this browser lost its connection to the dashboard server' };
  }
  if (!summary) {
    if (connection === 'connecting')
      return { status: 'loading', lastData: null, reason: 'connecting to the dashboard server' };
    return { status: 'unreachable', lastData, reason: `the dashboard server knows no director named ${id}` };
  }
  // the hub's reason when it knows one (refused, DNS, TLS, wrong token, ...)
  const why = summary.problem?.message;
  if (summary.status === 'unreachable')
    return {
      status: 'unreachable',
      lastData,
      reason: why ?? "the dashboard server cannot reach this director's agent",
    };
  if (summary.status === 'stale')
    return { status: 'stale', lastData, reason: why ?? 'the agent answers, but its updates are late' };
  if (!entry?.state) return { status: 'loading', lastData: null, reason: 'waiting for the first table' };
  if (now !== null && entry.receivedAt !== null && now - entry.receivedAt > STALE_AFTER_MS) {
    return { status: 'stale', lastData, reason: `no update for ${Math.round((now - entry.receivedAt) / 1000)} s` };
  }
  return { status: 'live', lastData, reason: 'live' };
}
