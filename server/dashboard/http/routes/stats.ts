// Stats history for the charts: per service and per real server, at the resolution the range needs.
import { z } from 'zod';
import { StatsRange } from '../../../hub/store/stats-history';
import { route } from '../route';
import { DirectorParams, linkOf } from './directors';

const Series = z.string().min(1).max(200);
const StatsQuery = z
  .object({
    /** `tcp/10.1.0.10:80` (a service) or `tcp/10.1.0.10:80|10.2.0.11:80` (one of its real servers); repeatable. */
    series: z.union([Series, z.array(Series).min(1).max(500)]).transform((s) => (Array.isArray(s) ? s : [s])),
    range: StatsRange.default('1h'),
  })
  .strict();

export const statsRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/directors/{director}/stats',
    access: 'viewer',
    tag: 'stats',
    summary:
      'Rates and connection counts over time: ticks for 5m (averaged to at most 2,000 points for 1h), 1-minute averages for 24h, hourly for 7d and 30d. Kept across restarts.',
    params: DirectorParams,
    query: StatsQuery,
    returns: '{ range, series: { [id]: [{ t, cps, inPps, outPps, inBps, outBps, activeConns, inactiveConns }] } }',
    handler({ hub, params, query }) {
      linkOf(hub, params.director);
      return { json: { range: query.range, series: hub.stats.queryMany(params.director, query.series, query.range) } };
    },
  }),
];
