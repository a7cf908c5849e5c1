'use client';
// The weight each drained real server had before its drain, kept by the dashboard server (its audit history), so that
// "Restore (w N)" survives a reload and is the same in every browser.
import { useEffect, useState } from 'react';
import { api } from '@/components/auth/api';
import { destinationId, type Service } from '@/lib/ipvs';

/** Real server id -> weight before it was taken out of rotation, for the service's real servers at weight 0. */
export function useWeightsBeforeDrain(director: string, sid: string, service: Service, version: number) {
  const [weights, setWeights] = useState<ReadonlyMap<string, number>>(new Map());
  const drained = service.destinations
    .filter((d) => d.weight === 0)
    .map(destinationId)
    .join(' ');
  useEffect(() => {
    if (!drained) return;
    let cancelled = false;
    void api('director:drained', { director, service: sid }).then((r) => {
      if (!cancelled && r.ok) setWeights(new Map(Object.entries(r.data.weights)));
    });
    return () => {
      cancelled = true;
    };
  }, [director, sid, drained, version]);
  return weights;
}
