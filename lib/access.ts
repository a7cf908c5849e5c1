// The role each browser Socket.IO event needs, in one table next to nothing else, so the server enforces it and a
// test can enumerate it. REST routes declare theirs in their route definitions (server/dashboard/http/routes/).
import type { ClientEvents } from './events';
import type { AgentEdit } from './ipvs';
import type { Role } from './roles';

export const CLIENT_EVENT_ROLES = {
  'directors:list': 'viewer',
  'director:subscribe': 'viewer',
  'director:unsubscribe': 'viewer',
  'service:update': 'operator',
  'conns:watch': 'viewer',
  'conns:query': 'viewer',
} as const satisfies Record<keyof ClientEvents, Role>;

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
