// The classic LVS experiments, replayed on the real kernel over the lab topology (lab/topology, brought up once by
// global-setup.ts): weighted NAT under load, DR and TUN answered by the real servers themselves, persistence and its
// templates, and a firewall-mark service that ties two ports together. Every test clears the table and sets up its own
// rules with ipvsadm; what the kernel did is read back with separate ipvsadm calls and /proc/net/ip_vs_conn.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseListing, parseProcConns, type ConnectionEntry } from '../../lib/ipvs';
import {
  VIP,
  clearTable,
  clientAddress,
  eventually,
  fetchAll,
  fetchMany,
  ipvsadm,
  load,
  nft,
  procConnText,
  sh,
  tryRun,
} from './kernel';

const NAT = { nat1: '10.2.0.11', nat2: '10.2.0.12' } as const;

/** Per-real-server counters of one TCP virtual service on the VIP (or of a fwmark service), from
 * `ipvsadm -Ln --stats --exact`. */
function stats(key: { port: number } | { fwmark: number }) {
  const listing = parseListing(ipvsadm('-Ln', '--stats', '--exact'));
  const svc = listing.services.find((s) =>
    'port' in key ? s.address === VIP && s.port === key.port : s.fwmark === key.fwmark,
  );
  if (!svc?.stats) throw new Error(`no stats for ${JSON.stringify(key)}`);
  const dests = Object.fromEntries(svc.destinations.map((d) => [d.address, d.stats]));
  return { total: svc.stats, dests };
}

/** The kernel's connection entries (templates included) of one client address, from /proc/net/ip_vs_conn. */
function connsOf(client: string): ConnectionEntry[] {
  return parseProcConns(procConnText())
    .toArray()
    .filter((c) => c.clientAddress === client);
}

// Tests that count or pin connections send from an address of their own (clientAddress), so that no entry left by
// an earlier test or test file (they last minutes after the table is cleared) can catch their connections.
let removeAddress: (() => void) | undefined;
const sendFrom = (address: string) => {
  removeAddress = clientAddress(address);
  return address;
};
beforeEach(() => clearTable());
afterEach(() => {
  removeAddress?.();
  removeAddress = undefined;
});

describe('seed experiments on the real kernel', () => {
  it('NAT wrr 1:3 splits 1,000 connections 1:3 (±10%) and carries the replies back', async () => {
    ipvsadm('-A', '-t', `${VIP}:80`, '-s', 'wrr');
    ipvsadm('-a', '-t', `${VIP}:80`, '-r', `${NAT.nat1}:80`, '-m', '-w', '1');
    ipvsadm('-a', '-t', `${VIP}:80`, '-r', `${NAT.nat2}:80`, '-m', '-w', '3');
    const done = load(`http://${VIP}:80/`, 1000, 10);
    expect(done).toBe(1000);
    // ab opens a connection per request, plus a few that carry none (at the end, while its last requests are in
    // flight): 1,000-1,002 for 1,000 requests, 20-23 for 20. Counting SYNs by source port with nft on the director
    // showed as many distinct ports as IPVS Conns, so each is a real connection, not a retransmission. The kernel
    // folds its per-CPU counters into the listing every 2 s, the service's and each real server's at their own
    // moments: one read may have a real server ahead of its service (1,003 against 1,001 seen), so the read used
    // below is one where they agree.
    let read = stats({ port: 80 });
    await eventually(() => {
      read = stats({ port: 80 });
      expect(read.total.conns).toBeGreaterThanOrEqual(done);
      expect((read.dests[NAT.nat1]?.conns ?? 0) + (read.dests[NAT.nat2]?.conns ?? 0)).toBe(read.total.conns);
    });
    const { total, dests } = read;
    expect(total.conns).toBeLessThanOrEqual(done + 10);
    const c1 = dests[NAT.nat1]?.conns ?? 0;
    const c3 = dests[NAT.nat2]?.conns ?? 0;
    expect(c1 / total.conns).toBeGreaterThanOrEqual(0.25 * 0.9);
    expect(c1 / total.conns).toBeLessThanOrEqual(0.25 * 1.1);
    expect(c3 / total.conns).toBeGreaterThanOrEqual(0.75 * 0.9);
    expect(c3 / total.conns).toBeLessThanOrEqual(0.75 * 1.1);
    // NAT: the replies come back through the director, so it counts them
    expect(dests[NAT.nat1]?.outPkts).toBeGreaterThan(0);
    expect(dests[NAT.nat2]?.outPkts).toBeGreaterThan(0);
  });

  it('DR and TUN: the real servers answer the client themselves, the director never sees a reply', async () => {
    ipvsadm('-A', '-t', `${VIP}:8080`, '-s', 'rr');
    ipvsadm('-a', '-t', `${VIP}:8080`, '-r', '10.1.0.21:8080', '-g', '-w', '1');
    ipvsadm('-a', '-t', `${VIP}:8080`, '-r', '10.1.0.22:8080', '-g', '-w', '1');
    ipvsadm('-A', '-t', `${VIP}:8081`, '-s', 'rr');
    ipvsadm('-a', '-t', `${VIP}:8081`, '-r', '10.3.0.31:8081', '-i', '-w', '1');

    const from = sendFrom('10.1.0.150');
    const dr = fetchMany(`http://${VIP}:8080/`, 4, from);
    for (const body of dr) expect(['dr1', 'dr2']).toContain(body);
    expect(new Set(dr)).toEqual(new Set(['dr1', 'dr2']));
    expect(fetchMany(`http://${VIP}:8081/`, 3, from)).toEqual(['tun1', 'tun1', 'tun1']);

    await eventually(() => {
      expect(stats({ port: 8080 }).total.conns).toBe(4);
      expect(stats({ port: 8081 }).total.conns).toBe(3);
    });
    for (const port of [8080, 8081]) {
      const { total, dests } = stats({ port });
      expect(total.inPkts, `:${port} InPkts`).toBeGreaterThan(0);
      expect(total.outPkts, `:${port} OutPkts`).toBe(0);
      expect(total.outBytes, `:${port} OutBytes`).toBe(0);
      for (const [addr, s] of Object.entries(dests)) {
        expect(s?.conns, `${addr} conns`).toBeGreaterThan(0);
        expect(s?.outPkts, `${addr} OutPkts`).toBe(0);
      }
    }
  });

  it('persistence keeps one client on one real server and leaves a template in /proc/net/ip_vs_conn', () => {
    ipvsadm('-A', '-t', `${VIP}:80`, '-s', 'rr', '-p', '300');
    ipvsadm('-a', '-t', `${VIP}:80`, '-r', `${NAT.nat1}:80`, '-m', '-w', '1');
    ipvsadm('-a', '-t', `${VIP}:80`, '-r', `${NAT.nat2}:80`, '-m', '-w', '1');
    const from = sendFrom('10.1.0.151');
    const bodies = fetchMany(`http://${VIP}:80/`, 10, from);
    const first = bodies[0] as keyof typeof NAT;
    expect(Object.keys(NAT)).toContain(first);
    expect(bodies).toEqual(Array(10).fill(first));

    // the template: client port 0, the service's own port, the chosen real server; it outlives the connections
    const tpl = connsOf(from).filter((c) => c.template);
    expect(tpl).toHaveLength(1);
    expect(tpl[0]).toMatchObject({ protocol: 'tcp', clientPort: 0, virtualAddress: VIP, virtualPort: 80 });
    expect(tpl[0]).toMatchObject({ destAddress: NAT[first], destPort: 80 });
    expect(tpl[0]?.expires).toBeGreaterThan(250);
    expect(tpl[0]?.expires).toBeLessThanOrEqual(300);
  });

  describe('fwmark', () => {
    const VIP2 = '10.1.0.11';
    const TABLE = 'lvs_lab_seed';
    // argv arrays, no shell: nft joins its arguments and parses them as one command
    const CHAIN = '{ type filter hook prerouting priority mangle; policy accept; }';
    const MARK = ['ip', 'daddr', VIP2, 'tcp', 'dport', '{ 80, 443 }', 'counter', 'meta', 'mark', 'set', '1'];
    const cleanup = () => {
      tryRun('nft', ['delete', 'table', 'ip', TABLE]);
      tryRun('ip', ['addr', 'del', `${VIP2}/32`, 'dev', 'lan0']);
    };

    it('one persistent fwmark service ties ports 80 and 443 of a second VIP to the same real server', () => {
      cleanup();
      try {
        sh('ip', ['addr', 'add', `${VIP2}/32`, 'dev', 'lan0']);
        nft('add', 'table', 'ip', TABLE);
        nft('add', 'chain', 'ip', TABLE, 'prerouting', CHAIN);
        nft('add', 'rule', 'ip', TABLE, 'prerouting', ...MARK);
        ipvsadm('-A', '-f', '1', '-s', 'rr', '-p', '300');
        ipvsadm('-a', '-f', '1', '-r', `${NAT.nat1}:0`, '-m', '-w', '1');
        ipvsadm('-a', '-f', '1', '-r', `${NAT.nat2}:0`, '-m', '-w', '1');

        const from = sendFrom('10.1.0.152');
        const bodies = fetchAll(
          [80, 443, 80, 443, 80, 443].map((port) => `http://${VIP2}:${port}/`),
          from,
        );
        const first = bodies[0] as keyof typeof NAT;
        expect(Object.keys(NAT)).toContain(first);
        expect(bodies).toEqual(Array(6).fill(first));

        // the rule did mark them
        const counter = /counter packets (\d+)/.exec(nft('list', 'table', 'ip', TABLE));
        expect(Number(counter?.[1])).toBeGreaterThan(0);
        // one template for the whole mark: protocol IP (0), client port 0, real server port 0. (The kernel prints
        // the fwmark where the virtual address would be: 00000001, so parsers read it as 0.0.0.1.)
        const tpl = connsOf(from).filter((c) => c.template);
        expect(tpl).toHaveLength(1);
        expect(tpl[0]).toMatchObject({ protocol: 'ip', clientPort: 0, virtualPort: 0 });
        expect(tpl[0]).toMatchObject({ destAddress: NAT[first], destPort: 0 });
        // and the connections themselves keep their real ports
        const conns = connsOf(from).filter((c) => !c.template);
        expect(conns).toHaveLength(6);
        expect(new Set(conns.map((c) => c.virtualAddress))).toEqual(new Set([VIP2]));
        expect(new Set(conns.map((c) => c.virtualPort))).toEqual(new Set([80, 443]));
        expect(new Set(conns.map((c) => c.destAddress))).toEqual(new Set([NAT[first]]));
      } finally {
        cleanup();
      }
    });
  });
});
