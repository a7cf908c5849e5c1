// Every REST route of the dashboard, in one list: the dispatcher, the OpenAPI document and the access test use it.
import { openApiDocument } from '../openapi';
import { route, type Route } from '../route';
import { auditRoutes } from './audit';
import { authRoutes } from './auth';
import { directorRoutes } from './directors';
import { setupRoutes } from './setup';
import { snapshotRoutes } from './snapshots';
import { statsRoutes } from './stats';
import { userRoutes } from './users';

const openApiRoute = route({
  method: 'GET',
  path: '/api/v1/openapi.json',
  access: 'public',
  tag: 'meta',
  summary: 'This document.',
  returns: 'OpenAPI 3.1 document',
  handler: () => ({ json: openApiDocument(ROUTES, '0.1.0') }),
});

export const ROUTES: readonly Route[] = [
  ...authRoutes,
  ...setupRoutes,
  ...userRoutes,
  ...directorRoutes,
  ...snapshotRoutes,
  ...auditRoutes,
  ...statsRoutes,
  openApiRoute,
];
