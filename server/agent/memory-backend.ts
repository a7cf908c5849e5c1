// An in-memory IPVS table that answers ipvsadm argv the way the kernel does (same error texts as captured in the
// lab). Used by unit tests and the e2e memory director; SimulatedDirector (simulator/director.ts) extends it.
import {
  ConnectionTable,
  parseSave,
  renderSave,
  serviceId,
  serviceKey,
  destinationId,
  type Listing,
  type Service,
  type SyncDaemon,
  type Timeouts,
} from '../../lib/ipvs';
import type { Backend, CommandResult, Readiness } from './backend';

const clone = <T>(x: T): T => structuredClone(x);

export class MemoryBackend implements Backend {
  readonly name: string = 'memory';
  services: Service[] = [];
  timeouts: Timeouts = { tcp: 900, tcpfin: 120, udp: 300 };
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
  async readPersistConns(): Promise<Listing> {
    return { format: 'persistent', named: false, services: [], problems: [] };
  }
  async readTimeouts() {
    return clone(this.timeouts);
  }
  async readDaemons() {
    return clone(this.daemons);
  }
  async readConnections() {
    return this.connections;
  }
  async otherOwners() {
    return [...this.owners];
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
        const opt = (n: string) => rest[rest.indexOf(n) + 1];
        const state = rest[0] as 'master' | 'backup';
        if (this.daemons.some((d) => d.state === state)) return 'Daemon already running';
        this.daemons.push({
          state,
          mcastInterface: opt('--mcast-interface') ?? '',
          syncId: Number(opt('--syncid') ?? 255),
        });
        return '';
      }
      case '--stop-daemon':
        this.daemons = this.daemons.filter((d) => d.state !== rest[0]);
        return '';
      default:
        throw new Error(`memory backend: unsupported ${cmd}`);
    }
  }
}
