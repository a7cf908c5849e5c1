// What importing a snapshot would change: services and real servers added, removed and changed field by field, and
// the ipvsadm plan that gets there. Configuration only: counters, rates and connection counts never count as changes.
// Fields are compared the way planApply compares them (ipvsadm's options, defaults made explicit), so a service is
// listed as changed exactly when the plan touches it.
import { editArgv } from './argv';
import type { DestinationConfig, Edit, ServiceConfig } from './edits';
import type { Destination, Service, ServiceKey } from './model';
import { destinationId, serviceId, serviceKey } from './model';
import { planApply } from './plan';
import { configOf, destConfigOf } from './save-format';

/** An absent option is null (not undefined), so a diff survives JSON. */
export type FieldValue = string | number | boolean | string[] | null;
export interface FieldChange {
  field: string;
  before: FieldValue;
  after: FieldValue;
}
export interface ServiceSummary {
  id: string;
  service: ServiceConfig;
  destinations: DestinationConfig[];
}
export interface DestinationDiff {
  id: string;
  fields: FieldChange[];
}
export interface ServiceDiff {
  id: string;
  key: ServiceKey;
  /** scheduler, flags, persistent, netmask, pe, ops: those that differ. */
  fields: FieldChange[];
  addedDestinations: DestinationConfig[];
  removedDestinations: DestinationConfig[];
  changedDestinations: DestinationDiff[];
}
export interface TableDiff {
  /** In the wanted table's order. */
  added: ServiceSummary[];
  /** In the live table's order. */
  removed: ServiceSummary[];
  changed: ServiceDiff[];
  unchanged: number;
  edits: Edit[];
  /** ipvsadm's arguments for each edit, in the order they would run. */
  plan: string[][];
}

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** The service options ipvsadm would be given: -M counts only with -p (serviceOptionArgs). */
function serviceFields(s: Service): Record<string, FieldValue> {
  return {
    scheduler: s.scheduler,
    flags: [...s.flags],
    persistent: orNull(s.persistent),
    netmask: s.persistent === undefined ? null : orNull(s.netmask),
    pe: orNull(s.pe),
    ops: s.ops,
  };
}

/** The real server options ipvsadm would be given (destinationOptionArgs): a zero threshold is no threshold, and
 * tunnel fields count only for tunnels, with ipvsadm's defaults. */
function destinationFields(d: Destination): Record<string, FieldValue> {
  const c = destConfigOf(d);
  const type = c.forward === 'tunnel' ? (c.tunnelType ?? 'ipip') : null;
  return {
    forward: c.forward,
    weight: c.weight,
    upperThreshold: c.upperThreshold || null,
    lowerThreshold: c.lowerThreshold || null,
    tunnelType: type,
    tunnelPort: type === 'gue' ? orNull(c.tunnelPort) : null,
    tunnelChecksum: type !== null && type !== 'ipip' ? (c.tunnelChecksum ?? 'nocsum') : null,
  };
}

function changes(before: Record<string, FieldValue>, after: Record<string, FieldValue>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [field, b] of Object.entries(before)) {
    const a = after[field] ?? null;
    const same = Array.isArray(a) && Array.isArray(b) ? a.join(',') === b.join(',') : a === b;
    if (!same) out.push({ field, before: b, after: a });
  }
  return out;
}

const summary = (s: Service): ServiceSummary => ({
  id: serviceId(serviceKey(s)),
  service: configOf(s),
  destinations: s.destinations.map(destConfigOf),
});

function diffService(have: Service, want: Service): ServiceDiff | null {
  const haveDests = new Map(have.destinations.map((d) => [destinationId(d), d]));
  const wantDests = new Map(want.destinations.map((d) => [destinationId(d), d]));
  const changedDestinations: DestinationDiff[] = [];
  for (const [id, d] of wantDests) {
    const h = haveDests.get(id);
    const fields = h ? changes(destinationFields(h), destinationFields(d)) : [];
    if (fields.length) changedDestinations.push({ id, fields });
  }
  const diff: ServiceDiff = {
    id: serviceId(serviceKey(want)),
    key: serviceKey(want),
    fields: changes(serviceFields(have), serviceFields(want)),
    addedDestinations: want.destinations.filter((d) => !haveDests.has(destinationId(d))).map(destConfigOf),
    removedDestinations: have.destinations.filter((d) => !wantDests.has(destinationId(d))).map(destConfigOf),
    changedDestinations,
  };
  const touched =
    diff.fields.length + diff.addedDestinations.length + diff.removedDestinations.length + changedDestinations.length;
  return touched ? diff : null;
}

/** The difference from `live` to `wanted` and the plan that applies it. Throws an `invalid` ApiError when `wanted`
 * holds something ipvsadm cannot be given (the plan's edits are validated like any other). */
export function diffTables(live: readonly Service[], wanted: readonly Service[]): TableDiff {
  const liveById = new Map(live.map((s) => [serviceId(serviceKey(s)), s]));
  const wantedIds = new Set(wanted.map((s) => serviceId(serviceKey(s))));
  const added: ServiceSummary[] = [];
  const changed: ServiceDiff[] = [];
  let unchanged = 0;
  for (const want of wanted) {
    const have = liveById.get(serviceId(serviceKey(want)));
    if (!have) {
      added.push(summary(want));
      continue;
    }
    const d = diffService(have, want);
    if (d) changed.push(d);
    else unchanged++;
  }
  const removed = live.filter((s) => !wantedIds.has(serviceId(serviceKey(s)))).map(summary);
  const edits = planApply(live, wanted);
  return { added, removed, changed, unchanged, edits, plan: edits.map((e) => editArgv(e)) };
}
