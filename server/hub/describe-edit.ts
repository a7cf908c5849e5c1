// What an edit is about to do, for its audit row: operation, target, the configuration before and after, and the
// ipvsadm arguments, all computed from the table the dashboard holds before the kernel is touched.
import {
  configOf,
  destConfigOf,
  destinationId,
  editArgv,
  resolveEdit,
  serviceId,
  serviceKey,
  type AgentEdit,
  type Service,
  type TableState,
} from '../../lib/ipvs';

export interface EditDescription {
  operation: string;
  target: string;
  before: unknown;
  after: unknown;
  argv: string[][];
}

function findService(state: TableState | null, id: string): Service | undefined {
  return state?.services.find((s) => serviceId(serviceKey(s)) === id);
}

/** The whole configuration of a service: options and every real server's options (no counters). */
export function serviceConfigWithDestinations(s: Service): unknown {
  return { ...configOf(s), destinations: s.destinations.map(destConfigOf) };
}

export function describeEdit(edit: AgentEdit, state: TableState | null): EditDescription {
  let argv: string[][] = [];
  try {
    argv = [['ipvsadm', ...editArgv(resolveEdit(edit, state?.services ?? []))]];
  } catch {
    // not found or invalid against this table: the agent refuses it with the reason, which the audit row records
  }
  const base = { operation: edit.kind, argv };
  switch (edit.kind) {
    case 'add-service':
    case 'edit-service': {
      const id = serviceId(serviceKey(edit.service));
      const cur = findService(state, id);
      return { ...base, target: id, before: cur ? configOf(cur) : null, after: edit.service };
    }
    case 'delete-service': {
      const id = serviceId(edit.service);
      const cur = findService(state, id);
      return { ...base, target: id, before: cur ? serviceConfigWithDestinations(cur) : null, after: null };
    }
    case 'add-destination':
    case 'edit-destination':
    case 'delete-destination':
    case 'set-weight':
    case 'drain':
    case 'undrain': {
      const id = serviceId(edit.service);
      const did = destinationId(edit.destination);
      const cur = findService(state, id)?.destinations.find((d) => destinationId(d) === did);
      const before = cur ? destConfigOf(cur) : null;
      let after: unknown = null;
      if (edit.kind === 'add-destination' || edit.kind === 'edit-destination') after = edit.destination;
      else if (edit.kind === 'set-weight') after = before && { ...before, weight: edit.weight };
      else if (edit.kind === 'drain') after = before && { ...before, weight: 0 };
      // the weight the agent kept comes back: the row is finished with the edit the agent made
      else if (edit.kind === 'undrain') after = before;
      return { ...base, target: `${id}|${did}`, before, after };
    }
    case 'set-timeouts':
      return { ...base, target: 'timeouts', before: state?.timeouts ?? null, after: edit.timeouts };
    case 'zero':
      return { ...base, target: edit.service ? serviceId(edit.service) : 'all services', before: null, after: null };
    case 'start-daemon':
      return { ...base, target: `sync daemon ${edit.daemon.state}`, before: state?.daemons ?? [], after: edit.daemon };
    case 'stop-daemon':
      return { ...base, target: `sync daemon ${edit.state}`, before: state?.daemons ?? [], after: null };
  }
}

/** What changed between two tables' configurations: for an external-change audit row. Null when nothing did. */
export function configChange(
  before: TableState,
  after: TableState,
): { target: string; before: unknown; after: unknown } | null {
  const index = (s: TableState) =>
    new Map(s.services.map((svc) => [serviceId(serviceKey(svc)), JSON.stringify(serviceConfigWithDestinations(svc))]));
  const a = index(before);
  const b = index(after);
  const ids = [...new Set([...a.keys(), ...b.keys()])].filter((id) => a.get(id) !== b.get(id));
  const pick = (m: Map<string, string>) =>
    Object.fromEntries(ids.map((id) => [id, m.has(id) ? (JSON.parse(m.get(id) as string) as unknown) : null]));
  const extra: string[] = [];
  const beforeOut: Record<string, unknown> = pick(a);
  const afterOut: Record<string, unknown> = pick(b);
  if (JSON.stringify(before.timeouts ?? null) !== JSON.stringify(after.timeouts ?? null)) {
    extra.push('timeouts');
    beforeOut.timeouts = before.timeouts ?? null;
    afterOut.timeouts = after.timeouts ?? null;
  }
  if (JSON.stringify(before.daemons) !== JSON.stringify(after.daemons)) {
    extra.push('sync daemons');
    beforeOut.daemons = before.daemons;
    afterOut.daemons = after.daemons;
  }
  const targets = [...ids, ...extra];
  if (targets.length === 0) return null;
  return {
    target: targets.length <= 3 ? targets.join(', ') : `${targets.length} changes`,
    before: beforeOut,
    after: afterOut,
  };
}
