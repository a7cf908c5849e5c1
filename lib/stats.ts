// The stats history's contract between the dashboard server (which stores it) and the charts (which read it).
import { z } from 'zod';

export const StatsRange = z.enum(['5m', '1h', '24h', '7d', '30d']);
export type StatsRange = z.infer<typeof StatsRange>;

/** Series one stats request may ask for: a page whose table has more asks for none rather than a part. */
export const STATS_MAX_SERIES = 500;

/** One point of a service's or real server's history: rates per second and connection counts (averages for rollups). */
export interface StatsPoint {
  t: number;
  cps: number;
  inPps: number;
  outPps: number;
  inBps: number;
  outBps: number;
  activeConns: number;
  inactiveConns: number;
}
