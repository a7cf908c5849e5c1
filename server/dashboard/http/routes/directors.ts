// Directors: their live tables, audited edits, and exports of the live table.
import { z } from 'zod';
import { editRole } from '../../../../lib/access';
import {
  EditRequest,
  destinationId,
  renderKeepalived,
  renderSave,
  serviceId,
  serviceKey,
  type TableState,
} from '../../../../lib/ipvs';
import { roleAtLeast } from '../../../../lib/roles';
import type { AgentLink } from '../../../hub/agent-link';
import type { Hub } from '../../../hub/hub';
import { HTTP_STATUS, HttpError, route, type Reply } from '../route';

export const DirectorParams = z.object({ director: z.string().min(1).max(64) });
export const ExportFormat = z.enum(['save', 'json', 'keepalived']);
const ExportQuery = z.object({ format: ExportFormat.default('save') }).strict();
const DrainedQuery = z.object({ service: z.string().min(1).max(200) }).strict();

export function linkOf(hub: Hub, director: string): AgentLink {
  const r = hub.find(director);
  if (!r.ok) throw HttpError.of(r.error);
  return r.data;
}

export function liveState(hub: Hub, director: string): TableState {
  const r = hub.live(director);
  if (!r.ok) throw HttpError.of(r.error);
  return r.data.state;
}

const stamp = (t: number) =>
  new Date(t)
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** Heads the rules and keepalived exports of a simulated director ('#' starts a comment for ipvsadm -R too). */
const SIMULATED_NOTE = '# lvs-dashboard: the table of a SIMULATED director (in memory, no kernel)\n';

/** A table as a downloadable file in one of the export formats; a simulated director's says so. */
export function exportReply(
  director: string,
  services: TableState['services'],
  format: z.infer<typeof ExportFormat>,
  at: number,
  label = stamp(at),
  simulated = false,
): Reply {
  const base = `${director}-${label}`;
  const note = simulated ? SIMULATED_NOTE : '';
  switch (format) {
    case 'save':
      return { text: note + renderSave(services), contentType: 'text/plain; charset=utf-8', download: `${base}.rules` };
    case 'json':
      return {
        text: `${JSON.stringify({ director, exportedAt: new Date(at).toISOString(), ...(simulated ? { simulated: true } : {}), services }, null, 2)}\n`,
        contentType: 'application/json; charset=utf-8',
        download: `${base}.json`,
      };
    case 'keepalived':
      return {
        text: note + renderKeepalived(services),
        contentType: 'text/plain; charset=utf-8',
        download: `${base}.keepalived.conf`,
      };
  }
}

export const directorRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/directors',
    access: 'viewer',
    tag: 'directors',
    summary: 'Every director with its status (live / stale / unreachable) and the time of its last update.',
    returns: '{ directors: [{ id, name, status, lastUpdate, simulated? }] }',
    handler: ({ hub }) => ({ json: { directors: hub.directors() } }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/directors/{director}/table',
    access: 'viewer',
    tag: 'directors',
    summary:
      "A director's live table: services, real servers, counters, rates, timeouts, sync daemons; `simulated: true` for a simulated director.",
    params: DirectorParams,
    returns: 'TableState',
    handler: ({ hub, params }) => ({ json: liveState(hub, params.director) }),
  }),
  route({
    method: 'POST',
    path: '/api/v1/directors/{director}/edits',
    access: 'operator',
    tag: 'directors',
    summary: 'One change (the same edits as the service:update event), audited. Timeouts and sync daemons need admin.',
    params: DirectorParams,
    body: EditRequest,
    returns:
      'EditOutcome { edit, result, confirmed, version }; errors carry the kernel text and, on conflict, the table',
    async handler({ hub, params, body, identity }) {
      const need = editRole(body.edit);
      if (!roleAtLeast(identity!.user.role, need))
        throw new HttpError(403, 'forbidden', `${body.edit.kind} needs the ${need} role`);
      linkOf(hub, params.director);
      const r = await hub.changes.edit({ user: identity!.user.name, source: 'api' }, params.director, body);
      if (r.ok) return { json: r.data };
      return { status: HTTP_STATUS[r.error.code], json: { error: r.error } };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/directors/{director}/drained',
    access: 'viewer',
    tag: 'directors',
    summary:
      "The weight each real server of a service had before it was last drained or set to 0 (from the audit history): what 'Restore' puts back.",
    params: DirectorParams,
    query: DrainedQuery,
    returns: '{ weights: { [realServerId]: weight } }',
    handler({ hub, params, query }) {
      const service = liveState(hub, params.director).services.find((s) => serviceId(serviceKey(s)) === query.service);
      if (!service)
        throw new HttpError(404, 'not_found', `${params.director} has no service ${query.service}`, 'service');
      const dids = service.destinations.filter((d) => d.weight === 0).map(destinationId);
      const weights = hub.audit.weightsBeforeDrain(params.director, query.service, dids);
      return { json: { weights: Object.fromEntries(weights) } };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/directors/{director}/export',
    access: 'viewer',
    tag: 'snapshots',
    summary:
      'The live table as a file: ipvsadm -S -n rules (restorable with ipvsadm -R), JSON (the model), or keepalived.conf virtual_server blocks.',
    params: DirectorParams,
    query: ExportQuery,
    returns: 'The file (attachment)',
    handler({ hub, params, query }) {
      const state = liveState(hub, params.director);
      return exportReply(params.director, state.services, query.format, state.updatedAt, undefined, state.simulated);
    },
  }),
];
