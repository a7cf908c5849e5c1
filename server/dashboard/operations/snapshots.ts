// Saved snapshots, import preview (diff + plan against the live table) and apply, restore (rollback).
import type { ApplyResult, Snapshot } from '../../../lib/api/contracts';
import { ApiError } from '../../../lib/errors';
import type { snapshotOperations } from '../../../lib/api/operations/snapshots';
import type { Identity } from '../http/session-cookie';
import type { HealthConfig } from '../../../lib/health';
import { countDestinations, renderSave, serviceId, type Service } from '../../../lib/ipvs';
import type { ImportedTable } from '../../hub/imports/rules';
import type { Services } from '../services';
import { exportFile, liveState, unwrap } from './directors';
import { JsonText, type Handlers } from './handler';

/** The preview's TableDiff, as the JSON text the worker wrote. */
const previewOf = async (services: Services, text: string, live: readonly Service[]) =>
  new JsonText(await services.imports.previewJson(text, live));

function snapshotOf(services: Services, id: number): Snapshot {
  const s = services.snapshots.get(id);
  if (!s) throw new ApiError('not_found', `no snapshot ${id}`, { field: 'id' });
  return s;
}

async function apply(
  services: Services,
  actor: Identity,
  director: string,
  desired: ImportedTable,
  reason: string,
  keepOthers = false,
): Promise<ApplyResult> {
  const user = actor.user.name;
  return unwrap(
    await services.changes.apply({ user, source: 'restore' }, director, desired, {
      reason,
      keepOthers,
      onProgress: (p) => services.broadcast.applyProgress({ director, user, ...p }),
    }),
  );
}

/** Replaces the checks of every imported service on the director's agent with the imported ones (audited like a check
 * edit); the checks of services the import does not name are kept. Answers the error, or null. */
async function setImportedChecks(
  services: Services,
  actor: Identity,
  via: 'rest' | 'socket',
  director: string,
  checks: HealthConfig,
  reason: string,
): Promise<string | null> {
  const link = unwrap(services.directors.find(director));
  const imported = new Set(checks.services.map((c) => serviceId(c.service)));
  let id = 0;
  const r = await link.changeHealthConfig((c) => {
    const kept = c.services.filter((s) => !imported.has(serviceId(s.service)));
    id = services.audit.begin({
      user: actor.user.name,
      source: via === 'rest' ? 'api' : 'ui',
      director,
      operation: 'health-check-config',
      target: reason,
      before: { services: c.services.filter((s) => imported.has(serviceId(s.service))) },
      after: checks,
      argv: [],
    });
    return { services: [...kept, ...checks.services] };
  });
  const error = r.ok ? null : `${r.error.code}: ${r.error.message}`;
  if (id) services.audit.finish(id, error ? { ok: false, error } : { ok: true });
  return error;
}

export const snapshotHandlers: Handlers<keyof typeof snapshotOperations> = {
  'snapshots:list': ({ services }, { director, limit, before }) => services.snapshots.list(director, limit, before),

  'snapshots:save'({ services, actor }, { director, name }) {
    const state = liveState(services, director);
    const snapshot = services.snapshots.save({
      name,
      director,
      kind: 'manual',
      createdBy: actor.user.name,
      rules: renderSave(state.services),
      services: state.services.length,
      destinations: countDestinations(state.services),
    });
    return { snapshot };
  },

  'snapshots:get': ({ services }, { id }) => ({ snapshot: snapshotOf(services, id) }),

  async 'snapshots:download'({ services }, { id, format }) {
    const s = snapshotOf(services, id);
    const simulated = services.directors.link(s.director)?.state?.simulated;
    const { services: table } = await services.imports.read(s.rules);
    return exportFile(s.director, table, format, s.createdAt, `snapshot-${s.id}`, simulated);
  },

  'snapshots:delete'({ services }, { id }) {
    if (!services.snapshots.remove(id)) throw new ApiError('not_found', `no snapshot ${id}`, { field: 'id' });
    return null;
  },

  'import:preview': ({ services }, { director, rules }) =>
    previewOf(services, rules, liveState(services, director).services),

  async 'import:apply'({ services, actor }, { director, rules, name }) {
    const desired = await services.imports.read(rules);
    return apply(services, actor, director, desired, `import${name ? ` of ${name}` : ''}`);
  },

  async 'import:keepalived:preview'({ services }, { director, config, others }) {
    const live = liveState(services, director).services;
    return new JsonText(await services.imports.previewKeepalivedJson(config, live, others === 'keep'));
  },

  async 'import:keepalived:apply'({ services, actor, via }, { director, config, name, others }) {
    const read = await services.imports.readKeepalived(config);
    const label = `keepalived.conf import${name ? ` of ${name}` : ''}`;
    const result = await apply(services, actor, director, read.table, label, others === 'keep');
    if (result.results.some((r) => !r.ok))
      return { ...result, checksError: 'checks not set: the table was not applied wholly' };
    return { ...result, checksError: await setImportedChecks(services, actor, via, director, read.checks, label) };
  },

  'snapshots:preview'({ services }, { id }) {
    const s = snapshotOf(services, id);
    return previewOf(services, s.rules, liveState(services, s.director).services);
  },

  async 'snapshots:restore'({ services, actor }, { id }) {
    const s = snapshotOf(services, id);
    const desired = await services.imports.read(s.rules);
    return apply(services, actor, s.director, desired, `restore of snapshot ${s.id} "${s.name}"`);
  },
};
