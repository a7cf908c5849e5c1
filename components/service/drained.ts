'use client';
// The weight each drained real server had before its drain, and the drains its director's agent keeps (since when,
// remove when empty), so that "Restore (w N)" survives a reload, an agent restart and is the same in every browser.
import { useEffect, useState } from 'react';
import { api } from '@/components/auth/api';
import { destinationId, type KeptDrain, type Service } from '@/lib/ipvs';

export interface DrainedView {
  /** Real server id -> weight before it was taken out of rotation. */
  weights: ReadonlyMap<string, number>;
  /** Real server id -> the drain its agent keeps. */
  drains: ReadonlyMap<string, KeptDrain>;
}

const NONE: DrainedView = { weights: new Map(), drains: new Map() };

/** For the service's real servers at weight 0; read again whenever the table's version moves. */
export function useWeightsBeforeDrain(director: string, sid: string, service: Service, version: number): DrainedView {
  const [view, setView] = useState<DrainedView>(NONE);
  const drained = service.destinations
    .filter((d) => d.weight === 0)
    .map(destinationId)
    .join(' ');
  useEffect(() => {
    if (!drained) return;
    let cancelled = false;
    void api('director:drained', { director, service: sid }).then((r) => {
      if (!cancelled && r.ok)
        setView({ weights: new Map(Object.entries(r.data.weights)), drains: new Map(Object.entries(r.data.drains)) });
    });
    return () => {
      cancelled = true;
    };
  }, [director, sid, drained, version]);
  return view;
}
