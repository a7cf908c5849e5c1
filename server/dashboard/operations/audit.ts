// The audit history: query and export; and the API's own description.
import type { auditOperations } from '../../../lib/api/operations/audit';
import { auditToCsv } from '../../hub/store/audit';
import { openApiDocument } from '../http/openapi';
import type { Handlers } from './handler';

export const auditHandlers: Handlers<keyof typeof auditOperations> = {
  'audit:query': ({ services }, filter) => ({ entries: services.audit.query(filter) }),

  'audit:export'({ services }, { format, ...filter }) {
    const rows = services.audit.query(filter);
    const name = `lvs-audit-${new Date(services.clock.now()).toISOString().slice(0, 10)}`;
    return format === 'csv'
      ? { text: auditToCsv(rows), contentType: 'text/csv; charset=utf-8', filename: `${name}.csv` }
      : {
          text: `${JSON.stringify(rows, null, 2)}\n`,
          contentType: 'application/json; charset=utf-8',
          filename: `${name}.json`,
        };
  },

  'meta:openapi': () => openApiDocument('0.1.0'),
};
