// A tick's table read runs alongside changes (queue.ts), so it may have seen a service before or after an edit that
// the edit's confirmation has already published. What it must not do is publish that service again from its own
// older view (the weight flickering back, a version that undoes the confirmed one). Each read in flight watches which
// changes ran while it did, the one already running when it started included: a change of one service makes the read
// take that service from the current (confirmed) table; a change of the whole table (apply, settings, counters,
// a new service) makes the read's result unusable.
import { serviceId, serviceKey, type Service } from '../../lib/ipvs';

/** The changes one read overlapped: the services they changed (ids), or the whole table. */
export interface ReadWatch {
  readonly touched: Set<string>;
  whole: boolean;
}

/** What a change touches: one service's id, or null for the whole table. */
export type Touch = string | null;

export class ReadOverlaps {
  private readonly reads = new Set<ReadWatch>();
  /** The change running now (changes run one at a time), undefined when none. */
  private active: { touch: Touch } | undefined;

  readStarted(): ReadWatch {
    const watch: ReadWatch = { touched: new Set(), whole: false };
    if (this.active) mark(watch, this.active.touch);
    this.reads.add(watch);
    return watch;
  }

  readEnded(watch: ReadWatch): void {
    this.reads.delete(watch);
  }

  changeStarted(touch: Touch): void {
    this.active = { touch };
    for (const watch of this.reads) mark(watch, touch);
  }

  changeEnded(): void {
    this.active = undefined;
  }
}

function mark(watch: ReadWatch, touch: Touch): void {
  if (touch === null) watch.whole = true;
  else watch.touched.add(touch);
}

/** The services a read saw, with those that changes touched meanwhile as the current table has them (or gone). */
export function withConfirmed(read: Service[], current: Service[], touched: ReadonlySet<string>): Service[] {
  const confirmed = new Map(
    current.filter((s) => touched.has(serviceId(serviceKey(s)))).map((s) => [serviceId(serviceKey(s)), s]),
  );
  const out: Service[] = [];
  for (const s of read) {
    const id = serviceId(serviceKey(s));
    if (!touched.has(id)) out.push(s);
    else {
      const c = confirmed.get(id);
      if (c) out.push(c);
      confirmed.delete(id);
    }
  }
  // a touched service the read did not see (it was added back meanwhile): where the current table has it is unknown
  // to this read's order, so it goes last
  return [...out, ...confirmed.values()];
}
