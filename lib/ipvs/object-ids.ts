// Ids of the model's objects, kept per object: tables are never mutated, and a diff or a delta looks the same
// service or real server up several times (a confirmation or an unchanged tick keeps most objects).
import { destinationId, serviceId, serviceKey, type Destination, type Service } from './model';

const serviceIds = new WeakMap<Service, string>();
export function serviceIdOf(s: Service): string {
  let id = serviceIds.get(s);
  if (id === undefined) serviceIds.set(s, (id = serviceId(serviceKey(s))));
  return id;
}

const destinationIds = new WeakMap<Destination, string>();
export function destinationIdOf(d: Destination): string {
  let id = destinationIds.get(d);
  if (id === undefined) destinationIds.set(d, (id = destinationId(d)));
  return id;
}
