// The minimal-diff planner: from the live table and a desired one, the fewest edits that turn one into the other.
// Never a flush, never delete-and-recreate: a service or real server that keeps its identity is edited in place, so it
// keeps its counters and its live connections.
import { destinationOptionArgs, serviceOptionArgs } from './argv';
import type { Edit } from './edits';
import type { Service, ServiceKey } from './model';
import { destinationId, serviceId, serviceKey } from './model';
import { configOf, destConfigOf } from './save-format';

/** Two configs are equal when ipvsadm would be given the same options for them (defaults made explicit). */
const serviceSig = (s: Service) => serviceOptionArgs(configOf(s)).join(' ');
const destSig = (d: Service['destinations'][number]) => destinationOptionArgs(destConfigOf(d)).join(' ');

export function planApply(live: readonly Service[], desired: readonly Service[]): Edit[] {
  const liveById = new Map(live.map((s) => [serviceId(serviceKey(s)), s]));
  const desiredById = new Map(desired.map((s) => [serviceId(serviceKey(s)), s]));
  const addServices: Edit[] = [];
  const editServices: Edit[] = [];
  const addDests: Edit[] = [];
  const editDests: Edit[] = [];
  const deleteDests: Edit[] = [];
  const deleteServices: Edit[] = [];

  for (const [id, want] of desiredById) {
    const key: ServiceKey = serviceKey(want);
    const have = liveById.get(id);
    if (!have) {
      addServices.push({ kind: 'add-service', service: configOf(want) });
      for (const d of want.destinations)
        addServices.push({ kind: 'add-destination', service: key, destination: destConfigOf(d) });
      continue;
    }
    if (serviceSig(have) !== serviceSig(want)) editServices.push({ kind: 'edit-service', service: configOf(want) });
    const haveDests = new Map(have.destinations.map((d) => [destinationId(d), d]));
    const wantDests = new Map(want.destinations.map((d) => [destinationId(d), d]));
    for (const [did, d] of wantDests) {
      const h = haveDests.get(did);
      if (!h) addDests.push({ kind: 'add-destination', service: key, destination: destConfigOf(d) });
      else if (destSig(h) !== destSig(d))
        editDests.push({ kind: 'edit-destination', service: key, destination: destConfigOf(d) });
    }
    for (const [did, h] of haveDests) {
      if (!wantDests.has(did))
        deleteDests.push({
          kind: 'delete-destination',
          service: key,
          destination: { address: h.address, port: h.port },
        });
    }
  }
  for (const [id, have] of liveById) {
    if (!desiredById.has(id)) deleteServices.push({ kind: 'delete-service', service: serviceKey(have) });
  }
  // New capacity first, removals last: a service that changes real servers never passes through having none.
  return [...addServices, ...editServices, ...addDests, ...editDests, ...deleteDests, ...deleteServices];
}

/** The desired table of an import that leaves alone what it does not name (as keepalived leaves the virtual servers
 * of others): `desired`, then the live services it has no service of. */
export function keepingUnnamed(live: readonly Service[], desired: readonly Service[]): Service[] {
  const named = new Set(desired.map((s) => serviceId(serviceKey(s))));
  return [...desired, ...live.filter((s) => !named.has(serviceId(serviceKey(s))))];
}
