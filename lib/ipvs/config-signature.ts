// The version signature: what decides TableState.version (a new version when the configuration changed). Built
// every tick over the whole table, so each service's part is kept by object and carried over to a fresh object of the
// same configuration.
import { destinationOptionArgs, serviceOptionArgs } from './argv';
import { destinationId, serviceId, serviceKey, type Destination, type Service } from './model';
import { configOf, destConfigOf } from './save-format';
import type { TableState } from './table-state';

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

/** Whether two services hold the same configuration, their identity included: every field configOf and
 * destConfigOf read (save-format.ts), named one by one (a loop over their names cost as much as the signature). The
 * signature test places every field of the model as configuration or state and changes each configuration field, so
 * a field added to the model fails it until it is compared here. */
function sameConfig(a: Service, b: Service): boolean {
  if (
    a.protocol !== b.protocol ||
    a.address !== b.address ||
    a.port !== b.port ||
    a.fwmark !== b.fwmark ||
    a.ipv6 !== b.ipv6 ||
    a.scheduler !== b.scheduler ||
    a.ops !== b.ops ||
    a.persistent !== b.persistent ||
    a.netmask !== b.netmask ||
    a.pe !== b.pe ||
    a.flags.length !== b.flags.length ||
    a.flags.some((f, i) => f !== b.flags[i]) ||
    a.destinations.length !== b.destinations.length
  )
    return false;
  for (let i = 0; i < a.destinations.length; i++) {
    const x = a.destinations[i] as Destination;
    const y = b.destinations[i] as Destination;
    if (
      x.address !== y.address ||
      x.port !== y.port ||
      x.forward !== y.forward ||
      x.weight !== y.weight ||
      x.upperThreshold !== y.upperThreshold ||
      x.lowerThreshold !== y.lowerThreshold ||
      x.tunnelType !== y.tunnelType ||
      x.tunnelPort !== y.tunnelPort ||
      x.tunnelChecksum !== y.tunnelChecksum
    )
      return false;
  }
  return true;
}

/** What decides `version`: every service's and real server's ipvsadm options (what -S -n would print, thresholds
 * included), plus timeouts and daemons. Built without validation: it runs every tick over the whole table. `last`:
 * the services of the table before, in its order: a new object in the place of one of the same configuration, field
 * by field (a table read afresh whose counters moved), takes that one's part unbuilt. */
export function configSignature(
  s: Pick<TableState, 'services' | 'timeouts' | 'daemons'>,
  last: readonly Service[] = [],
): string {
  const parts = s.services.map((svc, i) => {
    const p = last[i];
    const sig = p && !serviceSignatures.has(svc) && serviceSignatures.get(p);
    if (sig && sameConfig(p, svc)) serviceSignatures.set(svc, sig);
    return serviceSignature(svc);
  });
  return JSON.stringify([parts.join('\n'), s.timeouts ?? null, s.daemons]);
}
