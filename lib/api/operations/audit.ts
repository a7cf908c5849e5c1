// The audit history: query and export; and the API's own description.
import { z } from 'zod';
import { AuditEntry, AuditQuery, FileDownload } from '../contracts';
import { NoInput, operation } from '../operation';

export const auditOperations = {
  'audit:query': operation({
    tag: 'audit',
    summary:
      'Audit rows, newest first: filter by director, service, user, result and time range (ms since epoch); page with before=<id>.',
    access: 'viewer',
    input: AuditQuery,
    output: z.object({ entries: z.array(AuditEntry) }),
    rest: { method: 'GET', path: '/api/v1/audit' },
  }),
  'audit:export': operation({
    tag: 'audit',
    summary: 'The audit rows matching the same filters as a CSV or JSON file.',
    access: 'viewer',
    input: AuditQuery.extend({
      format: z.enum(['csv', 'json']).default('csv'),
      limit: z.coerce.number().int().min(1).max(100_000).default(100_000),
    }),
    output: FileDownload,
    rest: { method: 'GET', path: '/api/v1/audit/export' },
  }),
  'meta:openapi': operation({
    tag: 'meta',
    summary: 'This document.',
    access: 'public',
    input: NoInput,
    output: z.object({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }),
    rest: { method: 'GET', path: '/api/v1/openapi.json' },
  }),
};
