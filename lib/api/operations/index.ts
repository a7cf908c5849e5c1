// Every browser-facing operation, in one registry keyed by name. The REST routes, the Socket.IO events, the OpenAPI
// document, the browser's typed clients and the role test are all built from it (the server attaches one handler to
// each, in server/dashboard/operations/).
import { auditOperations } from './audit';
import { authOperations } from './auth';
import { compareOperations } from './compare';
import { directorOperations } from './directors';
import { healthOperations } from './health';
import { fleetOperations } from './fleet';
import { pairOperations } from './pairs';
import { snapshotOperations } from './snapshots';
import { userOperations } from './users';

export const OPERATIONS = {
  ...authOperations,
  ...userOperations,
  ...directorOperations,
  ...healthOperations,
  ...fleetOperations,
  ...pairOperations,
  ...snapshotOperations,
  ...compareOperations,
  ...auditOperations,
};

export type Operations = typeof OPERATIONS;
export type OperationName = keyof Operations;
