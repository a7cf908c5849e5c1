// Saved snapshots, import preview (diff + plan against the live table) and apply, restore (rollback).
import type { ApplyResult, Snapshot } from '../../../lib/api/contracts';
import { ApiError } from '../../../lib/errors';
import type { snapshotOperations } from '../../../lib/api/operations/snapshots';
import type { Identity } from '../http/session-cookie';
import { countDestinations, renderSave, type Service } from '../../../lib/ipvs';
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
): Promise<ApplyResult> {
  const user = actor.user.name;
  return unwrap(
    await services.changes.apply({ user, source: 'restore' }, director, desired, {
      reason,
      onProgress: (p) => services.broadcast.applyProgress({ director, user, ...p }),
    }),
  );
}

export const snapshotHandlers: Handlers<keyof typeof snapshotOperations> = {
  'snapshots:list': ({ services }, { director }) => ({ snapshots: services.snapshots.list(director) }),

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
