import type { Role } from '@/lib/roles';

/** What each role may do, in one sentence each (the account page, the role picker's tooltip). */
export const ROLE_CAN: Record<Role, string> = {
  viewer: 'sees every director, service, counter, connection, the history and snapshots; changes nothing',
  operator: 'also changes weights, drains, adds, edits and removes services and real servers, saves snapshots',
  admin: 'also restores snapshots and imports rules, sets timeouts and sync daemons, and manages accounts',
};
