'use client';

import { useEffect, useState } from 'react';
import { timeZoneLabel } from './format';

/** The browser's time zone as people read it ("UTC", "CET"), known only in the browser: null while rendering on the
 * server and in the first render after it, so both agree. */
export function useTimeZone(): string | null {
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => setZone(timeZoneLabel(Date.now())), []);
  return zone;
}

/** A time column's heading with the zone its times are in: "Created (CET)". */
export const zoned = (label: string, zone: string | null) => (zone ? `${label} (${zone})` : label);
