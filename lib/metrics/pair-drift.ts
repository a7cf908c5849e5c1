// lvs_pair_drift: how many items (services, real servers, timeouts, sync daemons) differ between the two members of
// each pair whose drift is known; a pair with a member not live has no series (an unknown count must not read as 0).
import { Gauge, Registry } from 'prom-client';

export interface PairDriftReading {
  pair: string;
  /** The first member (the master of a master/backup pair) and the second. */
  master: string;
  backup: string;
  count: number;
}

export interface PairDriftExporter {
  render(): Promise<string>;
}

export function createPairDriftExporter(read: () => readonly PairDriftReading[]): PairDriftExporter {
  const registry = new Registry();
  new Gauge({
    name: 'lvs_pair_drift',
    help: 'Items that differ between the two directors of a pair (services, real servers, timeouts, sync daemons).',
    labelNames: ['pair', 'master', 'backup'],
    registers: [registry],
    collect(this: Gauge) {
      this.reset();
      for (const r of read()) this.set({ pair: r.pair, master: r.master, backup: r.backup }, r.count);
    },
  });
  return { render: () => registry.metrics() };
}
