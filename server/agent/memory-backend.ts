// An in-memory IPVS table that answers ipvsadm argv the way the kernel does (same error texts as captured in the
// lab). Used by unit tests and the e2e memory director; SimulatedDirector (simulator/director.ts) extends it.
import type { KeepalivedOwnership } from '../../lib/ipvs/table-state';
import {
  ConnectionTable,
  parseSave,
  renderSave,
  serviceId,
  serviceKey,
  destinationId,
  type IpvsInfo,
  type Listing,
  type Service,
  type ServiceKey,
  type SyncDaemon,
  type Timeouts,
} from '../../lib/ipvs';
import type { Backend, CommandResult, Readiness } from './backend';
import { memoryHostFacts } from './memory-host';

const clone = <T>(x: T): T => structuredClone(x);

/** A fresh ip_vs's timeouts (ipvsadm -L --timeout right after modprobe, seen in the lab). */
export const KERNEL_TIMEOUTS: Timeouts = { tcp: 900, tcpfin: 120, udp: 300 };
/** What the lab kernel's version line says: IPVS 1.2.1 with the default 2^12-bucket connection hash table. */
export const KERNEL_IPVS: IpvsInfo = { version: '1.2.1', connTableSize: 4096 };
/** The network interfaces of the lab's director (name -> MTU): a sync daemon may use only these. */
export const KERNEL_INTERFACES: Readonly<Record<string, number>> = { lo: 65536, eth0: 1500 };

/**
 * A sync daemon as the kernel starts it (seen in the lab with ipvsadm -L --daemon): sync id 0, group 224.0.0.81,
 * port 8848 and ttl 1 unless given; the largest message fits the interface's MTU, at most a 1500-byte one for a
 * master (lo: 1472) and at least that for a backup (lo: 65507).
 */
function kernelDaemon(
  state: 'master' | 'backup',
  mcastInterface: string,
  mtu: number,
  opt: (n: string) => string | undefined,
): SyncDaemon {
  const payload = mtu - 28;
  const fits = state === 'master' ? Math.min(payload, 1472) : Math.min(Math.max(payload, 1472), 65507);
  const given = opt('--sync-maxlen');
  return {
    state,
    mcastInterface,
    syncId: Number(opt('--syncid') ?? 0),
    maxlen: given === undefined ? fits : Math.min(Number(given), fits),
    group: opt('--mcast-group') ?? '224.0.0.81',
    port: Number(opt('--mcast-port') ?? 8848),
    ttl: Number(opt('--mcast-ttl') ?? 1),
  };
}

export const NO_KEEPALIVED_CONF: KeepalivedOwnership = {
  services: null,
  reason: 'no keepalived.conf in the memory backend',
};

export class MemoryBackend implements Backend {
  readonly name: string = 'memory';
  services: Service[] = [];
  timeouts: Timeouts = { ...KERNEL_TIMEOUTS };
  daemons: SyncDaemon[] = [];
  owners: string[] = [];
  /** Every argv run, for tests to inspect (never contains -C unless someone asked for it). */
  readonly log: string[][] = [];
  connections = new ConnectionTable();
  delayMs = 0;

  constructor(initial = '') {
    if (initial) this.services = parseSave(initial);
  }

  async check(): Promise<Readiness> {
    return { ok: true };
  }

  async readServices(): Promise<Service[]> {
    return clone(this.services);
  }
  /** Through readServices, so that a subclass's counters and faults apply (a table in memory is cheap to read). */
  async readService(key: ServiceKey): Promise<Service | null> {
    const id = serviceId(key);
    return (await this.readServices()).find((x) => serviceId(serviceKey(x)) === id) ?? null;
  }
  async readPersistConns(): Promise<Listing> {
    return { format: 'persistent', named: false, services: [], problems: [] };
  }
  async readTimeouts() {
    return clone(this.timeouts);
  }
  async readDaemons() {
    return clone(this.daemons);
  }
  ipvsInfo(): IpvsInfo {
    return { ...KERNEL_IPVS };
  }
  async doctorFacts() {
    const { version, connTableSize } = KERNEL_IPVS;
    return memoryHostFacts(clone(this.services), `IP Virtual Server version ${version} (size=${connTableSize})`);
  }
  async readConnections() {
    return this.connections;
  }
  async otherOwners() {
    return [...this.owners];
  }
  /** What keepalivedOwnership answers (the agent asks only while owners holds keepalived). */
  keepalived: KeepalivedOwnership = { ...NO_KEEPALIVED_CONF };
  async keepalivedOwnership() {
    return clone(this.keepalived);
  }
  /** As `ipvsadm -S -n` lists the kernel's table: without the real servers' thresholds, which it never prints. */
  async readSave(): Promise<string> {
    return renderSave(
      this.services.map((s) => ({
        ...s,
        destinations: s.destinations.map(({ upperThreshold: _u, lowerThreshold: _l, ...d }) => d),
      })),
    );
  }

  async run(args: string[]): Promise<CommandResult> {
    this.log.push(args);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const result = (stderr: string, exitCode = 255): CommandResult => ({
      argv: ['ipvsadm', ...args],
      ok: !stderr,
      exitCode: stderr ? exitCode : 0,
      stdout: '',
      stderr,
      durationMs: 0,
      timedOut: false,
    });
    try {
      return result(this.apply(args));
    } catch (e) {
      return result((e as Error).message, 2);
    }
  }

  private find(args: string[]) {
    // Only the key matters here; `-p` keeps a port-0 (all ports) key valid, as it is for the kernel.
    const key = args.filter(
      (a, i) =>
        ['-t', '-u', '--sctp-service', '-f', '-6'].includes(a) ||
        ['-t', '-u', '--sctp-service', '-f'].includes(args[i - 1] ?? ''),
    );
    const line = parseSave(['-A', ...key, '-p', '1'].join(' '))[0] as Service;
    const id = serviceId(serviceKey(line));
    return { id, svc: this.services.find((s) => serviceId(serviceKey(s)) === id) };
  }

  /** Returns the kernel's error text, or '' on success. */
  private apply(args: string[]): string {
    const [cmd, ...rest] = args;
    switch (cmd) {
      case '-A': {
        const s = parseSave(args.join(' '))[0] as Service;
        if (this.find(rest).svc) return 'Service already exists';
        this.services.push(s);
        return '';
      }
      case '-E': {
        const { svc } = this.find(rest);
        if (!svc) return 'No such service';
        const s = parseSave(['-A', ...rest].join(' '))[0] as Service;
        Object.assign(svc, { ...s, destinations: svc.destinations });
        for (const k of ['persistent', 'netmask', 'pe', 'ipv6'] as const) if (s[k] === undefined) delete svc[k];
        return '';
      }
      case '-D': {
        const { id, svc } = this.find(rest);
        if (!svc) return 'No such service';
        this.services = this.services.filter((s) => serviceId(serviceKey(s)) !== id);
        return '';
      }
      case '-a':
      case '-e':
      case '-d': {
        const { svc } = this.find(rest);
        if (!svc) return 'Service not defined';
        // The service line carries the service's own persistence: a port-0 service is valid only with it.
        const keyArgs = [
          ...rest.slice(0, rest.indexOf('-r')),
          ...(svc.persistent === undefined ? [] : ['-p', String(svc.persistent)]),
        ];
        const d = parseSave(
          `-A ${keyArgs.join(' ')}\n-a ${cmd === '-d' ? [...rest, '-m'].join(' ') : rest.join(' ')}`,
        )[0]?.destinations[0];
        if (!d) return 'Invalid real server';
        const i = svc.destinations.findIndex((x) => destinationId(x) === destinationId(d));
        if (cmd === '-a') {
          if (i >= 0) return 'Destination already exists';
          svc.destinations.push(d);
        } else if (i < 0) return 'No such destination';
        else if (cmd === '-e')
          svc.destinations[i] = {
            ...d,
            activeConns: svc.destinations[i]?.activeConns ?? 0,
            inactiveConns: svc.destinations[i]?.inactiveConns ?? 0,
          };
        else svc.destinations.splice(i, 1);
        return '';
      }
      case '--set': {
        const [tcp, tcpfin, udp] = rest.map(Number) as [number, number, number];
        this.timeouts = {
          tcp: tcp || this.timeouts.tcp,
          tcpfin: tcpfin || this.timeouts.tcpfin,
          udp: udp || this.timeouts.udp,
        };
        return '';
      }
      case '-Z':
        for (const s of this.services)
          if (!rest.length || serviceId(serviceKey(s)) === this.find(rest).id) delete s.stats;
        return '';
      case '-C':
        this.services = [];
        return '';
      case '--start-daemon': {
        const opt = (n: string) => (rest.includes(n) ? rest[rest.indexOf(n) + 1] : undefined);
        const state = rest[0] as 'master' | 'backup';
        if (this.daemons.some((d) => d.state === state)) return 'Daemon has already run';
        const dev = opt('--mcast-interface') ?? '';
        const mtu = KERNEL_INTERFACES[dev];
        if (mtu === undefined) return 'No such device';
        this.daemons.push(kernelDaemon(state, dev, mtu, opt));
        return '';
      }
      case '--stop-daemon':
        if (!this.daemons.some((d) => d.state === rest[0])) return 'No daemon is running';
        this.daemons = this.daemons.filter((d) => d.state !== rest[0]);
        return '';
      default:
        throw new Error(`memory backend: unsupported ${cmd}`);
    }
  }
}
