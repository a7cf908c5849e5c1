// What the agent reads again after an edit to confirm it: the one service it changed, or the table-wide settings.
import type { Edit, ServiceKey } from '../../lib/ipvs';

/** Edits of one service that was there before: the confirmation reads that service only. */
const CHANGES_ONE_SERVICE = new Set<Edit['kind']>([
  'edit-service',
  'delete-service',
  'add-destination',
  'edit-destination',
  'delete-destination',
]);

/** Edits of the table-wide settings that the agent reads on slow ticks only. */
export const TABLE_SETTINGS = new Set<Edit['kind']>(['set-timeouts', 'start-daemon', 'stop-daemon']);

/** The service an edit changed when it was there before (its confirmation reads that one only), else undefined. */
export function changedService(edit: Edit): ServiceKey | undefined {
  return CHANGES_ONE_SERVICE.has(edit.kind) ? (edit as { service: ServiceKey }).service : undefined;
}
