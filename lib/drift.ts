// Drift between the two directors of a pair: every service or real server that differs (missing on one side, or an
// option: scheduler, flags, persistence, forwarding, weight, thresholds), differing timeouts, and sync daemons that do
// not match the pair's roles. Counters never count. The service and real server part is the import preview's diff
// (diffTables: the backup as the live table, the master as the wanted one), so its plan is what "make the backup
// match" applies: the minimal edits, never a flush.
import { z } from 'zod';
import {
  destinationId,
  diffTables,
  type FieldValue,
  type SyncDaemon,
  type TableDiff,
  type TableState,
  type Timeouts,
} from './ipvs';

export const PAIR_MODES = ['master-backup', 'active-active'] as const;
export const PairMode = z.enum(PAIR_MODES);
export type PairMode = z.infer<typeof PairMode>;

export const DRIFT_KINDS = [
  'service-missing',
  'service-extra',
  'service-changed',
  'destination-missing',
  'destination-extra',
  'destination-changed',
  'timeout',
  'sync-daemon',
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface DriftItem {
  kind: DriftKind;
  /** The service (`tcp/10.1.0.10:80`), real server (`tcp/10.1.0.10:80|10.2.0.11:80`), timeout or daemon concerned. */
  target: string;
  /** For a changed option: which one. */
  field?: string;
  /** The value on the first member (the master) and on the second (the backup); null: absent. */
  first: FieldValue;
  second: FieldValue;
}

export interface Drift {
  items: DriftItem[];
  /** The services and real servers part, as the import preview shows it, with the plan that makes the second member
   * equal to the first. */
  diff: TableDiff;
}

export type PairTable = Pick<TableState, 'services' | 'timeouts' | 'daemons'>;

const TIMEOUT_FIELDS = ['tcp', 'tcpfin', 'udp'] as const satisfies readonly (keyof Timeouts)[];

function timeoutDrift(a: Timeouts | undefined, b: Timeouts | undefined): DriftItem[] {
  if (!a || !b) return [];
  return TIMEOUT_FIELDS.filter((f) => a[f] !== b[f]).map((f) => ({
    kind: 'timeout',
    target: 'timeouts',
    field: f,
    first: a[f],
    second: b[f],
  }));
}

const syncIdOf = (daemons: readonly SyncDaemon[], state: SyncDaemon['state']) =>
  daemons.find((d) => d.state === state)?.syncId ?? null;

/** master-backup: the first's master daemon and the second's backup daemon have the same sync id, or neither runs.
 * active-active: the same each way (each one's master sync id is the other's backup one). */
function daemonDrift(mode: PairMode, a: readonly SyncDaemon[], b: readonly SyncDaemon[]): DriftItem[] {
  const links: [string, number | null, number | null][] = [
    ['master -> backup', syncIdOf(a, 'master'), syncIdOf(b, 'backup')],
  ];
  if (mode === 'active-active') links.push(['backup <- master', syncIdOf(a, 'backup'), syncIdOf(b, 'master')]);
  return (
    links
      // neither side syncing is not drift between them (the sync state itself is shown apart)
      .filter(([, sent, received]) => sent !== received)
      .map(([target, sent, received]) => ({
        kind: 'sync-daemon',
        target,
        field: 'syncId',
        first: sent,
        second: received,
      }))
  );
}

const summaryOf = (s: { service: unknown }) => JSON.stringify(s.service);

export function computeDrift(mode: PairMode, first: PairTable, second: PairTable): Drift {
  const diff = diffTables(second.services, first.services);
  const items: DriftItem[] = [];
  for (const s of diff.added) items.push({ kind: 'service-missing', target: s.id, first: summaryOf(s), second: null });
  for (const s of diff.removed) items.push({ kind: 'service-extra', target: s.id, first: null, second: summaryOf(s) });
  for (const c of diff.changed) {
    for (const f of c.fields)
      items.push({ kind: 'service-changed', target: c.id, field: f.field, first: f.after, second: f.before });
    for (const d of c.addedDestinations)
      items.push({ kind: 'destination-missing', target: `${c.id}|${destinationId(d)}`, first: d.weight, second: null });
    for (const d of c.removedDestinations)
      items.push({ kind: 'destination-extra', target: `${c.id}|${destinationId(d)}`, first: null, second: d.weight });
    for (const d of c.changedDestinations)
      for (const f of d.fields)
        items.push({
          kind: 'destination-changed',
          target: `${c.id}|${d.id}`,
          field: f.field,
          first: f.after,
          second: f.before,
        });
  }
  items.push(...timeoutDrift(first.timeouts, second.timeouts), ...daemonDrift(mode, first.daemons, second.daemons));
  return { items, diff };
}
