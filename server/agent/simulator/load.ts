// The synthetic client load that drives the simulated director: how many new connections a second, how they are
// spread over the services, how long they stay open and how many distinct clients make them. Changeable at run time.
import { z } from 'zod';

export const LoadSettings = z
  .object({
    /** New connections per second over the whole director. */
    rate: z.number().min(0, 'rate: connections per second, 0 or more').max(100_000, 'rate: at most 100000 a second'),
    /** Relative share per service id (`tcp/10.1.0.10:80`); a service not named gets 1. */
    mix: z.record(z.string(), z.number().min(0, 'mix: shares are 0 or more')),
    /** Share of connections that stay open for minutes rather than seconds (0..1). */
    longLived: z.number().min(0, 'longLived: between 0 and 1').max(1, 'longLived: between 0 and 1'),
    /** Distinct client addresses the load comes from. */
    clients: z.number().int().min(1, 'clients: at least 1').max(1_000_000, 'clients: at most 1000000'),
  })
  .strict();
export type LoadSettings = z.infer<typeof LoadSettings>;

export const DEFAULT_LOAD: LoadSettings = { rate: 40, mix: {}, longLived: 0.1, clients: 400 };

/** A small seeded generator (mulberry32): the same seed gives the same load, so a run can be repeated. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The n-th simulated client address: IPv4 clients in 10.100.0.0/14, IPv6 ones in 2001:db8:100::/64. */
export function clientAddress(n: number, v6: boolean): string {
  return v6 ? `2001:db8:100::${(n + 1).toString(16)}` : `10.${100 + ((n >> 16) & 3)}.${(n >> 8) & 255}.${n & 255}`;
}
