// Compare any two tables (live or saved) with the import preview's diff, computed in the import worker like it.
import { tableSourceOf, type TableSource } from '../../../lib/api/compare';
import { ApiError } from '../../../lib/api/errors';
import type { compareOperations } from '../../../lib/api/operations/compare';
import { renderSave, type Service } from '../../../lib/ipvs';
import type { Services } from '../services';
import type { Handlers } from './handler';
import { JsonText } from './handler';

type Side = 'from' | 'to';

/** The source's rules (ipvsadm -S -n text), or the error naming the field that names a missing one. */
function rulesOf(services: Services, source: TableSource, field: Side): string {
  if (source.kind === 'snapshot') {
    const s = services.snapshots.get(source.id);
    if (!s) throw new ApiError('not_found', `no snapshot ${source.id}`, { field });
    return s.rules;
  }
  const live = services.directors.live(source.name);
  if (!live.ok) throw new ApiError(live.error.code, live.error.message, { field });
  return renderSave(live.data.state.services);
}

async function servicesOf(services: Services, source: TableSource, field: Side): Promise<readonly Service[]> {
  if (source.kind === 'director') {
    const live = services.directors.live(source.name);
    if (!live.ok) throw new ApiError(live.error.code, live.error.message, { field });
    return live.data.state.services;
  }
  return (await services.imports.read(rulesOf(services, source, field))).services;
}

export const compareHandlers: Handlers<keyof typeof compareOperations> = {
  async 'tables:compare'({ services }, { from, to }) {
    const wanted = rulesOf(services, tableSourceOf(to), 'to');
    const base = await servicesOf(services, tableSourceOf(from), 'from');
    return new JsonText(await services.imports.previewJson(wanted, base));
  },
};
