// The audit history: query and export.
import { z } from 'zod';
import { AuditQuery, auditToCsv } from '../../../hub/store/audit';
import { route } from '../route';

const ExportQuery = AuditQuery.extend({
  format: z.enum(['csv', 'json']).default('csv'),
  limit: z.coerce.number().int().min(1).max(100_000).default(100_000),
});

export const auditRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/audit',
    access: 'viewer',
    tag: 'audit',
    summary:
      'Audit rows, newest first: filter by director, service, user, result and time range (ms since epoch); page with before=<id>.',
    query: AuditQuery,
    returns:
      '{ entries: [{ id, time, user, source, director, operation, target, before, after, argv, status, error, finishedAt }] }',
    handler: ({ hub, query }) => ({ json: { entries: hub.audit.query(query) } }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/audit/export',
    access: 'viewer',
    tag: 'audit',
    summary: 'The audit rows matching the same filters as a CSV or JSON file.',
    query: ExportQuery,
    returns: 'The file (attachment)',
    handler({ hub, query }) {
      const { format, ...filter } = query;
      const rows = hub.audit.query(filter);
      const name = `lvs-audit-${new Date().toISOString().slice(0, 10)}`;
      return format === 'csv'
        ? { text: auditToCsv(rows), contentType: 'text/csv; charset=utf-8', download: `${name}.csv` }
        : {
            text: `${JSON.stringify(rows, null, 2)}\n`,
            contentType: 'application/json; charset=utf-8',
            download: `${name}.json`,
          };
    },
  }),
];
