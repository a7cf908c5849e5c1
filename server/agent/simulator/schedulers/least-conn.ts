// Schedulers that look only at the real servers' current connections and weights: lc, wlc, sed, nq, fo, ovf. They
// keep no state between picks; ties go to the real server listed first (the newest).
import { available, connOverhead, type SchedDest, type Scheduler } from './types';

abstract class Stateless implements Scheduler {
  abstract pick(dests: readonly SchedDest[]): SchedDest | undefined;
  changed(): void {}
}

/** Least connections: the smallest overhead, weights only as on/off. */
export class LeastConn extends Stateless {
  pick(dests: readonly SchedDest[]): SchedDest | undefined {
    let least: SchedDest | undefined;
    let loh = 0;
    for (const d of dests) {
      if (!available(d)) continue;
      const doh = connOverhead(d);
      if (!least || doh < loh) [least, loh] = [d, doh];
    }
    return least;
  }
}

/** Weighted: the smallest overhead/weight, compared as loh * w(d) > doh * w(least) to stay in integers. */
class WeightedLeast extends Stateless {
  constructor(private readonly overhead: (d: SchedDest) => number) {
    super();
  }
  pick(dests: readonly SchedDest[]): SchedDest | undefined {
    const first = dests.findIndex(available);
    if (first < 0) return undefined;
    let least = dests[first] as SchedDest;
    let loh = this.overhead(least);
    for (const d of dests.slice(first + 1)) {
      if (d.overloaded) continue;
      const doh = this.overhead(d);
      if (loh * d.weight > doh * least.weight) [least, loh] = [d, doh];
    }
    return least;
  }
}

/** Weighted least connections (active x 256 + inactive, per weight). */
export const weightedLeastConn = () => new WeightedLeast(connOverhead);
/** Shortest expected delay: (active + 1) per weight; inactive connections do not count. */
export const shortestExpectedDelay = () => new WeightedLeast((d) => d.activeConns + 1);

/** Never queue: an idle real server at once, else as sed. */
export class NeverQueue extends Stateless {
  pick(dests: readonly SchedDest[]): SchedDest | undefined {
    let least: SchedDest | undefined;
    let loh = 0;
    for (const d of dests) {
      if (!available(d)) continue;
      const doh = d.activeConns + 1;
      if (d.activeConns === 0) return d;
      if (!least || loh * d.weight > doh * least.weight) [least, loh] = [d, doh];
    }
    return least;
  }
}

/** Weighted failover: the available real server of the highest weight (the first listed of equals). */
export class Failover extends Stateless {
  pick(dests: readonly SchedDest[]): SchedDest | undefined {
    let best: SchedDest | undefined;
    for (const d of dests) if (available(d) && (!best || d.weight > best.weight)) best = d;
    return best;
  }
}

/** Weighted overflow: the highest weight whose active connections have not exceeded its weight. */
export class Overflow extends Stateless {
  pick(dests: readonly SchedDest[]): SchedDest | undefined {
    let best: SchedDest | undefined;
    for (const d of dests) {
      if (!available(d) || d.activeConns > d.weight) continue;
      if (!best || d.weight > best.weight) best = d;
    }
    return best;
  }
}
