// The server's side of every operation in lib/api/operations: exactly one handler per declared name (a missing or
// extra one does not compile).
import { auditHandlers } from './audit';
import { authHandlers } from './auth';
import { compareHandlers } from './compare';
import { directorHandlers } from './directors';
import { fleetHandlers } from './fleet';
import { pairHandlers } from './pairs';
import type { Handlers } from './handler';
import { healthHandlers } from './health';
import { snapshotHandlers } from './snapshots';
import { userHandlers } from './users';

export const HANDLERS: Handlers = {
  ...authHandlers,
  ...userHandlers,
  ...directorHandlers,
  ...healthHandlers,
  ...fleetHandlers,
  ...pairHandlers,
  ...snapshotHandlers,
  ...compareHandlers,
  ...auditHandlers,
};
