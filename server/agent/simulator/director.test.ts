import { describe, expect, it } from 'vitest';
import { SimulatedDirector } from './director';
import { DEMO_FWMARK_TARGETS, DEMO_SEED } from './seeds';

function clock() {
  const c = { t: 1_000_000, now: () => c.t };
  return c;
}
const quiet = { rate: 0 };
const WEB = 'tcp/10.1.0.10:80';

describe('SimulatedDirector scheduling', () => {
  it('wrr 1:3 on the demo: the kernel lists .12 (added last) first, so .12 .12 .12 .11, repeating', () => {
    const sim = new SimulatedDirector({ seed: DEMO_SEED, load: quiet, now: clock().now });
    const got = Array.from({ length: 8 }, (_, i) =>
      sim.connect(WEB, { client: '10.100.0.1', clientPort: 2000 + i, holdMs: 1000 }),
    );
    expect(got.map((d) => (typeof d === 'string' ? d : d.address))).toEqual([
      '10.2.0.12',
      '10.2.0.12',
      '10.2.0.12',
      '10.2.0.11',
      '10.2.0.12',
      '10.2.0.12',
      '10.2.0.12',
      '10.2.0.11',
    ]);
  });

  it('a weight change through ipvsadm -e shifts the share of new connections', async () => {
    const c = clock();
    const sim = new SimulatedDirector({ seed: DEMO_SEED, load: { rate: 0 }, now: c.now });
    const share = () => {
      const got = Array.from({ length: 400 }, (_, i) =>
        sim.connect(WEB, { client: '10.100.0.1', clientPort: 1024 + i, holdMs: 10 }),
      );
      return got.filter((d) => typeof d !== 'string' && d.address === '10.2.0.11').length / got.length;
    };
    expect(share()).toBe(0.25);
    expect((await sim.run(['-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '3'])).ok).toBe(true);
    expect(share()).toBe(0.5);
  });

  it('lc picks the real server with the fewest held connections', async () => {
    const c = clock();
    const sim = new SimulatedDirector({
      seed: '-A -t 10.1.0.10:81 -s lc\n-a -t 10.1.0.10:81 -r 10.2.0.11:81 -m -w 1\n-a -t 10.1.0.10:81 -r 10.2.0.12:81 -m -w 1\n',
      load: quiet,
      now: c.now,
    });
    const open = (port: number) =>
      sim.connect('tcp/10.1.0.10:81', { client: '10.100.0.1', clientPort: port, holdMs: 60_000 });
    const first = [open(3000), open(3001), open(3002)].map((d) => (typeof d === 'string' ? d : d.address));
    // empty: .12 (listed first); then .11 has fewer; then equal again: .12
    expect(first).toEqual(['10.2.0.12', '10.2.0.11', '10.2.0.12']);
    c.t += 1000;
    const svc = (await sim.readServices()).find((s) => s.port === 81);
    expect(svc?.destinations.map((d) => [d.address, d.activeConns])).toEqual([
      ['10.2.0.11', 1],
      ['10.2.0.12', 2],
    ]);
  });

  it('refuses a scheduler the simulated kernel has no module for, with the kernel text', async () => {
    const sim = new SimulatedDirector({ load: quiet });
    const r = await sim.run(['-A', '-t', '10.1.0.10:80', '-s', 'twos']);
    expect([r.ok, r.stderr]).toEqual([false, 'Scheduler or persistence engine not found']);
  });
});

describe('SimulatedDirector persistence and aging', () => {
  it('PCC: a client keeps its real server on every port until the template runs out, then is scheduled again', async () => {
    const c = clock();
    const sim = new SimulatedDirector({ seed: DEMO_SEED, load: quiet, now: c.now });
    const pcc = 'tcp/10.1.0.20:0';
    const to = (client: string, port: number) =>
      sim.connect(pcc, { client, clientPort: 5000, virtualPort: port, holdMs: 1000 });
    const a = to('10.100.0.7', 80);
    expect(typeof a).not.toBe('string');
    expect(to('10.100.0.7', 443)).toBe(a);
    expect(to('10.100.0.7', 22)).toBe(a);
    let conns = (await sim.readConnections()).toArray();
    const tpl = conns.find((x) => x.template);
    expect(tpl).toMatchObject({
      protocol: 'tcp',
      state: 'ASSURED',
      clientAddress: '10.100.0.7',
      virtualPort: 0,
      destPort: 0,
      expires: 600,
    });
    c.t += 599_000;
    expect((await sim.readConnections()).toArray().find((x) => x.template)?.expires).toBe(1);
    c.t += 2000;
    conns = (await sim.readConnections()).toArray();
    expect(conns.filter((x) => x.template)).toEqual([]);
  });

  it('a template whose connection is still open outlives its timeout', async () => {
    const c = clock();
    const sim = new SimulatedDirector({ seed: DEMO_SEED, load: quiet, now: c.now });
    sim.connect('tcp/10.1.0.20:0', { client: '10.100.0.8', clientPort: 5000, virtualPort: 80, holdMs: 900_000 });
    c.t += 700_000;
    const tpl = (await sim.readConnections()).toArray().find((x) => x.template);
    expect(tpl?.expires).toBe(500); // re-armed at 600 s, 100 s ago
  });

  it('fwmark templates carry protocol IP and the mark as the virtual address', async () => {
    const sim = new SimulatedDirector({ seed: DEMO_SEED, load: quiet, fwmarkTargets: DEMO_FWMARK_TARGETS });
    sim.connect('fwmark/1', { client: '10.100.0.9', clientPort: 4000, holdMs: 1000 });
    const rows = (await sim.readConnections()).toArray();
    expect(rows.find((x) => x.template)).toMatchObject({ protocol: 'ip', virtualAddress: '0.0.0.1', virtualPort: 0 });
    expect(rows.find((x) => !x.template)).toMatchObject({
      protocol: 'tcp',
      virtualAddress: '10.1.0.10',
      virtualPort: 443,
      state: 'ESTABLISHED',
    });
  });

  it('an IPv6 fwmark service whose marked traffic is not known gets connections of its own family', async () => {
    const sim = new SimulatedDirector({ seed: '-A -f 2 -6 -s rr\n-a -f 2 -6 -r [fd00::11]:0 -m -w 1\n', load: quiet });
    sim.connect('fwmark6/2', { client: 'fd00:100::9', clientPort: 4000, holdMs: 1000 });
    const rows = (await sim.readConnections()).toArray();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.virtualAddress, 'the virtual address was 0.0.0.2 before').toContain(':');
  });

  it('ages entries like the kernel: ESTABLISHED (active), then TIME_WAIT 120 s for NAT or FIN_WAIT tcpfin for DR', async () => {
    const c = clock();
    const sim = new SimulatedDirector({ seed: DEMO_SEED, load: quiet, now: c.now });
    sim.connect(WEB, { client: '10.100.0.1', clientPort: 4000, holdMs: 5000 });
    sim.connect('tcp/10.1.0.10:8080', { client: '10.100.0.1', clientPort: 4001, holdMs: 5000 });
    const states = async () => (await sim.readConnections()).toArray().map((x) => `${x.state} ${x.expires}`);
    expect(await states()).toEqual(['ESTABLISHED 900', 'ESTABLISHED 900']);
    c.t += 6000;
    expect(await states()).toEqual(['TIME_WAIT 119', 'FIN_WAIT 119']);
    const web = (await sim.readServices()).find((s) => s.port === 80);
    // listed .11 then .12; the connection went to .12 (first in the kernel's list)
    expect(web?.destinations.map((d) => [d.activeConns, d.inactiveConns])).toEqual([
      [0, 0],
      [0, 1],
    ]);
    c.t += 120_000;
    expect(await states()).toEqual([]);
  });
});

describe('SimulatedDirector load', () => {
  it('moves the counters with the synthetic load, NAT replies counted, DR replies not', async () => {
    const c = clock();
    const sim = new SimulatedDirector({ seed: DEMO_SEED, load: { rate: 100 }, now: c.now });
    for (let i = 0; i < 10; i++) {
      c.t += 1000;
      await sim.readServices();
    }
    const services = await sim.readServices();
    const total = services.reduce((a, s) => a + (s.stats?.conns ?? 0), 0);
    expect(total).toBeGreaterThanOrEqual(999);
    expect(total).toBeLessThanOrEqual(1000);
    const web = services.find((s) => s.port === 80);
    const dr = services.find((s) => s.port === 8080);
    expect(web?.stats?.outPkts).toBeGreaterThan(0);
    expect(dr?.stats?.conns).toBeGreaterThan(0);
    expect(dr?.stats?.outPkts).toBe(0);
    expect(web?.rate?.cps).toBeGreaterThan(0);
  });

  it('follows the mix, and refuses a bad setting naming the field', async () => {
    const c = clock();
    const sim = new SimulatedDirector({ seed: DEMO_SEED, load: { rate: 100, mix: { [WEB]: 1 } }, now: c.now });
    sim.setLoad({
      mix: Object.fromEntries(
        ['tcp/10.1.0.10:8080', 'tcp/10.1.0.10:8081', 'udp/10.1.0.10:53', 'tcp/10.1.0.20:0', 'fwmark/1'].map((id) => [
          id,
          0,
        ]),
      ),
    });
    c.t += 5000;
    const services = await sim.readServices();
    expect(services.map((s) => s.stats?.conns ?? 0)).toEqual([500, 0, 0, 0, 0, 0]);
    expect(() => sim.setLoad({ rate: -1 })).toThrow(/rate: connections per second/);
  });

  it('holds about --conns entries in the connection table', async () => {
    const sim = new SimulatedDirector({ seed: DEMO_SEED, load: quiet, conns: 5000 });
    const table = await sim.readConnections();
    expect(table.length).toBeGreaterThanOrEqual(5000);
  });

  it("lists what moved as fresh objects, what did not as the last read's, and never changes a read", async () => {
    const c = clock();
    const others = ['tcp/10.1.0.10:8080', 'tcp/10.1.0.10:8081', 'udp/10.1.0.10:53', 'tcp/10.1.0.20:0', 'fwmark/1'];
    const mix = Object.fromEntries(others.map((id) => [id, 0]));
    const sim = new SimulatedDirector({ seed: DEMO_SEED, load: { rate: 100, mix }, now: c.now });
    c.t += 1000;
    const first = await sim.readServices();
    const kept = structuredClone(first);
    c.t += 1000;
    const second = await sim.readServices();
    expect(first).toEqual(kept);
    expect(second[0]?.stats?.conns).toBeGreaterThan(first[0]?.stats?.conns ?? 0);
    expect(second[0]).not.toBe(first[0]); // the load goes to the web service only
    expect(second.slice(1)).toEqual(first.slice(1));
    for (const [i, s] of second.slice(1).entries()) expect(s).toBe(first[i + 1]);
    for (const d of second[0]?.destinations ?? []) {
      const st = sim.destinations(WEB).find((x) => x.address === d.address);
      expect([d.activeConns, d.inactiveConns, d.stats]).toEqual([st?.activeConns, st?.inactiveConns, st?.stats]);
    }
    expect(sim.services[0]?.stats).toEqual(second[0]?.stats); // the control surface's table holds them too
    // an edit lists everything afresh: the weight it changed is in the next read
    await sim.run(['-e', '-t', '10.1.0.10:8080', '-r', '10.1.0.21:8080', '-g', '-w', '7']);
    const third = await sim.readServices();
    expect(third[1]).not.toBe(second[1]);
    expect(third[1]?.destinations.find((d) => d.address === '10.1.0.21')?.weight).toBe(7);
  });
});
