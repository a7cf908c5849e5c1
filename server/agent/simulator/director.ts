// The simulated director: an in-memory IPVS behind the same Backend as the kernel. It answers ipvsadm argv like the
// kernel (MemoryBackend), schedules every new connection with the kernel's algorithm for the service, keeps
// persistence templates, ages connections through the kernel's states and timeouts, and counts per real server,
// driven by a synthetic client load. `npm start` runs one when no director is configured; tests drive it directly.
import {
  destinationId,
  fwmarkAddresses,
  serviceId,
  serviceKey,
  type ConnectionTable,
  type Destination,
  type Listing,
  type Service,
} from '../../../lib/ipvs';
import type { CommandResult } from '../backend';
import { MemoryBackend } from '../memory-backend';
import { foldAddress, maskAddress } from './addr';
import { connState, renderConnections, type ConnProtocol, type SimConn, type Template } from './connections';
import { countConnection, updateRates, zero, type Counters } from './counters';
import { ListedTable } from './listing';
import { clientAddress, DEFAULT_LOAD, LoadSettings, seededRandom } from './load';
import { createScheduler, SIMULATED_SCHEDULERS, type SchedDest, type Scheduler } from './schedulers';

export interface DestState extends SchedDest {
  serviceId: string;
  address: string;
  port: number;
  forward: string;
  upper: number;
  lower: number;
  persistConns: number;
  stats: Counters;
  rate: Counters;
  last: Counters;
}

interface ServiceSim {
  scheduler: Scheduler | undefined;
  config: string;
  /** The real servers in the kernel's list order: the newest first. */
  order: DestState[];
  byId: Map<string, DestState>;
}

export interface SimulatorOptions {
  seed?: string;
  now?: () => number;
  randomSeed?: number;
  load?: Partial<LoadSettings>;
  /** Keep about this many entries in the connection table (long-lived connections top it up). */
  conns?: number;
  /** Where each fwmark service's traffic is addressed (the firewall rule that marks it). */
  fwmarkTargets?: Record<number, { address: string; ports: number[] }>;
}

export interface NewConnection {
  client: string;
  clientPort: number;
  /** The packet's destination; defaults to the service's address and port (a fwmark service: its first target). */
  virtual?: string;
  virtualPort?: number;
  /** How long the client keeps the connection open before closing it (ms). */
  holdMs: number;
}

/** Reads closer together than this see the same moment of the simulation. */
const MIN_TICK_MS = 100;

export class SimulatedDirector extends MemoryBackend {
  override readonly name = 'simulated';
  readonly simulated = true;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly sims = new Map<string, ServiceSim>();
  private readonly byId = new Map<string, Service>();
  /** Each real server of the table (by object: rebuilt on every change) and its simulated state. */
  private stateOf = new Map<Destination, DestState>();
  private readonly listing = new ListedTable();
  private conns: SimConn[] = [];
  private readonly templates = new Map<string, Template>();
  private readonly fwmarkTargets: Record<number, { address: string; ports: number[] }>;
  private readonly targetConns: number;
  private last: number;
  private carry = 0;
  load: LoadSettings;

  constructor(opts: SimulatorOptions = {}) {
    super(opts.seed ?? '');
    this.now = opts.now ?? Date.now;
    this.random = seededRandom(opts.randomSeed ?? 1);
    this.load = LoadSettings.parse({ ...DEFAULT_LOAD, ...opts.load });
    this.fwmarkTargets = opts.fwmarkTargets ?? {};
    this.targetConns = opts.conns ?? 0;
    this.last = this.now();
    this.sync();
    this.fill(this.targetConns);
  }

  /** Change the synthetic load (validated: a bad field is refused with its name and reason). */
  setLoad(change: Partial<LoadSettings>): LoadSettings {
    this.load = LoadSettings.parse({ ...this.load, ...change });
    return this.load;
  }

  /** The real servers of a service in the kernel's order, with their live counts. */
  destinations(id: string): readonly DestState[] {
    return this.sims.get(id)?.order ?? [];
  }

  /** A client opens a connection to a service: the service's scheduler (or a persistence template) picks the real
   * server, as the kernel would for that first packet. Returns the real server, or the reason there is none. */
  connect(id: string, c: NewConnection): DestState | string {
    const svc = this.byId.get(id);
    const sim = this.sims.get(id);
    if (!svc || !sim) return `no service ${id}`;
    if (!sim.scheduler) return `scheduler ${svc.scheduler} is not simulated`;
    const now = this.now();
    const fallback = svc.fwmark !== undefined ? this.fwmarkTargets[svc.fwmark] : undefined;
    // a fwmark service whose marked traffic is not known: the mark's address, of the service's family
    const family = svc.ipv6 ? 1 : 0;
    const virtual = c.virtual ?? svc.address ?? fallback?.address ?? fwmarkAddresses(svc.fwmark ?? 0)[family] ?? '';
    const virtualPort = c.virtualPort ?? (svc.port || fallback?.ports[0] || 80);
    const tplKey = svc.persistent === undefined ? undefined : `${id}|${maskAddress(c.client, svc.netmask)}`;
    let tpl = tplKey === undefined ? undefined : this.templates.get(tplKey);
    let dest = tpl ? sim.byId.get(tpl.destKey) : undefined;
    if (!dest) {
      tpl = undefined;
      dest = sim.scheduler.pick(sim.order, {
        client: foldAddress(c.client),
        clientPort: c.clientPort,
        virtual: foldAddress(virtual),
      }) as DestState | undefined;
      if (!dest) return 'no real server available';
    }
    if (tplKey !== undefined && svc.persistent !== undefined) {
      const timeoutMs = svc.persistent * 1000;
      const allPorts = svc.fwmark !== undefined || svc.port === 0;
      tpl ??= {
        key: tplKey,
        serviceId: id,
        destKey: dest.id,
        protocol: svc.protocol === 'fwmark' ? 'ip' : svc.protocol,
        client: maskAddress(c.client, svc.netmask),
        virtual: svc.fwmark !== undefined ? (fwmarkAddresses(svc.fwmark)[family] ?? '') : virtual,
        virtualPort: allPorts ? 0 : virtualPort,
        dest: dest.address,
        destPort: allPorts ? 0 : dest.port,
        timeoutMs,
        expireAt: 0,
        controlled: 0,
      };
      tpl.expireAt = now + timeoutMs;
      tpl.controlled++;
      this.templates.set(tplKey, tpl);
    }
    const protocol: ConnProtocol = svc.protocol === 'fwmark' ? 'tcp' : svc.protocol;
    this.conns.push({
      serviceId: id,
      destKey: dest.id,
      protocol,
      client: c.client,
      clientPort: c.clientPort,
      virtual,
      virtualPort,
      dest: dest.address,
      destPort: dest.port || virtualPort,
      start: now,
      closeAt: now + c.holdMs,
      closing: dest.forward === 'masq' ? 'TIME_WAIT' : 'FIN_WAIT',
      ...(tpl ? { template: tpl } : {}),
    });
    if (protocol === 'udp') dest.inactiveConns++;
    else dest.activeConns++;
    countConnection(dest, protocol, this.random);
    this.checkOverload(dest);
    return dest;
  }

  /** Bring the simulation to now: expire entries and templates, recount, run the synthetic load, update rates. */
  tick(): void {
    const now = this.now();
    // The agent reads several listings per poll and after each edit: one pass over a large table serves them all.
    if (now - this.last < MIN_TICK_MS) return;
    const dt = now - this.last;
    this.last = now;
    this.expire(now);
    const live = this.conns.length;
    this.carry += (this.load.rate * dt) / 1000;
    const arrivals = Math.floor(this.carry);
    this.carry -= arrivals;
    this.arrive(arrivals, false);
    // A director asked to hold N entries gets long-lived connections to make up the ones that closed.
    if (this.targetConns > live) this.arrive(Math.min(20_000, this.targetConns - live), true);
    for (const sim of this.sims.values()) updateRates(sim.order, dt);
  }

  /** Listed in one pass, unmoved services as the last read's objects (cloning the whole table was most of a tick at
   * 100,000 real servers): listing.ts. */
  override async readServices(): Promise<Service[]> {
    this.tick();
    return this.services.map((svc) => {
      const sim = this.sims.get(serviceId(serviceKey(svc)));
      return this.listing.list(svc, (d) => this.stateOf.get(d) ?? sim?.byId.get(destinationId(d)));
    });
  }

  override async readPersistConns(): Promise<Listing> {
    return { format: 'persistent', named: false, services: await this.readServices(), problems: [] };
  }

  override async readConnections(): Promise<ConnectionTable> {
    this.tick();
    return renderConnections(this.conns, this.templates.values(), this.now(), this.timeouts);
  }

  override async run(args: string[]): Promise<CommandResult> {
    const sched = args[args.indexOf('-s') + 1];
    if (
      (args[0] === '-A' || args[0] === '-E') &&
      args.includes('-s') &&
      sched &&
      !SIMULATED_SCHEDULERS.includes(sched)
    ) {
      this.log.push(args);
      return {
        argv: ['ipvsadm', ...args],
        ok: false,
        exitCode: 2,
        stdout: '',
        stderr: 'Scheduler or persistence engine not found',
        durationMs: 0,
        timedOut: false,
      };
    }
    const result = await super.run(args);
    if (result.ok && args[0] === '-Z') this.zeroCounters();
    if (result.ok) this.sync();
    return result;
  }

  /** Follow the table after an edit: new, changed and removed services and real servers reach the schedulers. */
  protected sync(): void {
    this.byId.clear();
    this.stateOf = new Map();
    this.listing.clear();
    for (const svc of this.services) {
      const id = serviceId(serviceKey(svc));
      this.byId.set(id, svc);
      const config = `${svc.scheduler} ${svc.flags.join(',')}`;
      let sim = this.sims.get(id);
      if (!sim) {
        sim = { scheduler: undefined, config: '', order: [], byId: new Map() };
        this.sims.set(id, sim);
      }
      const ids = new Set(svc.destinations.map(destinationId));
      const gone = sim.order.filter((d) => !ids.has(d.id));
      for (const d of gone) {
        const index = sim.order.indexOf(d);
        sim.order.splice(index, 1);
        sim.byId.delete(d.id);
        sim.scheduler?.changed(sim.order, { kind: 'del', id: d.id, index });
      }
      // The kernel adds each real server at the head of its list: a seed's first one ends up last.
      for (const d of svc.destinations) {
        const did = destinationId(d);
        let st = sim.byId.get(did);
        if (!st) {
          st = {
            id: did,
            serviceId: id,
            address: d.address,
            port: d.port,
            forward: d.forward,
            weight: d.weight,
            lastWeight: d.weight,
            upper: d.upperThreshold ?? 0,
            lower: d.lowerThreshold ?? 0,
            activeConns: 0,
            inactiveConns: 0,
            overloaded: false,
            persistConns: 0,
            stats: zero(),
            rate: zero(),
            last: zero(),
          };
          sim.order.unshift(st);
          sim.byId.set(did, st);
          this.stateOf.set(d, st);
          sim.scheduler?.changed(sim.order, { kind: 'add', id: did });
          continue;
        }
        this.stateOf.set(d, st);
        if (
          st.weight !== d.weight ||
          st.upper !== (d.upperThreshold ?? 0) ||
          st.lower !== (d.lowerThreshold ?? 0) ||
          st.forward !== d.forward
        ) {
          if (d.weight !== 0) st.lastWeight = d.weight;
          Object.assign(st, { weight: d.weight, forward: d.forward });
          [st.upper, st.lower] = [d.upperThreshold ?? 0, d.lowerThreshold ?? 0];
          this.checkOverload(st);
          sim.scheduler?.changed(sim.order, { kind: 'upd', id: did });
        }
      }
      if (sim.config !== config || !sim.scheduler) {
        sim.config = config;
        sim.scheduler = createScheduler(svc.scheduler, sim.order, svc.flags);
      }
    }
    for (const id of [...this.sims.keys()]) if (!this.byId.has(id)) this.sims.delete(id);
    // Entries of a removed service or real server leave with it (the kernel lets them run out unbound).
    const alive = (sid: string, key: string) => this.sims.get(sid)?.byId.has(key) ?? false;
    this.conns = this.conns.filter((c) => alive(c.serviceId, c.destKey));
    for (const [k, t] of this.templates) if (!alive(t.serviceId, t.destKey)) this.templates.delete(k);
  }

  private expire(now: number): void {
    for (const sim of this.sims.values())
      for (const d of sim.order) [d.activeConns, d.inactiveConns, d.persistConns] = [0, 0, 0];
    const kept: SimConn[] = [];
    for (const c of this.conns) {
      const s = connState(c, now, this.timeouts);
      if (!s) {
        if (c.template) c.template.controlled--;
        continue;
      }
      kept.push(c);
      const d = this.sims.get(c.serviceId)?.byId.get(c.destKey);
      if (d) d[s.active ? 'activeConns' : 'inactiveConns']++;
    }
    this.conns = kept;
    for (const [k, t] of this.templates) {
      // A template that runs out while its connections are still open starts over (the kernel re-arms its timer).
      while (t.expireAt <= now && t.controlled > 0) t.expireAt += t.timeoutMs;
      if (t.expireAt <= now) this.templates.delete(k);
      else {
        const d = this.sims.get(t.serviceId)?.byId.get(t.destKey);
        if (d) d.persistConns++;
      }
    }
    for (const sim of this.sims.values()) for (const d of sim.order) this.checkOverload(d);
  }

  /** The upper threshold sets the overload flag; it clears under the lower one (or 3/4 of the upper when none). */
  private checkOverload(d: DestState): void {
    const total = d.activeConns + d.inactiveConns;
    if (d.upper > 0 && total >= d.upper) d.overloaded = true;
    else if (d.overloaded) d.overloaded = d.lower > 0 ? total >= d.lower : d.upper > 0 && total * 4 >= d.upper * 3;
  }

  private zeroCounters(): void {
    for (const sim of this.sims.values())
      for (const d of sim.order) [d.stats, d.last, d.rate] = [zero(), zero(), zero()];
  }

  /** `n` new connections from the synthetic clients, spread over the services by the load's mix. */
  private arrive(n: number, longLived: boolean): void {
    const weighted = [...this.byId.entries()].map(([id, s]) => ({
      id,
      s,
      w: s.destinations.length ? (this.load.mix[id] ?? 1) : 0,
    }));
    const sum = weighted.reduce((a, x) => a + x.w, 0);
    if (sum <= 0) return;
    for (let i = 0; i < n; i++) {
      let r = this.random() * sum;
      const pick = weighted.find((x) => (r -= x.w) < 0) ?? weighted[weighted.length - 1];
      if (!pick) return;
      const v6 = pick.s.ipv6 === true || (pick.s.address ?? '').includes(':');
      const target = pick.s.fwmark !== undefined ? this.fwmarkTargets[pick.s.fwmark] : undefined;
      const ports = target?.ports ?? (pick.s.port === 0 ? [80, 443] : []);
      const long = longLived || this.random() < this.load.longLived;
      this.connect(pick.id, {
        client: clientAddress(Math.floor(this.random() * this.load.clients), v6),
        clientPort: 1024 + Math.floor(this.random() * 64511),
        ...(target ? { virtual: target.address } : {}),
        ...(ports.length ? { virtualPort: ports[Math.floor(this.random() * ports.length)] } : {}),
        holdMs: long ? 30_000 + this.random() * 570_000 : 50 + this.random() * 3000,
      });
    }
  }

  /** Start with a table already holding about `n` entries of various ages, as a director that has been running. */
  private fill(n: number): void {
    this.arrive(n, true);
  }
}
