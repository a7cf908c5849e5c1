// An audit row left `pending` by a dashboard that stopped before the agent answered (killed mid-import, crashed):
// when the director's table is next read, compare what the row planned with what is there and name the outcome.
import {
  configOf,
  destConfigOf,
  destinationId,
  editArgv,
  parseSave,
  planApply,
  serviceId,
  serviceKey,
  type Service,
  type TableState,
} from '../../lib/ipvs';
import type { AuditEntry, AuditStatus } from '../../lib/api/contracts';

export interface Settlement {
  status: Exclude<AuditStatus, 'pending'>;
  /** What the live table showed, in words. */
  note: string;
}

const COMPLETED = 'completed: found in the live table after the dashboard restarted';
const NOT_APPLIED = 'not applied: the live table after the dashboard restarted does not show it';
const UNKNOWN =
  'interrupted: the dashboard stopped before the result came back, and the table cannot show whether it ran';
const SHOWN = 3;

/** Every key the row wanted has that value in the live configuration. */
function matches(wanted: unknown, live: Record<string, unknown>): boolean {
  if (typeof wanted !== 'object' || wanted === null) return false;
  return Object.entries(wanted).every(([k, v]) => JSON.stringify(live[k]) === JSON.stringify(v));
}

function settleApply(row: AuditEntry, state: TableState): Settlement {
  let desired: Service[];
  try {
    desired = parseSave(String(row.after ?? ''));
  } catch {
    return { status: 'error', note: UNKNOWN };
  }
  const missing = planApply(state.services, desired);
  if (missing.length === 0) return { status: 'ok', note: COMPLETED };
  try {
    if (typeof row.before === 'string' && planApply(state.services, parseSave(row.before)).length === 0)
      return { status: 'error', note: 'not applied: the live table is as it was before the apply' };
  } catch {
    // an unreadable before: the outcome is partial at best
  }
  const shown = missing.slice(0, SHOWN).map((e) => `ipvsadm ${editArgv(e).join(' ')}`);
  const more = missing.length > SHOWN ? `; and ${missing.length - SHOWN} more` : '';
  return {
    status: 'partial',
    note: `partly applied: ${missing.length} of the ${row.argv.length} planned operations are not in the live table (${shown.join('; ')}${more})`,
  };
}

function settleEdit(row: AuditEntry, state: TableState): Settlement {
  if (row.operation === 'set-timeouts') {
    const done = state.timeouts !== undefined && matches(row.after, { ...state.timeouts });
    return done ? { status: 'ok', note: COMPLETED } : { status: 'error', note: NOT_APPLIED };
  }
  const [sid, did] = row.target.split('|');
  if (!sid || !/^(tcp|udp|sctp|fwmark6?)\//.test(sid)) return { status: 'error', note: UNKNOWN };
  const service = state.services.find((s) => serviceId(serviceKey(s)) === sid);
  let live: Record<string, unknown> | undefined;
  if (did === undefined) live = service && { ...configOf(service) };
  else {
    const dest = service?.destinations.find((d) => destinationId(d) === did);
    live = dest && { ...destConfigOf(dest) };
  }
  const done = row.after === null ? live === undefined : live !== undefined && matches(row.after, live);
  return done ? { status: 'ok', note: COMPLETED } : { status: 'error', note: NOT_APPLIED };
}

/** The outcome of a pending row, judged from the director's live table. */
export function settlePending(row: AuditEntry, state: TableState): Settlement {
  if (row.operation === 'apply') return settleApply(row, state);
  if (row.operation === 'zero' || row.operation.endsWith('-daemon')) return { status: 'error', note: UNKNOWN };
  return settleEdit(row, state);
}
