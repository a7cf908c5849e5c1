// Directors managed by admins (server/hub/director-registry.ts); each change is an audit row.
import type { fleetOperations } from '../../../lib/api/operations/fleet';
import type { Services } from '../services';
import type { Handlers } from './handler';

function audited<T>(
  services: Services,
  who: { user: string; via: 'rest' | 'socket' },
  what: { director: string; operation: string; before: unknown; after: unknown },
  run: () => T,
): T {
  const id = services.audit.begin({
    user: who.user,
    source: who.via === 'rest' ? 'api' : 'ui',
    target: 'director',
    argv: [],
    ...what,
  });
  try {
    const out = run();
    services.audit.finish(id, { ok: true });
    return out;
  } catch (e) {
    services.audit.finish(id, { ok: false, error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}

/** What the audit keeps of a director's settings: never the token. */
const settings = (d: { url: string; fingerprint?: string | null; ca?: string | null; token?: string }) => ({
  url: d.url,
  ...(d.fingerprint ? { fingerprint: d.fingerprint } : {}),
  ...(d.ca ? { ca: 'PEM' } : {}),
  ...(d.token ? { token: 'set' } : {}),
});

export const fleetHandlers: Handlers<keyof typeof fleetOperations> = {
  'fleet:list': ({ services }) => ({ directors: services.fleet.list() }),

  'fleet:add': ({ services, actor, via }, body) => ({
    director: audited(
      services,
      { user: actor.user.name, via },
      { director: body.name, operation: 'director-add', before: null, after: settings(body) },
      () => services.fleet.add(body, actor.user.name),
    ),
  }),

  'fleet:update'({ services, actor, via }, body) {
    const before = services.fleet.list().find((d) => d.name === body.name);
    return {
      director: audited(
        services,
        { user: actor.user.name, via },
        { director: body.name, operation: 'director-edit', before: before ?? null, after: settings(body) },
        () => services.fleet.update(body),
      ),
    };
  },

  'fleet:remove'({ services, actor, via }, { name }) {
    const before = services.fleet.list().find((d) => d.name === name);
    audited(
      services,
      { user: actor.user.name, via },
      { director: name, operation: 'director-remove', before: before ?? null, after: null },
      () => services.fleet.remove(name),
    );
    return null;
  },
};
