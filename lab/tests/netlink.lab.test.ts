// The netlink reader (dist/ipvs-dump, issue #18) against the ipvsadm listings on the real kernel: for a table with
// everything the lab builds (every scheduler, sh/mh flags, ops, persistence with masks and pe sip, SCTP, IPv6, fwmarks
// v4/v6 including >= 2^31, thresholds, every tunnel type, tunnels of the other address family, two sync daemons), both
// readers give the same model, counters within the movement between two ipvsadm reads around the netlink one. And
// the bundled agent reads with netlink when the helper is there, with ipvsadm (saying why) when it is not.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentAck, AgentClientEvents, AgentInfo, AgentServerEvents } from '../../lib/events';
import { IpvsDumpDecoder, mergeListing, serviceId, serviceKey, type IpvsDump, type Service } from '../../lib/ipvs';
import { IpvsadmBackend } from '../../server/agent/ipvsadm-backend';
import { NetlinkBackend } from '../../server/agent/netlink-backend';
import { VIP, clearTable, eventually, ipvsadm, load, sh, tryRun } from './kernel';

const ROOT = join(__dirname, '..', '..');
const HELPER = join(ROOT, 'dist/ipvs-dump');
const V6 = '2001:db8:1::10';
const RULES = `-A -t ${VIP}:81 -s lc
-A -t ${VIP}:82 -s sh -b sh-fallback,sh-port
-A -t ${VIP}:88 -s mh -b mh-fallback,mh-port
-A -t ${VIP}:89 -s fo
-A -t ${VIP}:90 -s ovf
-A -t ${VIP}:91 -s dh -b flag-1,flag-3
-A -t ${VIP}:92 -s sh -b sh-port -p 100 -M 255.255.0.0
-A -t ${VIP}:443 -s rr -p 300
-a -t ${VIP}:443 -r 10.2.0.11:443 -m -w 1
-a -t ${VIP}:443 -r 10.2.0.12:443 -m -w 1
-A -t ${VIP}:0 -s wlc -p 600 -M 255.255.255.0
-a -t ${VIP}:0 -r 10.1.0.21:0 -g -w 1
-A -u ${VIP}:5060 -s rr -p 180 --pe sip
-A -u ${VIP}:1812 -s rr -o
-a -u ${VIP}:1812 -r 10.2.0.11:1812 -m -w 5
-A -u ${VIP}:1813 -s mh -b mh-port,mh-fallback -p 200 -o --pe sip
-A --sctp-service ${VIP}:3868 -s rr
-a --sctp-service ${VIP}:3868 -r 10.2.0.11:3868 -m -w 1 -x 1000 -y 100
-A -f 1 -s wrr -p 120
-a -f 1 -r 10.2.0.11:0 -m -w 2
-a -f 1 -r 10.2.0.12:0 -m -w 3 -x 500 -y 50
-A -f 2 -6 -s rr
-a -f 2 -6 -r [2001:db8:2::11]:0 -m -w 1
-A -t [${V6}]:80 -s wrr
-a -t [${V6}]:80 -r [2001:db8:2::11]:80 -m -w 1
-a -t [${V6}]:80 -r [2001:db8:2::12]:80 -m -w 65535 -x 20 -y 10
-A -u [${V6}]:53 -s lc -p 60 -M 64
-a -u [${V6}]:53 -r [2001:db8:2::11]:53 -m -w 1
-A -t [${V6}]:443 -s sh -b sh-fallback -p 30 -M 48
-A -t ${VIP}:9000 -s rr
-a -t ${VIP}:9000 -r 10.3.0.32:9000 -i -w 1 --tun-type ipip
-a -t ${VIP}:9000 -r 10.3.0.33:9000 -i -w 1 --tun-type gue --tun-port 6080
-a -t ${VIP}:9000 -r 10.3.0.34:9000 -i -w 1 --tun-type gue --tun-port 6081 --tun-nocsum
-a -t ${VIP}:9000 -r 10.3.0.35:9000 -i -w 1 --tun-type gue --tun-port 6082 --tun-csum
-a -t ${VIP}:9000 -r 10.3.0.36:9000 -i -w 1 --tun-type gue --tun-port 6083 --tun-remcsum
-a -t ${VIP}:9000 -r 10.3.0.37:9000 -i -w 1 --tun-type gre
-a -t ${VIP}:9000 -r 10.3.0.38:9000 -i -w 1 --tun-type gre --tun-csum
-a -t ${VIP}:9000 -r 10.1.0.1:9000 -g -w 0
-A -t 200.1.0.10:80 -s rr
-A -t 100.1.0.10:80 -s rr
`;

/** Tunnel real servers of the other address family than their service's. The kernel refuses to start a sync daemon
 * while any exist ("the synchronization protocol is incompatible with mixed family services"): they come second. */
const MIXED = `-A -t ${VIP}:9100 -s rr
-a -t ${VIP}:9100 -r [2001:db8:3::31]:9100 -i -w 1
-a -t ${VIP}:9100 -r [2001:db8:3::32]:9100 -i -w 1 --tun-type gue --tun-port 6080
-a -t ${VIP}:9100 -r 200.3.0.31:9100 -i -w 1
-A -t [${V6}]:9100 -s rr
-a -t [${V6}]:9100 -r 10.3.0.32:9100 -i -w 1 --tun-type gue --tun-port 6081 --tun-remcsum
-a -t [${V6}]:9100 -r 10.3.0.33:9100 -i -w 1 --tun-type gre --tun-csum
-A -f 2147483648 -s rr
-a -f 2147483648 -r 10.2.0.11:0 -m -w 1
-a -f 2147483648 -r [2001:db8:3::31]:0 -i -w 1
-A -f 4294967295 -s wrr -p 60
-a -f 4294967295 -r 10.2.0.12:0 -g -w 2 -x 10 -y 5
-A -f 3000000000 -6 -s rr
-a -f 3000000000 -6 -r [2001:db8:2::11]:0 -m -w 1
-a -f 3000000000 -6 -r 10.3.0.31:0 -i -w 1 --tun-type gre --tun-csum
`;

const ipvsadmBackend = new IpvsadmBackend();

/** The table as the agent's ipvsadm backend reads it on a slow tick: four listings, then the template counts. */
async function readByIpvsadm(): Promise<Service[]> {
  const [services, persist] = await Promise.all([
    ipvsadmBackend.readServices({ counters: true }),
    ipvsadmBackend.readPersistConns(),
  ]);
  expect(ipvsadmBackend.problems()).toEqual([]);
  return mergeListing(services, persist, ['persistConns']);
}

type Numbers = Record<string, number>;
/** Every number of the table (counters, rates, connection counts) by a path naming it. */
function numbers(services: Service[]): Numbers {
  const out: Numbers = {};
  for (const s of services) {
    const id = serviceId(serviceKey(s));
    for (const [k, v] of Object.entries({ ...s.stats, ...s.rate })) if (typeof v === 'number') out[`${id} ${k}`] = v;
    for (const d of s.destinations)
      for (const k of ['activeConns', 'inactiveConns', 'persistConns'] as const)
        out[`${id} ${d.address}:${d.port} ${k}`] = d[k] ?? 0;
    for (const d of s.destinations)
      for (const [k, v] of Object.entries({ ...d.stats, ...d.rate }))
        if (typeof v === 'number') out[`${id} ${d.address}:${d.port} ${k}`] = v;
  }
  return out;
}

/** The table without its moving numbers: what must be equal, not close. */
const configuration = (services: Service[]) =>
  services.map(({ stats: _s, rate: _r, destinations, ...s }) => ({
    ...s,
    destinations: destinations.map(
      ({ stats: _ds, rate: _dr, activeConns: _a, inactiveConns: _i, persistConns: _p, ...d }) => d,
    ),
  }));

function restore(rules: string): void {
  const r = spawnSync('ipvsadm', ['-R'], { input: rules, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ipvsadm -R: ${r.stderr || r.status}`);
}

// The table both describes read, and its traffic, first: the kernel's rate estimator then takes a minute to settle
// (see below), and the agent start tests run meanwhile instead of before it.
beforeAll(() => {
  clearTable();
  sh('sh', [join(ROOT, 'lab/topology'), 'services']);
  restore(RULES);
  ipvsadm('--set', '900', '120', '300');
  ipvsadm('--start-daemon', 'master', '--mcast-interface', 'lo', '--syncid', '5');
  ipvsadm(
    '--start-daemon',
    'backup',
    '--mcast-interface',
    'lo',
    '--syncid',
    '7',
    '--sync-maxlen',
    '1400',
    '--mcast-group',
    '224.0.0.82',
    '--mcast-port',
    '8850',
    '--mcast-ttl',
    '2',
  );
  // traffic through NAT, DR and TUN, so counters, rates and connection counts are not all zero
  for (const port of [80, 8080, 8081]) expect(load(`http://${VIP}:${port}/`, 60)).toBe(60);
}, 300_000);

describe('the agent chooses its reader at start', () => {
  const TOKEN = 'lab-netlink-token-0123456789';
  const dir = mkdtempSync('/tmp/lvs-netlink-lab-');
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill();
  });

  /** The bundled agent (as deployed) on `port`, then its agent:info. */
  async function infoOf(port: number, extra: string[]): Promise<AgentInfo> {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'dist/lvs-agent.mjs'),
        'serve',
        '--listen',
        `127.0.0.1:${port}`,
        '--token',
        TOKEN,
        '--state-dir',
        join(dir, String(port)),
        ...extra,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(child);
    let err = '';
    child.stderr?.on('data', (b: Buffer) => void (err = (err + b.toString()).slice(-4000)));
    const end = Date.now() + 150_000;
    for (;;) {
      const s = connect(`http://127.0.0.1:${port}`, {
        extraHeaders: { authorization: `Bearer ${TOKEN}` },
        transports: ['websocket'],
        reconnection: false,
      }) as Socket<AgentServerEvents, AgentClientEvents>;
      try {
        const r: AgentAck<AgentInfo> = await s.timeout(10_000).emitWithAck('agent:info');
        if (!r.ok) throw new Error(r.error.message);
        return r.data;
      } catch (e) {
        if (Date.now() > end) throw new Error(`agent on ${port}: ${(e as Error).message}; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 1000));
      } finally {
        s.close();
      }
    }
  }

  /** The agent's info, then the agent stopped (several agents ticking at once starve each other under TCG). */
  async function infoThenStop(port: number, extra: string[]): Promise<AgentInfo> {
    const info = await infoOf(port, extra);
    children.pop()?.kill();
    return info;
  }

  it('netlink when dist/ipvs-dump is beside the bundle', async () => {
    const info = await infoThenStop(17281, []);
    expect(info.backend).toBe('netlink');
    expect(info.backendReason).toMatch(
      /^netlink: one generic-netlink dump per tick by .*dist\/ipvs-dump \(probe read \d+ services\)$/,
    );
    expect(info.readError).toBeNull();
  }, 200_000);

  it('ipvsadm, saying why, when the helper is missing or cannot read', async () => {
    const missing = await infoThenStop(17282, ['--ipvs-dump', join(dir, 'no-such-ipvs-dump')]);
    expect(missing.backend).toBe('ipvsadm');
    expect(missing.backendReason).toBe(
      `ipvsadm listings: no netlink reader (ipvs-dump) at ${join(dir, 'no-such-ipvs-dump')}; it is built at install with a C compiler (node scripts/build-ipvs-dump.mjs)`,
    );
    expect(missing.readError).toBeNull();
    // a helper that is there but not one: /bin/false exits 1 with nothing said
    const broken = await infoThenStop(17283, ['--ipvs-dump', '/bin/false']);
    expect(broken.backend).toBe('ipvsadm');
    expect(broken.backendReason).toMatch(/^ipvsadm listings: the netlink reader failed its probe read: \/bin\/false: /);
  }, 400_000);
});

describe('netlink and ipvsadm read the same table', () => {
  /** Read the table with ipvsadm, netlink, ipvsadm again; both readers must agree (numbers: within the movement). */
  async function compareReads(): Promise<IpvsDump> {
    const netlink = new NetlinkBackend(HELPER, ipvsadmBackend);
    const before = await readByIpvsadm();
    const dump = await netlink.dump();
    const after = await readByIpvsadm();
    expect(dump.problems).toEqual([]);
    expect(dump.services.length).toBeGreaterThanOrEqual(25); // 21 of RULES and the topology's 4, then MIXED's 5
    expect(dump.services.map((s) => serviceId(serviceKey(s)))).toEqual(before.map((s) => serviceId(serviceKey(s))));
    expect(configuration(dump.services)).toEqual(configuration(before));
    expect(configuration(after)).toEqual(configuration(before));

    const [b, n, a] = [numbers(before), numbers(dump.services), numbers(after)];
    expect(Object.keys(n)).toEqual(Object.keys(b));
    const outside: string[] = [];
    for (const [k, v] of Object.entries(n)) {
      const x = b[k] as number;
      const y = a[k] as number;
      const movement = Math.abs(y - x);
      if (v < Math.min(x, y) - movement || v > Math.max(x, y) + movement) outside.push(`${k}: ${x} / ${v} / ${y}`);
    }
    expect(outside).toEqual([]);
    // the traffic of the set-up shows in both
    expect(Object.entries(n).filter(([k, v]) => k.endsWith(' conns') && v > 0).length).toBeGreaterThan(3);
    expect(dump.timeouts).toEqual(await ipvsadmBackend.readTimeouts());
    expect(dump.daemons).toEqual(await ipvsadmBackend.readDaemons());
    return dump;
  }

  // The kernel's rate estimator rises and falls for seconds after traffic ends (seen: 5, 7, then 5 cps across three
  // reads): numbers are compared once it settled; the rates' positions are checked on captures with non-zero rates
  // (lib/ipvs/__tests__/netlink-dump.test.ts).
  beforeAll(async () => {
    const rates = () => ipvsadm('-Ln', '--rate', '--exact').split('\n').slice(3);
    await eventually(
      () => expect(rates().filter((l) => / [1-9]\d*( |$)/.test(l.replace(/^\S+\s+\S+/, '')))).toEqual([]),
      120_000,
      2000,
    );
  }, 150_000);

  afterAll(() => {
    tryRun('ipvsadm', ['--stop-daemon', 'master']);
    tryRun('ipvsadm', ['--stop-daemon', 'backup']);
    clearTable();
  });

  it('the helper was built', () => {
    expect(existsSync(HELPER)).toBe(true);
  });

  it('with two sync daemons: the same services and real servers in the same order, the same configuration, timeouts and daemons, counters within the movement between two ipvsadm reads around it', async () => {
    const dump = await compareReads();
    expect(dump.daemons.map((d) => d.state)).toEqual(['master', 'backup']);
  });

  it('with tunnels of the other address family (and no daemons): the same', async () => {
    ipvsadm('--stop-daemon', 'master');
    ipvsadm('--stop-daemon', 'backup');
    restore(MIXED);
    const dump = await compareReads();
    expect(dump.daemons).toEqual([]);
    const mixed = dump.services.flatMap((s) =>
      s.destinations.filter(
        (d) => d.address.includes(':') !== (s.address ?? '').includes(':') && s.protocol !== 'fwmark',
      ),
    );
    expect(mixed.length).toBe(4);
  });

  it('one service at a time (the confirmation read after an edit): netlink and ipvsadm give each as the whole read does, null for none', async () => {
    const netlink = new NetlinkBackend(HELPER, ipvsadmBackend);
    const whole = (await netlink.dump()).services;
    for (const s of whole) {
      const key = serviceKey(s);
      const [byNetlink, byIpvsadm] = await Promise.all([netlink.readService(key), ipvsadmBackend.readService(key)]);
      expect(configuration([byNetlink as Service]), serviceId(key)).toEqual(configuration([s]));
      expect(configuration([byIpvsadm as Service]), serviceId(key)).toEqual(configuration([s]));
      expect(byNetlink?.destinations.every((d) => d.stats && d.rate)).toBe(true);
    }
    for (const key of [
      { protocol: 'tcp', address: VIP, port: 7 },
      { protocol: 'fwmark', fwmark: 99, ipv6: true },
    ] as const) {
      expect(await netlink.readService(key)).toBeNull();
      expect(await ipvsadmBackend.readService(key)).toBeNull();
    }
  });
});

describe('a table that changes while the helper reads it', () => {
  afterAll(() => clearTable());

  it('leaves out a service removed before its real servers were read (the kernel answers that dump with nothing), keeps one that has none', async () => {
    // enough services that the read takes seconds, so one goes away while it runs
    const SERVICES = 4000;
    const lines = Array.from(
      { length: SERVICES },
      (_, i) => `-A -t 10.9.${i >> 8}.${i & 255}:80 -s rr\n-a -t 10.9.${i >> 8}.${i & 255}:80 -r 10.2.0.11:80 -m`,
    );
    clearTable();
    restore(`${lines.join('\n')}\n-A -u 10.9.200.1:53 -s rr\n`);
    // the service the helper lists last (the kernel's hash order): gone by the time its real servers are asked for
    const first = spawnSync(HELPER, [], { encoding: 'utf8', maxBuffer: 1 << 28 })
      .stdout.trim()
      .split('\n');
    const lastSvc = JSON.parse(first.findLast((l) => l.startsWith('["svc",2,6,')) as string) as unknown[];
    const gone = `${lastSvc[3] as string}:${lastSvc[4] as number}`;

    const child = spawn(HELPER, [], { stdio: ['ignore', 'pipe', 'pipe'] });
    const decoder = new IpvsDumpDecoder();
    let deleted = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (piece: string) => {
      drain(decoder.write(piece));
      // at the first piece the service dump is done and the real servers' dumps are under way
      if (!deleted) deleted = tryRun('ipvsadm', ['-D', '-t', gone]);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(deleted).toBe(true);
    expect(code).toBe(0);
    const dump = drain(decoder.end());
    expect(dump.services).toHaveLength(SERVICES);
    expect(dump.services.some((s) => `${s.address}:${s.port}` === gone)).toBe(false);
    expect(dump.services.filter((s) => s.destinations.length !== 1).map((s) => serviceId(serviceKey(s)))).toEqual([
      'udp/10.9.200.1:53',
    ]);
    expect(dump.services.map((s) => serviceId(serviceKey(s)))).toEqual(
      (await readByIpvsadm()).map((s) => serviceId(serviceKey(s))),
    );
  }, 300_000);
});

function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
