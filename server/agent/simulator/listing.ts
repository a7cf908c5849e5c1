// The simulated director's listing: what a read returns for each service. A real server or service whose counts did
// not move since the last read is listed as the same object as then (never changed afterwards, by anyone: tables are
// immutable), so the agent's signature and delta skip it by identity, as they do for its own confirmations; what
// moved is listed as a fresh object. At 100,000 real servers and a few hundred connections a second, most of them.
import type { Destination, Rate, Service } from '../../../lib/ipvs';
import { sameServiceCounters } from '../../../lib/ipvs/counter-columns';
import { addCounters, asRate, zero, type Counters } from './counters';

/** A real server's live counts, as the simulation keeps them. */
export interface LiveCounts {
  activeConns: number;
  inactiveConns: number;
  persistConns: number;
  stats: Counters;
  rate: Counters;
}

const sameRate = (r: Rate | undefined, c: Counters) =>
  r !== undefined &&
  r.cps === Math.round(c.conns) &&
  r.inPps === Math.round(c.inPkts) &&
  r.outPps === Math.round(c.outPkts) &&
  r.inBps === Math.round(c.inBytes) &&
  r.outBps === Math.round(c.outBytes);

const sameStats = (s: Destination['stats'], c: Counters) =>
  s !== undefined &&
  s.conns === c.conns &&
  s.inPkts === c.inPkts &&
  s.outPkts === c.outPkts &&
  s.inBytes === c.inBytes &&
  s.outBytes === c.outBytes;

const unmoved = (o: Destination, st: LiveCounts) =>
  o.activeConns === st.activeConns &&
  o.inactiveConns === st.inactiveConns &&
  o.persistConns === st.persistConns &&
  sameStats(o.stats, st.stats) &&
  sameRate(o.rate, st.rate);

export class ListedTable {
  /** The table's own objects (replaced on every change of the table, when the listing starts over) -> last listed. */
  private listed = new WeakMap<object, Service | Destination>();

  /** The table changed (an edit, a reset): list everything afresh. */
  clear(): void {
    this.listed = new WeakMap();
  }

  /** `svc` with its live counts. The table's own objects get the counts too (the control surface shows them). */
  list(svc: Service, live: (d: Destination) => LiveCounts | undefined): Service {
    const [total, rate] = [zero(), zero()];
    let moved = false;
    const destinations = svc.destinations.map((d) => {
      const st = live(d);
      const last = this.listed.get(d) as Destination | undefined;
      if (st) {
        addCounters(total, st.stats);
        addCounters(rate, st.rate);
      }
      if (last && (!st || unmoved(last, st))) return last;
      moved = true;
      if (st) {
        [d.activeConns, d.inactiveConns, d.persistConns] = [st.activeConns, st.inactiveConns, st.persistConns];
        [d.stats, d.rate] = [{ ...st.stats }, asRate(st.rate)];
      }
      const out = { ...d };
      this.listed.set(d, out);
      return out;
    });
    const last = this.listed.get(svc) as Service | undefined;
    const counts = { stats: total, rate: asRate(rate) };
    if (last && !moved && sameServiceCounters(last, counts)) return last;
    [svc.stats, svc.rate] = [counts.stats, counts.rate];
    const out = { ...svc, flags: [...svc.flags], destinations };
    this.listed.set(svc, out);
    return out;
  }
}
