// Compare any two tables (live or saved) with the import preview's diff, computed in the import worker like it.
import { tableSourceOf, type TableSource } from '../../../lib/api/compare';
import type { compareOperations } from '../../../lib/api/operations/compare';
import { fail, type Ack } from '../../../lib/events';
import { renderSave, type Service } from '../../../lib/ipvs';
import type { Services } from '../services';
import { unwrap } from './directors';
import { JsonText, type Handlers } from './handler';

type Side = 'from' | 'to';

/** Throws a failed answer as the API's error of the field that named the source. */
const refuse = (r: Ack<unknown>, field: Side): never => {
  if (r.ok) throw new Error('refuse() of a successful answer');
  return unwrap(fail(r.error.code, r.error.message, field));
};

/** The source's rules (ipvsadm -S -n text), or the error naming the field that names a missing one. */
function rulesOf(services: Services, source: TableSource, field: Side): string {
  if (source.kind === 'snapshot') {
    const s = services.snapshots.get(source.id);
    return s ? s.rules : refuse(fail('not_found', `no snapshot ${source.id}`), field);
  }
  const live = services.directors.live(source.name);
  return live.ok ? renderSave(live.data.state.services) : refuse(live, field);
}

async function servicesOf(services: Services, source: TableSource, field: Side): Promise<readonly Service[]> {
  if (source.kind === 'director') {
    const live = services.directors.live(source.name);
    return live.ok ? live.data.state.services : refuse(live, field);
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
