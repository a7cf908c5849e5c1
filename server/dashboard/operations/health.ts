// Health checks: one service's or real server's check read and changed on its director's agent (audited like an edit),
// and the live health the hub holds from the agent.
import { ApiError } from '../../../lib/errors';
import type { healthOperations } from '../../../lib/api/operations/health';
import { serviceChecks, withCheck, withServiceOptions, type CheckConfig, type HealthConfig } from '../../../lib/health';
import { destinationId, serviceId } from '../../../lib/ipvs';
import { unwrap } from './directors';
import type { Handlers } from './handler';

/** The target's check in a configuration (null: none). */
function checkOf(config: HealthConfig, sid: string, did: string | undefined): CheckConfig | null {
  const svc = serviceChecks(config, sid);
  if (!svc) return null;
  if (did === undefined) return svc.check ?? null;
  return svc.destinations.find((d) => destinationId(d.destination) === did)?.check ?? null;
}

/** The service's sorry server and quorum in a configuration (null: none). */
function optionsOf(config: HealthConfig, sid: string) {
  const svc = serviceChecks(config, sid);
  return { sorryServer: svc?.sorryServer ?? null, quorum: svc?.quorum ?? null };
}

/** The agent names the field inside its whole configuration (services.3.check.rise): name the request's instead. */
const requestField = (field: string | undefined) => field?.replace(/^services\.\d+\.(destinations\.\d+\.)?/, '');

export const healthHandlers: Handlers<keyof typeof healthOperations> = {
  async 'health:config'({ services }, { director, service }) {
    const got = unwrap(await unwrap(services.directors.find(director)).healthConfig());
    return { config: serviceChecks(got.config, service), error: got.error };
  },

  async 'health:check:set'({ services, actor, via }, { director, service, destination, check }) {
    const link = unwrap(services.directors.find(director));
    const sid = serviceId(service);
    const did = destination && destinationId(destination);
    const target = { service, ...(destination ? { destination } : {}) };
    let id = 0;
    const r = await link.changeHealthConfig((c) => {
      // written once the configuration it changes is read: the row holds the check before and after
      id = services.audit.begin({
        user: actor.user.name,
        source: via === 'rest' ? 'api' : 'ui',
        director,
        operation: 'health-check-config',
        target: did ? `${sid}|${did}` : sid,
        before: checkOf(c, sid, did),
        after: check,
        argv: [],
      });
      return withCheck(c, target, check);
    });
    if (!r.ok) {
      if (id) services.audit.finish(id, { ok: false, error: `${r.error.code}: ${r.error.message}` });
      const field = requestField(r.error.field);
      throw new ApiError(r.error.code, r.error.message, field ? { field } : {});
    }
    services.audit.finish(id, { ok: true, after: checkOf(r.data.after, sid, did) });
    return { config: serviceChecks(r.data.after, sid) };
  },

  async 'health:service:set'({ services, actor, via }, { director, service, sorryServer, quorum }) {
    const link = unwrap(services.directors.find(director));
    const sid = serviceId(service);
    let id = 0;
    const r = await link.changeHealthConfig((c) => {
      id = services.audit.begin({
        user: actor.user.name,
        source: via === 'rest' ? 'api' : 'ui',
        director,
        operation: 'health-service-config',
        target: sid,
        before: optionsOf(c, sid),
        after: { sorryServer, quorum },
        argv: [],
      });
      return withServiceOptions(c, service, { sorryServer, quorum });
    });
    if (!r.ok) {
      if (id) services.audit.finish(id, { ok: false, error: `${r.error.code}: ${r.error.message}` });
      const field = requestField(r.error.field);
      throw new ApiError(r.error.code, r.error.message, field ? { field } : {});
    }
    services.audit.finish(id, { ok: true, after: optionsOf(r.data.after, sid) });
    return { config: serviceChecks(r.data.after, sid) };
  },

  'health:state'({ services }, { director }) {
    const { health } = unwrap(services.directors.find(director));
    return {
      available: health.available,
      rows: [...health.rows.values()],
      configError: health.configError,
      quorum: health.quorum,
    };
  },
};
