// What the dashboard says while keepalived runs on a director: the services its keepalived.conf owns (the agent reads
// it, see server/agent/keepalived-ownership.ts), or that it runs and which services it owns is unknown.
import type { TableState } from '@/lib/ipvs';

export const KEEPALIVED_UNDO = 'keepalived will undo this on its next reload/check';

type Owned = Pick<TableState, 'keepalived'> | null | undefined;

/** Whether keepalived owns service `sid`: yes, maybe (it runs, its configuration unreadable) or no (null). */
export function keepalivedOwns(state: Owned, sid: string): 'owned' | 'unknown' | null {
  const k = state?.keepalived;
  if (!k) return null;
  if (k.services === null) return 'unknown';
  if (k.services.includes(sid)) return 'owned';
  // an include that was not read may hold it
  return k.reason ? 'unknown' : null;
}

/** The line a director page shows while keepalived runs (null: it does not). */
export function keepalivedDirectorNotice(state: Owned): string | null {
  const k = state?.keepalived;
  if (!k) return null;
  if (k.services === null) return `keepalived runs on this director; which services it owns is unknown (${k.reason}).`;
  const owned = k.services.length
    ? `keepalived runs on this director and owns ${k.services.length} service(s): ${k.services.join(', ')}. An edit of those: ${KEEPALIVED_UNDO}.`
    : 'keepalived runs on this director; its keepalived.conf defines no virtual server.';
  return k.reason ? `${owned} ${k.reason}.` : owned;
}

/** The warning an edit of service `sid` shows before it is applied (null: keepalived does not own it). */
export function keepalivedEditWarning(state: Owned, sid: string): string | null {
  const owns = keepalivedOwns(state, sid);
  if (owns === 'owned') return `keepalived owns this service: ${KEEPALIVED_UNDO}.`;
  if (owns === 'unknown')
    return `keepalived runs on this director and may own this service: if it does, ${KEEPALIVED_UNDO}.`;
  return null;
}
