// A delta applied to the table it was made against (the hub's and the browser's copies of a director's table): the
// services it leaves untouched stay the same objects, so whatever is kept per object (ids, signatures, rows drawn)
// carries over.
import { ApiError } from '../errors';
import { decodeCounters } from './counter-columns';
import type { Service } from './model';
import { destinationIdOf, serviceIdOf } from './object-ids';
import type { ServicePatch, TableDelta, TableState } from './table-state';

function applyFields<T extends object>(target: T, patch: object): T {
  const out = { ...target } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out as T;
}

/** Each service's place by id, per services array: a delta that keeps the order passes it on to its new array. */
const servicePlaces = new WeakMap<readonly Service[], ReadonlyMap<string, number>>();
function placesOf(services: readonly Service[]): ReadonlyMap<string, number> {
  const places = servicePlaces.get(services) ?? new Map(services.map((s, i) => [serviceIdOf(s), i]));
  servicePlaces.set(services, places);
  return places;
}

function patchedService(s: Service, patch: ServicePatch): Service {
  const next = patch.set ? applyFields(s, patch.set) : { ...s };
  const removed = patch.removedDestinations;
  let dests = removed?.length ? s.destinations.filter((d) => !removed.includes(destinationIdOf(d))) : s.destinations;
  if (patch.changedDestinations) {
    const changes = new Map(patch.changedDestinations.map((c) => [c.id, c.set]));
    dests = dests.map((d) => {
      const c = changes.get(destinationIdOf(d));
      return c ? applyFields(d, c) : d;
    });
  }
  next.destinations = [...dests, ...(patch.addedDestinations ?? [])];
  if (patch.destinationOrder) {
    const byDest = new Map(next.destinations.map((d) => [destinationIdOf(d), d]));
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
  const byId = new Map(prev.services.map((s) => [serviceIdOf(s), s]));
  for (const id of delta.removed ?? []) byId.delete(id);
  for (const patch of delta.changed ?? []) {
    const s = byId.get(patch.id);
    if (!s) throw new Error(`delta changes unknown service ${patch.id}`);
    byId.set(patch.id, patchedService(s, patch));
  }
  for (const s of delta.added ?? []) byId.set(serviceIdOf(s), s);
  const order = delta.order ?? prev.services.map(serviceIdOf).filter((id) => byId.has(id));
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
