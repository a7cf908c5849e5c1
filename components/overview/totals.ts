import type { Service, TableState } from '@/lib/ipvs';

export interface Totals {
  active: number;
  inactive: number;
  /** NaN when the backend reports no rates. */
  cps: number;
  inBps: number;
  outBps: number;
}

export function serviceConns(s: Service): { active: number; inactive: number } {
  let active = 0;
  let inactive = 0;
  for (const d of s.destinations) {
    active += d.activeConns;
    inactive += d.inactiveConns;
  }
  return { active, inactive };
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
