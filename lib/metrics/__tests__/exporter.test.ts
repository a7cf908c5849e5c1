import { describe, expect, it } from 'vitest';
import type { Service } from '../../ipvs';
import { createMetricsExporter, goIP, procMark, type DirectorMetrics } from '..';
import { promtoolCheck, sampleKeys, samples, type Sample } from './exposition';

const stats = { conns: 10, inPkts: 20, outPkts: 30, inBytes: 40, outBytes: 50 };
const rate = { cps: 1, inPps: 2, outPps: 3, inBps: 4, outBps: 5 };
const dest = (address: string, weight = 1) => ({
  address,
  port: 80,
  forward: 'masq' as const,
  weight,
  activeConns: 3,
  inactiveConns: 4,
  stats,
  rate,
});
const svc = (s: Partial<Service>): Service => ({
  protocol: 'tcp',
  address: '10.1.0.10',
  port: 80,
  scheduler: 'wrr',
  flags: [],
  ops: false,
  destinations: [dest('10.2.0.11')],
  stats,
  rate,
  ...s,
});

const find = (list: Sample[], name: string, labels: Record<string, string> = {}) =>
  list.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('createMetricsExporter', () => {
  it('labels every series with its director when asked, and passes promtool', async () => {
    const directors: DirectorMetrics[] = [
      { director: 'lvs1', services: [svc({})], stats, rate, up: true, stale: false, tickSeconds: 0.012 },
      { director: 'lvs2', up: false, stale: true },
    ];
    const text = await createMetricsExporter(() => directors, { directorLabel: true }).render();
    const all = samples(text);
    expect(all.every((s) => s.labels.director === 'lvs1' || s.labels.director === 'lvs2')).toBe(true);
    expect(find(all, 'lvs_director_up').map((s) => [s.labels.director, s.value])).toEqual([
      ['lvs1', 1],
      ['lvs2', 0],
    ]);
    expect(find(all, 'lvs_director_stale', { director: 'lvs2' })[0]?.value).toBe(1);
    expect(find(all, 'lvs_agent_tick_duration_seconds')).toEqual([
      { name: 'lvs_agent_tick_duration_seconds', labels: { director: 'lvs1' }, value: 0.012 },
    ]);
    // a director without a table has no counters (not zeros)
    expect(find(all, 'node_ipvs_connections_total').map((s) => s.labels.director)).toEqual(['lvs1']);
    expect(find(all, 'lvs_backend_incoming_bytes_total', { remote_address: '10.2.0.11' })[0]?.value).toBe(40);
    expect(find(all, 'lvs_service_connections_per_second', { service: 'tcp/10.1.0.10:80' })[0]?.value).toBe(1);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('leaves out the totals it does not know instead of printing 0', async () => {
    const text = await createMetricsExporter(() => [{ director: 'x', services: [] }], {
      directorLabel: false,
    }).render();
    expect(samples(text)).toEqual([]);
  });

  it("shows SCTP services under lvs_* only (node_exporter's parser does not read them)", async () => {
    const sctp = svc({ protocol: 'sctp', port: 5000, destinations: [dest('10.2.0.12', 7)] });
    const all = samples(
      await createMetricsExporter(() => [{ director: 'x', services: [sctp] }], { directorLabel: false }).render(),
    );
    expect(find(all, 'lvs_backend_weight')).toMatchObject([
      { labels: { proto: 'SCTP', service: 'sctp/10.1.0.10:5000' }, value: 7 },
    ]);
    expect(all.filter((s) => s.name.startsWith('node_ipvs_'))).toEqual([]);
  });

  it('writes fwmark and IPv6 labels as node_exporter does', async () => {
    const services = [
      svc({
        protocol: 'fwmark',
        address: undefined,
        port: undefined,
        fwmark: 0x2a,
        ipv6: true,
        destinations: [{ ...dest('2001:db8::11'), port: 0 }],
      }),
      svc({ address: '::ffff:10.1.0.10', destinations: [dest('::ffff:10.2.0.11')] }),
    ];
    const all = samples(
      await createMetricsExporter(() => [{ director: 'x', services }], { directorLabel: false }).render(),
    );
    expect(sampleKeys(find(all, 'node_ipvs_backend_weight'))).toEqual([
      'node_ipvs_backend_weight{local_address="",local_mark="0000002A",local_port="0",proto="FWM",remote_address="2001:db8::11",remote_port="0"} 1',
      'node_ipvs_backend_weight{local_address="10.1.0.10",local_mark="",local_port="80",proto="TCP",remote_address="10.2.0.11",remote_port="80"} 1',
    ]);
    expect(find(all, 'lvs_service_connections_total', { service: 'fwmark6/42' })).toHaveLength(1);
    expect([goIP('::ffff:a01:a'), goIP('2001:db8::1'), procMark(0xffffffff)]).toEqual([
      '10.1.0.10',
      '2001:db8::1',
      'FFFFFFFF',
    ]);
  });

  it('sums real servers that share a node_exporter label set, as node_exporter does', async () => {
    // one IPv4 and one IPv6 fwmark service with the same mark, each with the same real server address: same labels
    const fw = (ipv6?: true) =>
      svc({
        protocol: 'fwmark',
        address: undefined,
        port: undefined,
        fwmark: 1,
        ...(ipv6 ? { ipv6 } : {}),
        destinations: [dest('10.2.0.11', 5)],
      });
    const all = samples(
      await createMetricsExporter(() => [{ director: 'x', services: [fw(), fw(true)] }], {
        directorLabel: false,
      }).render(),
    );
    expect(find(all, 'node_ipvs_backend_weight').map((s) => s.value)).toEqual([10]);
    expect(find(all, 'lvs_backend_weight')).toHaveLength(2);
  });

  it('drops the series of a removed service on the next scrape and keeps nothing else between scrapes', async () => {
    let services = [svc({}), svc({ port: 443 })];
    const exporter = createMetricsExporter(() => [{ director: 'x', services }], { directorLabel: false });
    const first = samples(await exporter.render());
    services = [svc({})];
    const second = samples(await exporter.render());
    expect(find(first, 'lvs_service_connections_total')).toHaveLength(2);
    expect(find(second, 'lvs_service_connections_total').map((s) => s.labels.local_port)).toEqual(['80']);
    expect(second.length).toBe(first.length / 2);
  });
});
