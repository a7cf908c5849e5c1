// Compare any two tables: two directors, a director and a saved snapshot, or two snapshots, as the import preview
// shows its diff.
import { z } from 'zod';
import { TableSourceRef } from '../compare';
import { MAX_IMPORT_RULES, TableDiffSchema } from '../contracts';
import { operation } from '../operation';

export const compareOperations = {
  'tables:compare': operation({
    tag: 'snapshots',
    summary: `The difference from one table to another (each a director's live table, director:NAME, or a saved snapshot, snapshot:ID; at most ${MAX_IMPORT_RULES} rules each): services and real servers only in "to" (added), only in "from" (removed), changed, and the ipvsadm plan that turns "from" into "to". Changes nothing.`,
    access: 'viewer',
    input: z.object({ from: TableSourceRef, to: TableSourceRef }).strict(),
    output: TableDiffSchema,
    rest: { method: 'GET', path: '/api/v1/compare' },
  }),
};
