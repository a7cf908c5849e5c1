// Saved snapshots, import preview (diff + plan against the live table) and apply, restore (rollback).
import { z } from 'zod';
import { countDestinations, renderSave, type Service } from '../../../../lib/ipvs';
import type { Hub } from '../../../hub/hub';
import { ImportError, MAX_IMPORT_RULES, type ImportedTable } from '../../../hub/imports/rules';
import { ImportRunner } from '../../../hub/imports/runner';
import type { Identity } from '../session-cookie';
import { HttpError, route, type RouteSockets } from '../route';
import { DirectorParams, ExportFormat, exportReply, liveState } from './directors';

/** Largest import request body: MAX_IMPORT_RULES rules as a JSON export, quoted in the request's JSON. */
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;
const SnapshotName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const Rules = z.string().max(IMPORT_BODY_LIMIT, 'must be at most 16 MiB');
const ImportBody = z.object({ rules: Rules }).strict();
const ImportApplyBody = z.object({ rules: Rules, name: SnapshotName.optional() }).strict();
const NewSnapshot = z.object({ director: z.string().min(1).max(64), name: SnapshotName }).strict();
const IdParams = z.object({ id: z.coerce.number().int().min(1) });
const ListQuery = z.object({ director: z.string().max(64).optional() }).strict();
const DownloadQuery = z.object({ format: ExportFormat.default('save') }).strict();

/** Import texts (ipvsadm -S -n rules or this dashboard's JSON export) are read and diffed off the event loop. */
const imports = new ImportRunner();

async function invalidAs400<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof ImportError) throw new HttpError(400, 'invalid', e.message, e.field);
    throw e;
  }
}
const toRules = (text: string): Promise<ImportedTable> => invalidAs400(imports.read(text));
/** The preview's TableDiff, as the JSON text the worker wrote. */
const previewOf = async (text: string, live: readonly Service[]) => ({
  text: await invalidAs400(imports.previewJson(text, live)),
  contentType: 'application/json; charset=utf-8',
});

function snapshotOf(hub: Hub, id: number) {
  const s = hub.snapshots.get(id);
  if (!s) throw new HttpError(404, 'not_found', `no snapshot ${id}`, 'id');
  return s;
}

async function applyReply(
  hub: Hub,
  sockets: RouteSockets,
  identity: Identity,
  director: string,
  desired: ImportedTable,
  reason: string,
) {
  const user = identity.user.name;
  const r = await hub.changes.apply({ user, source: 'restore' }, director, desired, {
    reason,
    onProgress: (p) => sockets.applyProgress(director, user, p),
  });
  if (!r.ok) throw HttpError.of(r.error);
  const failed = r.data.results.some((x) => !x.ok);
  return { status: failed ? 422 : 200, json: r.data };
}

export const snapshotRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/snapshots',
    access: 'viewer',
    tag: 'snapshots',
    summary: 'Saved snapshots, newest first (manual ones and the automatic ones taken before each restore).',
    query: ListQuery,
    returns: '{ snapshots: [{ id, name, director, kind, createdAt, createdBy, services, destinations }] }',
    handler: ({ hub, query }) => ({ json: { snapshots: hub.snapshots.list(query.director) } }),
  }),
  route({
    method: 'POST',
    path: '/api/v1/snapshots',
    access: 'operator',
    tag: 'snapshots',
    summary: "Save a director's live table under a name.",
    body: NewSnapshot,
    returns: 'The snapshot { snapshot }',
    handler({ hub, body, identity }) {
      const state = liveState(hub, body.director);
      const snapshot = hub.snapshots.save({
        name: body.name,
        director: body.director,
        kind: 'manual',
        createdBy: identity!.user.name,
        rules: renderSave(state.services),
        services: state.services.length,
        destinations: countDestinations(state.services),
      });
      return { status: 201, json: { snapshot } };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/snapshots/{id}',
    access: 'viewer',
    tag: 'snapshots',
    summary: 'One snapshot with its rules (ipvsadm -S -n text).',
    params: IdParams,
    returns: '{ snapshot: { ..., rules } }',
    handler: ({ hub, params }) => ({ json: { snapshot: snapshotOf(hub, params.id) } }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/snapshots/{id}/download',
    access: 'viewer',
    tag: 'snapshots',
    summary: 'One snapshot as a file (rules, JSON or keepalived.conf).',
    params: IdParams,
    query: DownloadQuery,
    returns: 'The file (attachment)',
    async handler({ hub, params, query }) {
      const s = snapshotOf(hub, params.id);
      const simulated = hub.link(s.director)?.state?.simulated;
      const { services } = await toRules(s.rules);
      return exportReply(s.director, services, query.format, s.createdAt, `snapshot-${s.id}`, simulated);
    },
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/snapshots/{id}',
    access: 'admin',
    tag: 'snapshots',
    summary: 'Delete a saved snapshot.',
    params: IdParams,
    returns: 'No content',
    handler({ hub, params }) {
      if (!hub.snapshots.remove(params.id)) throw new HttpError(404, 'not_found', `no snapshot ${params.id}`, 'id');
      return { status: 204 };
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/directors/{director}/import/preview',
    access: 'operator',
    tag: 'snapshots',
    summary: `What importing these rules (ipvsadm -S -n text or the JSON export, at most ${MAX_IMPORT_RULES} rules) would change: services and real servers added, removed, changed, and the ipvsadm plan. Changes nothing.`,
    params: DirectorParams,
    body: ImportBody,
    maxBody: IMPORT_BODY_LIMIT,
    returns: 'TableDiff { added, removed, changed, unchanged, plan }',
    async handler({ hub, params, body }) {
      const state = liveState(hub, params.director);
      return previewOf(body.rules, state.services);
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/directors/{director}/import',
    access: 'admin',
    tag: 'snapshots',
    summary: `Make the live table equal these rules (at most ${MAX_IMPORT_RULES}) with the minimal plan (never a flush), after an automatic snapshot. Progress goes to the director room as apply:progress.`,
    params: DirectorParams,
    body: ImportApplyBody,
    maxBody: IMPORT_BODY_LIMIT,
    returns: 'ApplyOutcome with per-operation results and the automatic snapshot (422 when an operation failed)',
    async handler({ hub, params, body, identity, sockets }) {
      return applyReply(
        hub,
        sockets,
        identity!,
        params.director,
        await toRules(body.rules),
        `import${body.name ? ` of ${body.name}` : ''}`,
      );
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/snapshots/{id}/preview',
    access: 'operator',
    tag: 'snapshots',
    summary: "What restoring this snapshot would change on its director's live table.",
    params: IdParams,
    returns: 'TableDiff',
    async handler({ hub, params }) {
      const s = snapshotOf(hub, params.id);
      return previewOf(s.rules, liveState(hub, s.director).services);
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/snapshots/{id}/restore',
    access: 'admin',
    tag: 'snapshots',
    summary: 'Restore a snapshot on its director (rollback = restore the automatic snapshot taken before a change).',
    params: IdParams,
    returns: 'ApplyOutcome (422 when an operation failed)',
    async handler({ hub, params, identity, sockets }) {
      const s = snapshotOf(hub, params.id);
      const desired = await toRules(s.rules);
      return applyReply(hub, sockets, identity!, s.director, desired, `restore of snapshot ${s.id} "${s.name}"`);
    },
  }),
];
