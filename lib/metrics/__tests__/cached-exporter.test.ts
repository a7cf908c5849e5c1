import { describe, expect, it } from 'vitest';
import type { Service } from '../../ipvs';
import { createCachedMetricsExporter, createMetricsExporter, type DirectorReading } from '..';
import { promtoolCheck } from './exposition';

const stats = { conns: 10, inPkts: 20, outPkts: 30, inBytes: 40, outBytes: 50 };
const rate = { cps: 1, inPps: 2, outPps: 3, inBps: 4, outBps: 5 };
const table = (port: number, conns: number): { services: Service[] } => ({
  services: [
    {
      protocol: 'tcp',
      address: '10.1.0.10',
      port,
      scheduler: 'wrr',
      flags: [],
      ops: false,
      destinations: [
        { address: '10.2.0.11', port, forward: 'masq', weight: 3, activeConns: 1, inactiveConns: 2, stats, rate },
      ],
      stats: { ...stats, conns },
      rate,
    },
  ],
});

function reading(director: string, t: { services: Service[] } | null, up = true): DirectorReading {
  return {
    table: t,
    metrics: { director, up, stale: !up, ...(t ? { services: t.services, stats, rate } : {}) },
  };
}

describe('createCachedMetricsExporter', () => {
  it('writes byte for byte what the full build writes, for every director', async () => {
    const lvs1 = table(80, 1);
    let readings = [reading('lvs1', lvs1), reading('lvs2', null, false), reading('lvs3', table(443, 2))];
    const cached = createCachedMetricsExporter(() => readings);
    const full = createMetricsExporter(() => readings.map((r) => r.metrics), { directorLabel: true });
    const first = await cached.render();
    expect(first).toBe(await full.render());
    expect(promtoolCheck(first)).toEqual({ status: 0, output: '' });
    readings = [reading('lvs3', table(443, 5)), reading('lvs1', lvs1)];
    expect(await cached.render()).toBe(await full.render());
    readings = [reading('lvs1', lvs1)];
    expect(await cached.render()).toBe(await full.render());
    readings = [];
    expect(await cached.render()).toBe(await full.render());
  });

  it('builds a director once per tick: scrapes within a tick reuse it, a new table or status rebuilds only it', async () => {
    const lvs2 = table(443, 2);
    let readings = [reading('lvs1', table(80, 1)), reading('lvs2', lvs2)];
    const exporter = createCachedMetricsExporter(() => readings);
    const [a, b] = await Promise.all([exporter.render(), exporter.render()]);
    const c = await exporter.render();
    expect(exporter.builds).toBe(2);
    expect(b).toBe(a);
    expect(c).toBe(a);

    readings = [reading('lvs1', table(80, 7)), reading('lvs2', lvs2)]; // lvs1 ticked
    const d = await exporter.render();
    expect(exporter.builds).toBe(3);
    expect(d).toContain('lvs_service_connections_total{director="lvs1",');
    expect(d).toMatch(/lvs_service_connections_total\{director="lvs1",[^}]*\} 7\n/);
    expect(d).toMatch(/lvs_service_connections_total\{director="lvs2",[^}]*\} 2\n/);

    readings = [readings[0] as DirectorReading, reading('lvs2', lvs2, false)]; // lvs2 went unreachable
    expect(await exporter.render()).toMatch(/lvs_director_up\{director="lvs2"\} 0\n/);
    expect(exporter.builds).toBe(4);
  });
});
