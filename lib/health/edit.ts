// One check changed in the agent's checks configuration: a service's own check, or one real server's, set or removed;
// or a service's sorry server and quorum.
// The dashboard reads the whole configuration, changes one check with this and sends it back, so a form that shows one
// service never touches another service's checks, sorry server or quorum.
import { destinationId, serviceId, type ServiceKey } from '../ipvs/model';
import type { DestinationConfig } from '../ipvs/edits';
import type { CheckConfig, HealthConfig, HealthConfigInput, QuorumConfig, ServiceHealthConfig } from './config';

export interface CheckTarget {
  service: ServiceKey;
  /** A real server's own check; absent: the service's check (for every real server without one of its own). */
  destination?: { address: string; port: number };
}

/** The configuration of one service (by serviceId), or null when it has no checks. */
export function serviceChecks(config: HealthConfig, sid: string): ServiceHealthConfig | null {
  return config.services.find((s) => serviceId(s.service) === sid) ?? null;
}

/** `config` with the target's check replaced by `check` (null: removed). A service left with no check, sorry server
 * or quorum leaves the configuration. */
export function withCheck(config: HealthConfig, target: CheckTarget, check: CheckConfig | null): HealthConfigInput {
  const sid = serviceId(target.service);
  const at = config.services.findIndex((s) => serviceId(s.service) === sid);
  const before: ServiceHealthConfig = config.services[at] ?? { service: target.service, destinations: [] };
  let next: ServiceHealthConfig;
  if (target.destination) {
    const did = destinationId(target.destination);
    const others = before.destinations.filter((d) => destinationId(d.destination) !== did);
    const mine = check
      ? [{ destination: { address: target.destination.address, port: target.destination.port }, check }]
      : [];
    next = { ...before, destinations: [...others, ...mine] };
  } else {
    const { check: _old, ...rest } = before;
    next = check ? { ...rest, check } : rest;
  }
  return replaced(config, at, next);
}

/** `config` with the service's sorry server and quorum replaced (null: none); its checks stay as they are. */
export function withServiceOptions(
  config: HealthConfig,
  service: ServiceKey,
  options: { sorryServer: DestinationConfig | null; quorum: QuorumConfig | null },
): HealthConfigInput {
  const sid = serviceId(service);
  const at = config.services.findIndex((s) => serviceId(s.service) === sid);
  const before: ServiceHealthConfig = config.services[at] ?? { service, destinations: [] };
  const { sorryServer: _s, quorum: _q, ...rest } = before;
  return replaced(config, at, {
    ...rest,
    ...(options.sorryServer ? { sorryServer: options.sorryServer } : {}),
    ...(options.quorum ? { quorum: options.quorum } : {}),
  });
}

/** `config` with service `at` (-1: a new one) replaced by `next`; a service left with nothing leaves the file. */
function replaced(config: HealthConfig, at: number, next: ServiceHealthConfig): HealthConfigInput {
  const empty = !next.check && next.destinations.length === 0 && !next.sorryServer && !next.quorum;
  const services = config.services.filter((_, i) => i !== at);
  if (empty) return { services };
  if (at < 0) return { services: [...services, next] };
  return { services: config.services.map((s, i) => (i === at ? next : s)) };
}
