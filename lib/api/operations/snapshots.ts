// Saved snapshots, import preview (diff + plan against the live table) and apply, restore (rollback).
import { z } from 'zod';
import {
  ApplyResult,
  DirectorName,
  ExportFormat,
  FileDownload,
  IMPORT_BODY_LIMIT,
  MAX_IMPORT_RULES,
  Snapshot,
  SnapshotMeta,
  TableDiffSchema,
} from '../contracts';
import { HealthConfig } from '../../health';
import { NoOutput, operation } from '../operation';

const SnapshotName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const Rules = z.string().max(IMPORT_BODY_LIMIT, 'must be at most 16 MiB');
const KeepalivedConf = z.string().max(IMPORT_BODY_LIMIT, 'must be at most 16 MiB');
/** What a keepalived.conf import does with live services the file does not name: remove them (the table becomes the
 * file's) or keep them (as keepalived itself leaves virtual servers it does not configure). */
const Others = z.enum(['remove', 'keep']).default('remove');
const NotImportedLine = z.object({ line: z.number(), text: z.string(), reason: z.string() });
export const SNAPSHOT_LIST_DEFAULT = 200;
export const SNAPSHOT_LIST_MAX = 1000;
const OneSnapshot = z.object({ id: z.coerce.number().int().min(1) }).strict();
/** 422 when an operation of the apply failed: the body is the whole outcome all the same. */
const appliedStatus = (o: ApplyResult) => (o.results.some((x) => !x.ok) ? 422 : 200);

export const snapshotOperations = {
  'snapshots:list': operation({
    tag: 'snapshots',
    summary: `Saved snapshots, newest first (manual ones and the automatic ones taken before each restore): the newest \`limit\` (default ${SNAPSHOT_LIST_DEFAULT}, at most ${SNAPSHOT_LIST_MAX}), of one director or of all; with \`before\` (an id) the next older page. \`more\`: older ones exist.`,
    access: 'viewer',
    input: z
      .object({
        director: DirectorName.optional(),
        limit: z.coerce.number().int().min(1).max(SNAPSHOT_LIST_MAX).default(SNAPSHOT_LIST_DEFAULT),
        before: z.coerce.number().int().min(1).optional(),
      })
      .strict(),
    output: z.object({ snapshots: z.array(SnapshotMeta), more: z.boolean() }),
    rest: { method: 'GET', path: '/api/v1/snapshots' },
  }),
  'snapshots:save': operation({
    tag: 'snapshots',
    summary: "Save a director's live table under a name.",
    access: 'operator',
    input: z.object({ director: DirectorName, name: SnapshotName }).strict(),
    output: z.object({ snapshot: SnapshotMeta }),
    rest: { method: 'POST', path: '/api/v1/snapshots', status: 201 },
  }),
  'snapshots:get': operation({
    tag: 'snapshots',
    summary: 'One snapshot with its rules (ipvsadm -S -n text).',
    access: 'viewer',
    input: OneSnapshot,
    output: z.object({ snapshot: Snapshot }),
    rest: { method: 'GET', path: '/api/v1/snapshots/{id}' },
  }),
  'snapshots:download': operation({
    tag: 'snapshots',
    summary: 'One snapshot as a file (rules, JSON or keepalived.conf).',
    access: 'viewer',
    input: OneSnapshot.extend({ format: ExportFormat.default('save') }),
    output: FileDownload,
    rest: { method: 'GET', path: '/api/v1/snapshots/{id}/download' },
  }),
  'snapshots:delete': operation({
    tag: 'snapshots',
    summary: 'Delete a saved snapshot.',
    access: 'admin',
    input: OneSnapshot,
    output: NoOutput,
    rest: { method: 'DELETE', path: '/api/v1/snapshots/{id}', status: 204 },
  }),
  'import:preview': operation({
    tag: 'snapshots',
    summary: `What importing these rules (ipvsadm -S -n text or the JSON export, at most ${MAX_IMPORT_RULES} rules) would change: services and real servers added, removed, changed, and the ipvsadm plan. Changes nothing.`,
    access: 'operator',
    input: z.object({ director: DirectorName, rules: Rules }).strict(),
    output: TableDiffSchema,
    rest: { method: 'POST', path: '/api/v1/directors/{director}/import/preview', maxBody: IMPORT_BODY_LIMIT },
  }),
  'import:apply': operation({
    tag: 'snapshots',
    summary: `Make the live table equal these rules (at most ${MAX_IMPORT_RULES}) with the minimal plan (never a flush), after an automatic snapshot. Progress goes to the director room as apply:progress; 422 when an operation failed.`,
    access: 'admin',
    input: z.object({ director: DirectorName, rules: Rules, name: SnapshotName.optional() }).strict(),
    output: ApplyResult,
    rest: {
      method: 'POST',
      path: '/api/v1/directors/{director}/import',
      maxBody: IMPORT_BODY_LIMIT,
      status: appliedStatus,
    },
  }),
  'import:keepalived:preview': operation({
    tag: 'snapshots',
    summary:
      'What importing a keepalived.conf would change: the same diff and ipvsadm plan as every import, the health checks it would set (its checkers, sorry servers, quorums) and every line it cannot express, with the reason. Changes nothing.',
    access: 'operator',
    input: z.object({ director: DirectorName, config: KeepalivedConf, others: Others }).strict(),
    output: z.object({ diff: TableDiffSchema, checks: HealthConfig, notImported: z.array(NotImportedLine) }),
    rest: {
      method: 'POST',
      path: '/api/v1/directors/{director}/import/keepalived/preview',
      maxBody: IMPORT_BODY_LIMIT,
    },
  }),
  'import:keepalived:apply': operation({
    tag: 'snapshots',
    summary:
      "Import a keepalived.conf: make the live table equal its virtual servers with the minimal plan (never a flush), after an automatic snapshot, then set its checks on the director's agent (replacing the checks of the services it names). With `others: keep` the live services the file does not name stay, as keepalived leaves them. 422 when an operation or the checks failed.",
    access: 'admin',
    input: z
      .object({ director: DirectorName, config: KeepalivedConf, name: SnapshotName.optional(), others: Others })
      .strict(),
    output: ApplyResult.extend({ checksError: z.string().nullable() }),
    rest: {
      method: 'POST',
      path: '/api/v1/directors/{director}/import/keepalived',
      maxBody: IMPORT_BODY_LIMIT,
      status: (o: ApplyResult & { checksError: string | null }) =>
        appliedStatus(o) === 422 || o.checksError !== null ? 422 : 200,
    },
  }),
  'snapshots:preview': operation({
    tag: 'snapshots',
    summary: "What restoring this snapshot would change on its director's live table.",
    access: 'operator',
    input: OneSnapshot,
    output: TableDiffSchema,
    rest: { method: 'POST', path: '/api/v1/snapshots/{id}/preview' },
  }),
  'snapshots:restore': operation({
    tag: 'snapshots',
    summary:
      'Restore a snapshot on its director (rollback = restore the automatic snapshot taken before a change); 422 when an operation failed.',
    access: 'admin',
    input: OneSnapshot,
    output: ApplyResult,
    rest: { method: 'POST', path: '/api/v1/snapshots/{id}/restore', status: appliedStatus },
  }),
};
