// Turning listings into full Service models, and merging the slices the other listings give.
import { ValidationError } from './errors';
import { firstIssue } from './edits';
import type { Listing, ListedService } from './parse-list';
import { Service, destinationId, serviceId, serviceKey } from './model';

/** A plain or --tun-info listing as validated Service models (named listings cannot be: their ports are names). */
export function listingToServices(listing: Listing): Service[] {
  if (listing.format !== 'list' && listing.format !== 'tun-info') {
    throw new ValidationError(
      'format',
      `a ${listing.format} listing lacks schedulers and forwarding; use ipvsadm -Ln or -Ln --tun-info`,
    );
  }
  if (listing.named)
    throw new ValidationError('port', 'the listing has names (ipvsadm -L); use ipvsadm -Ln for a model');
  return listing.services.map((s, i) => {
    const r = Service.safeParse(s);
    if (!r.success) {
      const e = firstIssue(r.error);
      throw new ValidationError(`services[${i}].${e.field}`, e.reason);
    }
    return r.data;
  });
}

/** Copy what a stats/rate/thresholds/persistent/tun-info listing knows into `base` (matched by service and real
 * server identity). Entries the slice lacks keep their values; entries only in the slice are ignored (they appeared
 * between the two reads and the next tick brings them). `only` limits the real servers' fields taken (a slice read
 * earlier than `base` must not bring back its older weight). */
export function mergeListing(base: Service[], slice: Listing, only?: readonly string[]): Service[] {
  const byId = new Map<string, ListedService>();
  for (const s of slice.services) if (typeof s.port !== 'string') byId.set(serviceId(serviceKey(s as Service)), s);
  return base.map((svc) => {
    const other = byId.get(serviceId(serviceKey(svc)));
    if (!other) return svc;
    const dests = new Map(other.destinations.map((d) => [destinationId(d as { address: string; port: number }), d]));
    const merged: Service = { ...svc };
    if (other.stats && !only) merged.stats = other.stats;
    if (other.rate && !only) merged.rate = other.rate;
    merged.destinations = svc.destinations.map((d) => {
      const o = dests.get(destinationId(d));
      if (!o) return d;
      const { address: _a, port: _p, ...fields } = o;
      void _a;
      void _p;
      if (!only) return { ...d, ...fields };
      const picked: Record<string, unknown> = {};
      for (const k of only) if (k in fields) picked[k] = (fields as Record<string, unknown>)[k];
      return { ...d, ...picked };
    });
    return merged;
  });
}

/** How many real servers a table has, over all its services. */
export function countDestinations(services: readonly Service[]): number {
  return services.reduce((n, s) => n + s.destinations.length, 0);
}
