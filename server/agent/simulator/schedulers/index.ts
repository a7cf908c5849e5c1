// The kernel's scheduler modules by name. `twos` (newer kernels) is not simulated: the simulator refuses it as a
// kernel without the module does.
import { DestinationHash, MaglevHash, SourceHash } from './hashing';
import { Failover, LeastConn, NeverQueue, Overflow, shortestExpectedDelay, weightedLeastConn } from './least-conn';
import { LocalityLeastConn, LocalityLeastConnReplicated } from './locality';
import { RoundRobin, WeightedRoundRobin } from './round-robin';
import type { SchedDest, Scheduler } from './types';

export type { Packet, SchedDest, Scheduler } from './types';

const FACTORIES: Record<string, (dests: readonly SchedDest[], flags: readonly string[]) => Scheduler> = {
  rr: () => new RoundRobin(),
  wrr: (d) => new WeightedRoundRobin(d),
  lc: () => new LeastConn(),
  wlc: weightedLeastConn,
  sed: shortestExpectedDelay,
  nq: () => new NeverQueue(),
  fo: () => new Failover(),
  ovf: () => new Overflow(),
  sh: (d, f) => new SourceHash(d, f),
  dh: (d) => new DestinationHash(d),
  mh: (d, f) => new MaglevHash(d, f),
  lblc: () => new LocalityLeastConn(),
  lblcr: () => new LocalityLeastConnReplicated(),
};

export const SIMULATED_SCHEDULERS = Object.keys(FACTORIES);

/** A fresh scheduler for a service, or undefined for one the simulated kernel has no module for. */
export function createScheduler(
  name: string,
  dests: readonly SchedDest[],
  flags: readonly string[],
): Scheduler | undefined {
  return FACTORIES[name]?.(dests, flags);
}
