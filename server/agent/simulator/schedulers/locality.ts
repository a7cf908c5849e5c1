// Locality-based schedulers (lblc, lblcr): a table from the packet's destination address (a cache's origin server
// in the LVS guides) to the real server(s) that served it; a new real server is chosen, weighted-least-connection,
// only when the remembered one is gone, weightless or overloaded. The kernel ages entries out after minutes idle;
// the simulator keeps them while the real server exists.
import { available, connOverhead, type Packet, type SchedDest, type Scheduler } from './types';

/** Weighted least connection over all real servers, as both schedulers fall back to. */
function leastLoaded(dests: readonly SchedDest[]): SchedDest | undefined {
  let least: SchedDest | undefined;
  for (const d of dests) {
    if (!available(d)) continue;
    if (!least || connOverhead(least) * d.weight > connOverhead(d) * least.weight) least = d;
  }
  return least;
}

/** Overloaded in the locality sense: more active connections than its weight while another is under half of its own. */
function busy(d: SchedDest, dests: readonly SchedDest[]): boolean {
  return d.activeConns > d.weight && dests.some((x) => x.activeConns * 2 < x.weight);
}

export class LocalityLeastConn implements Scheduler {
  private readonly table = new Map<number, string>();
  pick(dests: readonly SchedDest[], packet: Packet): SchedDest | undefined {
    const known = dests.find((d) => d.id === this.table.get(packet.virtual));
    if (known && available(known) && !busy(known, dests)) return known;
    const d = leastLoaded(dests);
    if (d) this.table.set(packet.virtual, d.id);
    return d;
  }
  changed(dests: readonly SchedDest[]): void {
    const ids = new Set(dests.map((d) => d.id));
    for (const [k, id] of this.table) if (!ids.has(id)) this.table.delete(k);
  }
}

/** With replication: each address keeps a set of real servers and grows it when its least-loaded member is busy. */
export class LocalityLeastConnReplicated implements Scheduler {
  private readonly table = new Map<number, Set<string>>();
  pick(dests: readonly SchedDest[], packet: Packet): SchedDest | undefined {
    const set = this.table.get(packet.virtual) ?? new Set<string>();
    const member = leastLoaded(dests.filter((d) => set.has(d.id)));
    if (member && !busy(member, dests)) return member;
    const d = leastLoaded(dests);
    if (d) this.table.set(packet.virtual, set.add(d.id));
    return d;
  }
  changed(dests: readonly SchedDest[]): void {
    const ids = new Set(dests.map((d) => d.id));
    for (const set of this.table.values()) for (const id of set) if (!ids.has(id)) set.delete(id);
  }
}
