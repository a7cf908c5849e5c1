// Turning listings into full Service models, and merging the slices the other listings give.
import { invalidField, invalidInput, underField } from '../errors';
import type { ParseProblem } from './parse-error';
import type { Listing, ListedDestination, ListedService } from './parse-list';
import { Service, destinationId, serviceId, serviceKey, type Destination } from './model';

/** A plain or --tun-info listing as validated Service models (named listings cannot be: their ports are names). */
export function listingToServices(listing: Listing): Service[] {
  if (listing.format !== 'list' && listing.format !== 'tun-info') {
    throw invalidField(
      'format',
      `a ${listing.format} listing lacks schedulers and forwarding; use ipvsadm -Ln or -Ln --tun-info`,
    );
  }
  if (listing.named) throw invalidField('port', 'the listing has names (ipvsadm -L); use ipvsadm -Ln for a model');
  return listing.services.map((s, i) => {
    const r = Service.safeParse(s);
    if (!r.success) {
      throw underField(invalidInput(r.error, { where: '(root)', prefix: true }), (field) => `services[${i}].${field}`);
    }
    return r.data;
  });
}

/** A lenient listing (parseListing with `lenient`) as the services that read and validate, and the problems of the
 * rest: a service the model refuses becomes a problem naming it, not a failed read. */
export function listingToTable(listing: Listing): { services: Service[]; problems: ParseProblem[] } {
  if (listing.format !== 'list' && listing.format !== 'tun-info')
    return { services: listingToServices(listing), problems: [] };
  const services: Service[] = [];
  const problems = [...listing.problems];
  for (const s of listing.services) {
    const r = Service.safeParse(s);
    if (r.success) {
      services.push(r.data);
      continue;
    }
    const e = invalidInput(r.error, { where: '(root)', prefix: true });
    const id =
      typeof s.port === 'string' ? `${s.protocol}/${s.address ?? ''}:${s.port}` : serviceId(serviceKey(s as Service));
    problems.push({ lineNumber: 0, line: id, reason: e.message, service: id });
  }
  return { services, problems };
}

/** Copy what a stats/rate/thresholds/persistent/tun-info listing knows into `base` (matched by service and real
 * server identity). Entries the slice lacks keep their values; entries only in the slice are ignored (they appeared
 * between the two reads and the next tick brings them). `only` limits the real servers' fields taken (a slice read
 * earlier than `base` must not bring back its older weight). */
export function mergeListing(base: Service[], slice: Listing, only?: readonly string[]): Service[] {
  // Two listings of one tick nearly always list the same services and real servers in the same order: match by
  // position, and build the id maps only for what moved (at 1,000 x 10 this runs three times per tick).
  let byId: Map<string, ListedService> | undefined;
  const serviceAt = (svc: Service, i: number): ListedService | undefined => {
    const o = slice.services[i];
    if (
      o &&
      o.protocol === svc.protocol &&
      o.address === svc.address &&
      o.port === svc.port &&
      o.fwmark === svc.fwmark &&
      o.ipv6 === svc.ipv6
    ) {
      return o;
    }
    if (!byId) {
      byId = new Map();
      for (const s of slice.services) if (typeof s.port !== 'string') byId.set(serviceId(serviceKey(s as Service)), s);
    }
    return byId.get(serviceId(serviceKey(svc)));
  };
  return base.map((svc, i) => {
    const other = serviceAt(svc, i);
    if (!other) return svc;
    let dests: Map<string, ListedDestination> | undefined;
    const destAt = (d: Destination, j: number): ListedDestination | undefined => {
      const o = other.destinations[j];
      if (o && o.address === d.address && o.port === d.port) return o;
      dests ??= new Map(other.destinations.map((x) => [destinationId(x as { address: string; port: number }), x]));
      return dests.get(destinationId(d));
    };
    const merged: Service = { ...svc };
    if (other.stats && !only) merged.stats = other.stats;
    if (other.rate && !only) merged.rate = other.rate;
    let kept = merged.stats === svc.stats && merged.rate === svc.rate;
    merged.destinations = svc.destinations.map((d, j) => {
      const o = destAt(d, j);
      if (!o) return d;
      const keys = only ?? Object.keys(o);
      const from = o as Record<string, unknown>;
      const taken = (k: string) => k !== 'address' && k !== 'port' && k in o;
      // what it already holds (a slice of an earlier tick, merged every tick): the same object, so that a table that
      // keeps its objects from tick to tick keeps them through the merge too
      if (keys.every((k) => !taken(k) || (k in d && (d as Record<string, unknown>)[k] === from[k]))) return d;
      kept = false;
      const out: Record<string, unknown> = { ...d };
      for (const k of keys) if (taken(k)) out[k] = from[k];
      return out as Destination;
    });
    return kept ? svc : merged;
  });
}

/** How many real servers a table has, over all its services. */
export function countDestinations(services: readonly Service[]): number {
  return services.reduce((n, s) => n + s.destinations.length, 0);
}
