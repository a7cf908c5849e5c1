// Every counter of a table as one flat array of numbers, for deltas where most counters moved (a busy director: every
// real server's byte counts change every tick). One patch object per real server would be about the size of the whole
// table and cost the browser far more to parse and apply than these numbers in table order.
import type { Destination, Rate, Service, Stats } from './model';

/** Numbers per stats or rate object (conns/cps, in/out packets, in/out bytes); an absent one is -1 in its first. */
const GROUP = 5;
/** Numbers per service: stats, then rate. */
export const SERVICE_WIDTH = 2 * GROUP;
/** Numbers per real server: active, inactive, persistent (-1: absent), then stats and rate like a service. */
export const DESTINATION_WIDTH = 3 + SERVICE_WIDTH;

/** The fields a counter column carries; a delta that sends columns leaves them out of its patches. */
export const SERVICE_COUNTER_FIELDS = ['stats', 'rate'] as const;
export const DESTINATION_COUNTER_FIELDS = ['activeConns', 'inactiveConns', 'persistConns', 'stats', 'rate'] as const;

type Counters = Pick<Service, 'stats' | 'rate'>;

function sameStats(a: Stats | undefined, b: Stats | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.conns === b.conns &&
    a.inPkts === b.inPkts &&
    a.outPkts === b.outPkts &&
    a.inBytes === b.inBytes &&
    a.outBytes === b.outBytes &&
    a.approximate === b.approximate
  );
}

function sameRate(a: Rate | undefined, b: Rate | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.cps === b.cps &&
    a.inPps === b.inPps &&
    a.outPps === b.outPps &&
    a.inBps === b.inBps &&
    a.outBps === b.outBps &&
    a.approximate === b.approximate
  );
}

export function sameServiceCounters(a: Counters, b: Counters): boolean {
  return sameStats(a.stats, b.stats) && sameRate(a.rate, b.rate);
}

export function sameDestinationCounters(a: Destination, b: Destination): boolean {
  return (
    a.activeConns === b.activeConns &&
    a.inactiveConns === b.inactiveConns &&
    a.persistConns === b.persistConns &&
    sameServiceCounters(a, b)
  );
}

/** Whether the columns can carry every counter of these services (they have no room for the `approximate` mark). */
export function columnsCanCarry(services: readonly Service[]): boolean {
  const exact = (c: Counters) => !c.stats?.approximate && !c.rate?.approximate;
  return services.every((s) => exact(s) && s.destinations.every(exact));
}

function pushStats(out: number[], g: Stats | undefined): void {
  if (g) out.push(g.conns, g.inPkts, g.outPkts, g.inBytes, g.outBytes);
  else out.push(-1, 0, 0, 0, 0);
}

function pushRate(out: number[], g: Rate | undefined): void {
  if (g) out.push(g.cps, g.inPps, g.outPps, g.inBps, g.outBps);
  else out.push(-1, 0, 0, 0, 0);
}

/** The columns of a table: each service's counters, then each of its real servers', in table order. */
export function encodeCounters(services: readonly Service[]): number[] {
  const out: number[] = [];
  for (const s of services) {
    pushStats(out, s.stats);
    pushRate(out, s.rate);
    for (const d of s.destinations) {
      out.push(d.activeConns, d.inactiveConns, d.persistConns ?? -1);
      pushStats(out, d.stats);
      pushRate(out, d.rate);
    }
  }
  return out;
}

function readStats(c: readonly number[], i: number): Stats | undefined {
  const conns = c[i]!;
  if (conns < 0) return undefined;
  return { conns, inPkts: c[i + 1]!, outPkts: c[i + 2]!, inBytes: c[i + 3]!, outBytes: c[i + 4]! };
}

function readRate(c: readonly number[], i: number): Rate | undefined {
  const cps = c[i]!;
  if (cps < 0) return undefined;
  return { cps, inPps: c[i + 1]!, outPps: c[i + 2]!, inBps: c[i + 3]!, outBps: c[i + 4]! };
}

function withCounters<T extends Counters>(o: T, stats: Stats | undefined, rate: Rate | undefined): T {
  const out = { ...o, stats, rate };
  if (!stats) delete out.stats;
  if (!rate) delete out.rate;
  return out;
}

/** The services with the counters from `columns` (as encodeCounters wrote them for the same table). */
export function decodeCounters(services: readonly Service[], columns: readonly number[]): Service[] {
  let expected = 0;
  for (const s of services) expected += SERVICE_WIDTH + s.destinations.length * DESTINATION_WIDTH;
  if (columns.length !== expected) {
    throw new Error(`counter columns hold ${columns.length} numbers, the table needs ${expected}`);
  }
  let i = 0;
  return services.map((s) => {
    const svc = withCounters(s, readStats(columns, i), readRate(columns, i + GROUP));
    i += SERVICE_WIDTH;
    svc.destinations = s.destinations.map((d) => {
      const persist = columns[i + 2]!;
      const dest = withCounters(d, readStats(columns, i + 3), readRate(columns, i + 3 + GROUP));
      dest.activeConns = columns[i]!;
      dest.inactiveConns = columns[i + 1]!;
      if (persist < 0) delete dest.persistConns;
      else dest.persistConns = persist;
      i += DESTINATION_WIDTH;
      return dest;
    });
    return svc;
  });
}
