// The role an edit of a director's table needs (operations declare theirs in lib/api/operations; edits of
// table-wide settings raise it). Shared by the server, which enforces it, and the browser, which hides what it refuses.
import type { AgentEdit } from './ipvs';
import type { Role } from './roles';

/** Table-wide kernel settings (timeouts, the connection sync daemon) are for admins; everything about services,
 * real servers, weights, draining and zeroing counters is for operators. */
export function editRole(edit: AgentEdit): Role {
  switch (edit.kind) {
    case 'set-timeouts':
    case 'start-daemon':
    case 'stop-daemon':
      return 'admin';
    default:
      return 'operator';
  }
}
