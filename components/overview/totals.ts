import type { Service, TableState } from '@/lib/ipvs';

export interface Totals {
  active: number;
  inactive: number;
  /** NaN when the backend reports no rates. */
  cps: number;
  inBps: number;
  outBps: number;
}

/** By service object: an update keeps the objects of the services it did not change (applyDelta), so the totals of
 * 100,000 real servers are summed again only for the services that changed. */
const connsOf = new WeakMap<Service, { active: number; inactive: number }>();

export function serviceConns(s: Service): { active: number; inactive: number } {
  let conns = connsOf.get(s);
  if (!conns) {
    conns = { active: 0, inactive: 0 };
    for (const d of s.destinations) {
      conns.active += d.activeConns;
      conns.inactive += d.inactiveConns;
    }
    connsOf.set(s, conns);
  }
  return conns;
}

export function tableTotals(state: TableState): Totals {
  const t: Totals = { active: 0, inactive: 0, cps: NaN, inBps: NaN, outBps: NaN };
  for (const s of state.services) {
    const c = serviceConns(s);
    t.active += c.active;
    t.inactive += c.inactive;
    if (s.rate) {
      t.cps = (Number.isNaN(t.cps) ? 0 : t.cps) + s.rate.cps;
      t.inBps = (Number.isNaN(t.inBps) ? 0 : t.inBps) + s.rate.inBps;
      t.outBps = (Number.isNaN(t.outBps) ? 0 : t.outBps) + s.rate.outBps;
    }
  }
  return t;
}
