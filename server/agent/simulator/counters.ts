// Per-real-server counters of the simulated director: what one connection adds, and rates smoothed over seconds
// like the kernel's estimator.
import type { Rate } from '../../../lib/ipvs';
import type { ConnProtocol } from './connections';

export const COUNTERS = ['conns', 'inPkts', 'outPkts', 'inBytes', 'outBytes'] as const;
export type Counters = Record<(typeof COUNTERS)[number], number>;
export const zero = (): Counters => ({ conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 });

/** Written out field by field: it runs for every real server on every read. */
export function addCounters(to: Counters, c: Counters): void {
  to.conns += c.conns;
  to.inPkts += c.inPkts;
  to.outPkts += c.outPkts;
  to.inBytes += c.inBytes;
  to.outBytes += c.outBytes;
}

/** Rates settle over about this long. */
const RATE_SMOOTHING_MS = 4000;

export interface Counted {
  forward: string;
  stats: Counters;
  rate: Counters;
  /** The counters at the last rate update. */
  last: Counters;
}

/** One connection's packets and bytes, counted when it opens: 1-4 requests, each answered. */
export function countConnection(d: Counted, protocol: ConnProtocol, random: () => number): void {
  const requests = 1 + Math.floor(random() * 4);
  const inPkts = protocol === 'udp' ? requests : 5 + requests * 2;
  d.stats.conns++;
  d.stats.inPkts += inPkts;
  d.stats.inBytes += inPkts * 60 + requests * 420;
  // Only NAT (and local) real servers answer through the director; DR and TUN replies bypass it.
  if (d.forward === 'masq' || d.forward === 'local') {
    const outPkts = protocol === 'udp' ? requests : 4 + requests * 6;
    d.stats.outPkts += outPkts;
    d.stats.outBytes += outPkts * 60 + requests * 8200;
  }
}

/** Move each rate towards what the counters did over the last `dt` ms (field by field: 100,000 real servers a tick). */
export function updateRates(dests: Iterable<Counted>, dt: number): void {
  if (dt <= 0) return;
  const k = 1 - Math.exp(-dt / RATE_SMOOTHING_MS);
  const move = (rate: number, now: number, last: number) => rate + (((now - last) * 1000) / dt - rate) * k;
  for (const { stats, rate, last } of dests) {
    rate.conns = move(rate.conns, stats.conns, last.conns);
    rate.inPkts = move(rate.inPkts, stats.inPkts, last.inPkts);
    rate.outPkts = move(rate.outPkts, stats.outPkts, last.outPkts);
    rate.inBytes = move(rate.inBytes, stats.inBytes, last.inBytes);
    rate.outBytes = move(rate.outBytes, stats.outBytes, last.outBytes);
    Object.assign(last, stats);
  }
}

/** Rates as the model's Rate (whole numbers per second). */
export function asRate(r: Counters): Rate {
  return {
    cps: Math.round(r.conns),
    inPps: Math.round(r.inPkts),
    outPps: Math.round(r.outPkts),
    inBps: Math.round(r.inBytes),
    outBps: Math.round(r.outBytes),
  };
}
