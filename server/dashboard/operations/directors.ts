// Directors: the list, live tables and their changes (effects included: every edit reaches the director's room as
// service:updated, whichever transport made it), connections, exports and the stats history.
import type { ExportFormat, FileDownload } from '../../../lib/api/contracts';
import { ApiError } from '../../../lib/errors';
import type { directorOperations } from '../../../lib/api/operations/directors';
import type { Ack } from '../../../lib/events';
import {
  destinationId,
  type KeptDrain,
  renderKeepalived,
  renderSave,
  serviceId,
  serviceKey,
  type TableState,
} from '../../../lib/ipvs';
import { QUERIES_PER_WINDOW, QUERY_WINDOW_S } from '../../hub/query-limiter';
import type { Services } from '../services';
import type { Handlers } from './handler';

/** The hub's (or the agent's) answer, or its error (with the table and what ran) thrown as an ApiError. */
export function unwrap<T>(r: Ack<T>): T {
  if (r.ok) return r.data;
  throw ApiError.of(r.error);
}

export const liveState = (services: Services, director: string): TableState =>
  unwrap(services.directors.live(director)).state;

const stamp = (t: number) =>
  new Date(t)
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** Heads the rules and keepalived exports of a simulated director ('#' starts a comment for ipvsadm -R too). */
const SIMULATED_NOTE = '# lvs-dashboard: the table of a SIMULATED director (in memory, no kernel)\n';

/** A table as a downloadable file in one of the export formats; a simulated director's says so. */
export function exportFile(
  director: string,
  services: TableState['services'],
  format: ExportFormat,
  at: number,
  label = stamp(at),
  simulated = false,
): FileDownload {
  const base = `${director}-${label}`;
  const note = simulated ? SIMULATED_NOTE : '';
  const text = 'text/plain; charset=utf-8';
  switch (format) {
    case 'save':
      return { text: note + renderSave(services), contentType: text, filename: `${base}.rules` };
    case 'json':
      return {
        text: `${JSON.stringify({ director, exportedAt: new Date(at).toISOString(), ...(simulated ? { simulated: true } : {}), services }, null, 2)}\n`,
        contentType: 'application/json; charset=utf-8',
        filename: `${base}.json`,
      };
    case 'keepalived':
      return { text: note + renderKeepalived(services), contentType: text, filename: `${base}.keepalived.conf` };
  }
}

export const directorHandlers: Handlers<keyof typeof directorOperations> = {
  'directors:list': ({ services }) => ({ directors: services.directors.directors() }),

  'director:table': ({ services }, { director }) => liveState(services, director),

  async 'director:info'({ services }, { director }) {
    const link = unwrap(services.directors.find(director));
    const config = services.fleet.list().find((d) => d.name === director);
    const summary = services.directors.directors().find((d) => d.name === director);
    if (!config || !summary) throw new ApiError('not_found', `no director named ${director}`, { field: 'director' });
    return { director: summary, url: config.url, source: config.source, agent: await link.freshAgentInfo() };
  },

  async 'director:subscribe'({ services, socket }, { director }) {
    unwrap(services.directors.find(director));
    await socket.join(director);
    return liveState(services, director);
  },

  async 'director:unsubscribe'({ socket }, { director }) {
    await socket.leave(director);
    return null;
  },

  async 'service:update'({ services, actor, via }, { director, request }) {
    const user = actor.user.name;
    const o = unwrap(await services.changes.edit({ user, source: via === 'rest' ? 'api' : 'ui' }, director, request));
    services.broadcast.serviceUpdated({ director, user, edit: o.edit, result: o.result, version: o.version });
    return o;
  },

  async 'director:drained'({ services }, { director, service: id }) {
    const { link, state } = unwrap(services.directors.live(director));
    const service = state.services.find((s) => serviceId(serviceKey(s)) === id);
    if (!service) throw new ApiError('not_found', `${director} has no service ${id}`, { field: 'service' });
    const dids = service.destinations.filter((d) => d.weight === 0).map(destinationId);
    const weights = Object.fromEntries(services.audit.weightsBeforeDrain(director, id, dids));
    const kept = await link.drains(); // an older agent keeps none: the audit's weights stand
    const drains: Record<string, KeptDrain> = {};
    for (const did of dids) {
      const k = kept.ok ? kept.data[`${id}|${did}`] : undefined;
      if (!k) continue;
      drains[did] = k;
      weights[did] = k.weight;
    }
    return { weights, drains };
  },

  'director:export'({ services }, { director, format }) {
    const state = liveState(services, director);
    return exportFile(director, state.services, format, state.updatedAt, undefined, state.simulated);
  },

  'director:stats'({ services }, { director, series, range }) {
    unwrap(services.directors.find(director));
    return { range, series: services.stats.queryMany(director, series, range) };
  },

  async 'director:doctor'({ services }, { director }) {
    return unwrap(await unwrap(services.directors.find(director)).doctor());
  },

  async 'conns:watch'({ services, socket }, { director, on }) {
    const link = unwrap(services.directors.find(director));
    if (on === socket.watching.has(director)) return null;
    if (on) socket.watching.add(director);
    else socket.watching.delete(director);
    return unwrap(await link.watchConnections(on));
  },

  async 'conns:query'({ services, actor }, { director, query }) {
    const wait = await services.connQueries.take(actor.user.name);
    if (wait > 0) {
      throw new ApiError(
        'rate_limited',
        `too many connection queries (at most ${QUERIES_PER_WINDOW} every ${QUERY_WINDOW_S} s per user): retry in ${Math.ceil(wait / 1000)} s`,
      );
    }
    return unwrap(await unwrap(services.directors.find(director)).queryConnections(query));
  },
};
