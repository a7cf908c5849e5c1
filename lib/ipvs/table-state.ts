// The live state of one director's table, and the deltas that carry it from agent to hub to browser: a full snapshot
// on subscribe, then patches holding only what changed (never unchanged data).
import { z } from 'zod';
import { ApiError } from '../errors';
import {
  Rate,
  Service,
  Stats,
  SyncDaemon,
  Timeouts,
  destinationId,
  serviceId,
  serviceKey,
  type Destination,
} from './model';
import { destinationOptionArgs, serviceOptionArgs } from './argv';
import { IpvsInfo } from './conn-hash';
import { configOf, destConfigOf } from './save-format';
import {
  DESTINATION_COUNTER_FIELDS,
  SERVICE_COUNTER_FIELDS,
  columnsCanCarry,
  decodeCounters,
  encodeCounters,
  sameDestinationCounters,
  sameServiceCounters,
} from './counter-columns';

/** A line of the kernel's listing the agent could not read (lib/ipvs/parse-error.ts ParseProblem): the rest of the
 * table is live, the director is degraded, and `service` (when known) must not be planned against. */
export const TableProblem = z.object({
  lineNumber: z.number().int().min(0),
  line: z.string().max(1000),
  reason: z.string().max(1000),
  service: z.string().optional(),
});
export type TableProblem = z.infer<typeof TableProblem>;

/** The agent's own kernel changes: its health checks and its drains. */
export const AgentChangeSource = z.enum(['health-check', 'drain']);
export type AgentChangeSource = z.infer<typeof AgentChangeSource>;

export const TableState = z.object({
  /** Chosen by the agent when it starts: its versions count from 1 again after a restart, so a table is identified by
   * (epoch, version), and a delta of another epoch is never applied to this table (the reader reloads it whole). */
  epoch: z.string().min(1).max(64),
  /** Incremented whenever the configuration changes (services, real servers, timeouts, daemons), whoever changed it. */
  version: z.number().int().min(0),
  /** When the agent last read the kernel (ms since epoch). */
  updatedAt: z.number(),
  services: z.array(Service),
  timeouts: Timeouts.optional(),
  daemons: z.array(SyncDaemon),
  /** Other programs that manage this table (keepalived): they overwrite manual edits on their next reload. */
  owners: z.array(z.string()),
  /** While keepalived runs: the services its keepalived.conf defines (serviceId form), which it restores on its next
   * reload or check; null when the agent could not read that file (reason says why). Absent: keepalived not running. */
  keepalived: z.object({ services: z.array(z.string()).nullable(), reason: z.string().optional() }).optional(),
  /** Lines of the kernel's listings that could not be read this tick (absent when every line read). */
  problems: z.array(TableProblem).optional(),
  /** The table of a simulated director (no kernel behind it): every view and export says so. */
  simulated: z.literal(true).optional(),
  /** /proc/net/ip_vs_stats: the director's totals since ip_vs loaded and its rates (absent without a kernel). */
  totals: z.object({ stats: Stats, rate: Rate }).optional(),
  /** The kernel's IPVS version and connection hash table size (absent when the agent could not read them). */
  ipvs: IpvsInfo.optional(),
  /** This version was made by the agent itself (its health checks, a drain's removal when empty), not by an edit
   * from outside: the hub audits those changes from the agent's journal, never as external changes. */
  changedBy: AgentChangeSource.optional(),
});
export type TableState = z.infer<typeof TableState>;
export type KeepalivedOwnership = NonNullable<TableState['keepalived']>;

/** A field set to null in a patch was removed (an optional field such as `persistent` went away). */
type Patch<T> = { [K in keyof T]?: T[K] | null };
export interface DestinationPatch {
  id: string;
  set: Patch<Omit<Destination, 'address' | 'port'>>;
}
export interface ServicePatch {
  id: string;
  set?: Patch<Omit<Service, 'destinations'>>;
  addedDestinations?: Destination[];
  removedDestinations?: string[];
  /** The real servers' ids in the listing's order, when it is not the kept ones in their old order, then the added
   * ones (ipvsadm lists a new real server last, but /proc/net/ip_vs lists it first, and another tool's reload may
   * reorder them). Counter columns follow this order. */
  destinationOrder?: string[];
  changedDestinations?: DestinationPatch[];
}
export interface TableDelta {
  /** The epoch of the table this delta applies to (TableState.epoch). */
  epoch: string;
  version: number;
  updatedAt: number;
  added?: Service[];
  removed?: string[];
  changed?: ServicePatch[];
  timeouts?: Timeouts;
  daemons?: SyncDaemon[];
  owners?: string[];
  /** keepalived's services, when they changed (null: keepalived no longer runs). */
  keepalived?: KeepalivedOwnership | null;
  /** The unreadable lines after this delta, when they changed ([] = none any more). */
  problems?: TableProblem[];
  /** The order of service ids, when it changed (new services are placed as the kernel lists them). */
  order?: string[];
  /** Every counter of the table after this delta, as encodeCounters lays them out, when most of them moved; the
   * patches then leave counters out. */
  counters?: number[];
  /** The director's totals, when they changed. */
  totals?: TableState['totals'];
  /** The IPVS version and hash table size, when they changed. */
  ipvs?: IpvsInfo;
  /** The agent itself made this new version (TableState.changedBy). */
  changedBy?: AgentChangeSource;
}

export interface DiffOptions {
  /** Send counters as columns: when at least this share of the services and real servers have new counters
   * (default 0.25), always (0), or never (Infinity). */
  columnsAt?: number;
}

/** Each service's part of the signature, by object: a table that keeps a service object (the agent's confirmation
 * of an edit replaces one service and keeps the others) does not build its part again. Tables are never mutated. */
const serviceSignatures = new WeakMap<Service, string>();

function serviceSignature(svc: Service): string {
  let sig = serviceSignatures.get(svc);
  if (sig === undefined) {
    const parts = [serviceId(serviceKey(svc)), serviceOptionArgs(configOf(svc)).join(' ')];
    for (const d of svc.destinations) parts.push(destinationId(d), destinationOptionArgs(destConfigOf(d)).join(' '));
    sig = parts.join('\n');
    serviceSignatures.set(svc, sig);
  }
  return sig;
}

/** What decides `version`: every service's and real server's ipvsadm options (what -S -n would print, thresholds
 * included), plus timeouts and daemons. Built without validation: it runs every tick over the whole table. */
export function configSignature(s: Pick<TableState, 'services' | 'timeouts' | 'daemons'>): string {
  return JSON.stringify([s.services.map(serviceSignature).join('\n'), s.timeouts ?? null, s.daemons]);
}

/** Deep equality for the model's plain data (numbers, strings, booleans, arrays, flat objects). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  // counted key by key, not through Object.keys: it compares the counters of every real server each tick
  let keys = 0;
  for (const k in a) {
    if (!same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    keys++;
  }
  for (const _ in b) keys--;
  return keys === 0;
}

function diffFields<T extends object>(prev: T, next: T, skip: readonly string[]): Patch<T> | undefined {
  const a = prev as Record<string, unknown>;
  const b = next as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in b) {
    if (skip.includes(k) || same(a[k], b[k])) continue;
    (out ??= {})[k] = b[k] === undefined ? null : b[k];
  }
  for (const k in a) {
    if (k in b || skip.includes(k) || a[k] === undefined) continue;
    (out ??= {})[k] = null;
  }
  return out as Patch<T> | undefined;
}

function applyFields<T extends object>(target: T, patch: object): T {
  const out = { ...target } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out as T;
}

const serviceIds = new WeakMap<Service, string>();
/** A service's id, by object (a diff looks each one up several times; a confirmation keeps most objects). */
function sid(s: Service): string {
  let id = serviceIds.get(s);
  if (id === undefined) serviceIds.set(s, (id = serviceId(serviceKey(s))));
  return id;
}

const destinationIds = new WeakMap<Destination, string>();
/** A real server's id, by object: a delta looks up the real servers of every service it changes. */
function did(d: Destination): string {
  let id = destinationIds.get(d);
  if (id === undefined) destinationIds.set(d, (id = destinationId(d)));
  return id;
}

/** Each service's place by id, per services array: a delta that keeps the order passes it on to its new array. */
const servicePlaces = new WeakMap<readonly Service[], ReadonlyMap<string, number>>();
function placesOf(services: readonly Service[]): ReadonlyMap<string, number> {
  const places = servicePlaces.get(services) ?? new Map(services.map((s, i) => [sid(s), i]));
  servicePlaces.set(services, places);
  return places;
}

function sameDestinationList(a: readonly Destination[], b: readonly Destination[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Destination;
    const y = b[i] as Destination;
    if (x.address !== y.address || x.port !== y.port) return false;
  }
  return true;
}

/** The share of `next`'s services and real servers whose counters differ from `prev` (new ones count as moved). */
function movedCounterShare(before: Map<string, Service>, next: TableState): number {
  let all = 0;
  let moved = 0;
  for (const s of next.services) {
    const p = before.get(sid(s));
    all += 1 + s.destinations.length;
    if (p === s) continue; // the same object: nothing moved
    if (!p) {
      moved += 1 + s.destinations.length;
      continue;
    }
    if (!sameServiceCounters(p, s)) moved++;
    // Real servers nearly always keep their places: compare by position, look up by id only where they moved.
    let pd: Map<string, Destination> | undefined;
    s.destinations.forEach((d, i) => {
      let old: Destination | undefined = p.destinations[i];
      if (!old || old.address !== d.address || old.port !== d.port) {
        pd ??= new Map(p.destinations.map((x) => [destinationId(x), x]));
        old = pd.get(destinationId(d));
      }
      if (!old || !sameDestinationCounters(old, d)) moved++;
    });
  }
  return all ? moved / all : 0;
}

/** The delta from `prev` to `next`, or null when nothing at all changed. */
export function diffState(prev: TableState, next: TableState, options: DiffOptions = {}): TableDelta | null {
  const delta: TableDelta = { epoch: next.epoch, version: next.version, updatedAt: next.updatedAt };
  const before = new Map(prev.services.map((s) => [sid(s), s]));
  const columnsAt = options.columnsAt ?? 0.25;
  const columns =
    next.services.length > 0 &&
    Number.isFinite(columnsAt) &&
    movedCounterShare(before, next) >= columnsAt &&
    columnsCanCarry(next.services);
  const serviceSkip: readonly string[] = columns ? ['destinations', ...SERVICE_COUNTER_FIELDS] : ['destinations'];
  const destSkip: readonly string[] = columns
    ? ['address', 'port', ...DESTINATION_COUNTER_FIELDS]
    : ['address', 'port'];
  const after = new Map(next.services.map((s) => [sid(s), s]));
  const added = next.services.filter((s) => !before.has(sid(s)));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed: ServicePatch[] = [];
  for (const [id, s] of after) {
    const p = before.get(id);
    if (!p || p === s) continue;
    const patch: ServicePatch = { id };
    const set = diffFields(p, s, serviceSkip);
    if (set) patch.set = set;
    const changedD: DestinationPatch[] = [];
    if (sameDestinationList(p.destinations, s.destinations)) {
      // the usual tick: the same real servers in the same places, no id maps needed
      s.destinations.forEach((d, j) => {
        const f = diffFields(p.destinations[j] as Destination, d, destSkip);
        if (f) changedD.push({ id: destinationId(d), set: f });
      });
    } else {
      const pd = new Map(p.destinations.map((d) => [destinationId(d), d]));
      const nd = new Map(s.destinations.map((d) => [destinationId(d), d]));
      const addedD = s.destinations.filter((d) => !pd.has(destinationId(d)));
      const removedD = [...pd.keys()].filter((k) => !nd.has(k));
      for (const [did, d] of nd) {
        const old = pd.get(did);
        const f = old && diffFields(old, d, destSkip);
        if (f) changedD.push({ id: did, set: f });
      }
      if (addedD.length) patch.addedDestinations = addedD;
      if (removedD.length) patch.removedDestinations = removedD;
      const applied = [...[...pd.keys()].filter((k) => nd.has(k)), ...addedD.map((d) => destinationId(d))];
      const order = [...nd.keys()];
      if (!same(applied, order)) patch.destinationOrder = order;
    }
    if (changedD.length) patch.changedDestinations = changedD;
    if (Object.keys(patch).length > 1) changed.push(patch);
  }
  if (added.length) delta.added = added;
  if (removed.length) delta.removed = removed;
  if (changed.length) delta.changed = changed;
  if (!same(prev.timeouts, next.timeouts) && next.timeouts) delta.timeouts = next.timeouts;
  if (!same(prev.daemons, next.daemons)) delta.daemons = next.daemons;
  if (!same(prev.owners, next.owners)) delta.owners = next.owners;
  if (!same(prev.keepalived, next.keepalived)) delta.keepalived = next.keepalived ?? null;
  if (!same(prev.problems ?? [], next.problems ?? [])) delta.problems = next.problems ?? [];
  if (next.totals && !same(prev.totals, next.totals)) delta.totals = next.totals;
  if (next.ipvs && !same(prev.ipvs, next.ipvs)) delta.ipvs = next.ipvs;
  if (next.changedBy && next.version !== prev.version) delta.changedBy = next.changedBy;
  const order = next.services.map(sid);
  const keptOrder = prev.services.map(sid).filter((id) => after.has(id));
  const nextWithoutAdded = order.filter((id) => before.has(id));
  if (added.length || !same(keptOrder, nextWithoutAdded)) delta.order = order;
  if (columns) delta.counters = encodeCounters(next.services);
  const content = Object.keys(delta).filter((k) => k !== 'updatedAt' && k !== 'version' && k !== 'epoch');
  if (!content.length && prev.version === next.version && prev.epoch === next.epoch) return null;
  return delta;
}

function patchedService(s: Service, patch: ServicePatch): Service {
  const next = patch.set ? applyFields(s, patch.set) : { ...s };
  const removed = patch.removedDestinations;
  let dests = removed?.length ? s.destinations.filter((d) => !removed.includes(did(d))) : s.destinations;
  if (patch.changedDestinations) {
    const changes = new Map(patch.changedDestinations.map((c) => [c.id, c.set]));
    dests = dests.map((d) => {
      const c = changes.get(did(d));
      return c ? applyFields(d, c) : d;
    });
  }
  next.destinations = [...dests, ...(patch.addedDestinations ?? [])];
  if (patch.destinationOrder) {
    const byDest = new Map(next.destinations.map((d) => [did(d), d]));
    next.destinations = patch.destinationOrder.map((id) => {
      const d = byDest.get(id);
      if (!d) throw new Error(`delta orders unknown real server ${id} of ${patch.id}`);
      return d;
    });
  }
  return next;
}

/** The services of a delta that keeps them all in their places: each changed one replaced where it stands. */
function patchedServices(prev: TableState, delta: TableDelta): Service[] {
  const places = placesOf(prev.services);
  const services = prev.services.slice();
  for (const patch of delta.changed ?? []) {
    const i = places.get(patch.id);
    if (i === undefined) throw new Error(`delta changes unknown service ${patch.id}`);
    services[i] = patchedService(services[i] as Service, patch);
  }
  servicePlaces.set(services, places);
  return services;
}

function reshapedServices(prev: TableState, delta: TableDelta): Service[] {
  const byId = new Map(prev.services.map((s) => [sid(s), s]));
  for (const id of delta.removed ?? []) byId.delete(id);
  for (const patch of delta.changed ?? []) {
    const s = byId.get(patch.id);
    if (!s) throw new Error(`delta changes unknown service ${patch.id}`);
    byId.set(patch.id, patchedService(s, patch));
  }
  for (const s of delta.added ?? []) byId.set(sid(s), s);
  const order = delta.order ?? prev.services.map(sid).filter((id) => byId.has(id));
  return order.map((id) => {
    const s = byId.get(id);
    if (!s) throw new Error(`delta orders unknown service ${id}`);
    return s;
  });
}

/** Apply a delta to a state (pure): `applyDelta(prev, diffState(prev, next))` equals `next`. Throws on a delta of
 * another agent run (a `conflict` ApiError: read the table again, whole) or one that names what the table does not hold. */
export function applyDelta(prev: TableState, delta: TableDelta): TableState {
  if (delta.epoch !== prev.epoch) {
    const why = `delta of table epoch ${delta.epoch} cannot apply to a table of epoch ${prev.epoch}: the agent restarted`;
    throw new ApiError('conflict', why);
  }
  const services = (delta.removed || delta.added || delta.order ? reshapedServices : patchedServices)(prev, delta);
  const problems = delta.problems ?? prev.problems ?? [];
  const totals = delta.totals ?? prev.totals;
  const ipvs = delta.ipvs ?? prev.ipvs;
  const keepalived = delta.keepalived === undefined ? prev.keepalived : delta.keepalived;
  // it names the version that change made: kept while the version holds
  const changedBy = delta.version === prev.version ? prev.changedBy : delta.changedBy;
  return {
    epoch: prev.epoch,
    version: delta.version,
    updatedAt: delta.updatedAt,
    services: delta.counters ? decodeCounters(services, delta.counters) : services,
    timeouts: delta.timeouts ?? prev.timeouts,
    daemons: delta.daemons ?? prev.daemons,
    owners: delta.owners ?? prev.owners,
    ...(keepalived ? { keepalived } : {}),
    ...(problems.length ? { problems } : {}),
    ...(prev.simulated ? { simulated: true as const } : {}),
    ...(totals ? { totals } : {}),
    ...(ipvs ? { ipvs } : {}),
    ...(changedBy ? { changedBy } : {}),
  };
}
