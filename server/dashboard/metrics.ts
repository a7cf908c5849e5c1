// The dashboard's /metrics: every director's table for Prometheus, each series labelled `director`. On the main port
// it needs `Authorization: Bearer $LVS_METRICS_TOKEN` (the admin UI for issuing tokens comes with the director
// registry); LVS_METRICS_LISTEN=HOST:PORT also serves it, open, on a separate address meant for the scrapers' network.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  createCachedMetricsExporter,
  createPairDriftExporter,
  type DirectorReading,
  type PairDriftReading,
} from '../../lib/metrics';
import { bearerToken, tokenMatches } from '../agent/token';
import type { Hub } from '../hub/hub';

export interface DashboardMetricsOptions {
  token?: string;
  listen?: { host: string; port: number };
}

const Env = z.object({
  LVS_METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  LVS_METRICS_LISTEN: z
    .string()
    .regex(/^(\[[^\]]+\]|[^:\s]+):\d{1,5}$/, 'must be HOST:PORT (127.0.0.1:9190, [::1]:9190)')
    .transform((s) => {
      const colon = s.lastIndexOf(':');
      return { host: s.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(s.slice(colon + 1)) };
    })
    .refine((l) => l.port <= 65535, 'the port must be at most 65535')
    .optional(),
});

/** LVS_METRICS_TOKEN and LVS_METRICS_LISTEN, validated; a bad value throws naming the variable. */
export function metricsOptionsFromEnv(env: Record<string, string | undefined>): DashboardMetricsOptions {
  const r = Env.safeParse(env);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${issue?.path.join('.')}: ${issue?.message}`);
  }
  return {
    ...(r.data.LVS_METRICS_TOKEN ? { token: r.data.LVS_METRICS_TOKEN } : {}),
    ...(r.data.LVS_METRICS_LISTEN ? { listen: r.data.LVS_METRICS_LISTEN } : {}),
  };
}

/** Each director as the hub last heard it: up while its link is live or stale, with the table it last sent (a new
 * object on every tick, which is what tells the exporter to build that director again). */
export function hubMetrics(hub: Hub): DirectorReading[] {
  return [...hub.links.values()].map((link) => {
    const state = link.state;
    return {
      table: state,
      metrics: {
        director: link.name,
        up: link.status !== 'unreachable',
        stale: link.status !== 'live',
        ...(state ? { services: state.services, ...state.totals } : {}),
      },
    };
  });
}

export interface DashboardMetrics {
  /** Answers /metrics on the main port (true), or leaves the request to the next handler (false). */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Starts the open listener when LVS_METRICS_LISTEN is set; its port, or null. */
  listen(): Promise<number | null>;
  close(): Promise<void>;
}

export function createDashboardMetrics(
  hub: Hub,
  opts: DashboardMetricsOptions,
  pairs: () => readonly PairDriftReading[] = () => [],
): DashboardMetrics {
  const exporter = createCachedMetricsExporter(() => hubMetrics(hub));
  const pairExporter = createPairDriftExporter(pairs);
  // the exposition format ignores the blank line between the directors' metrics and the pairs'
  const render = () => Promise.all([exporter.render(), pairExporter.render()]).then(([a, b]) => `${a}\n${b}`);
  const send = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET /metrics\n');
      return;
    }
    render().then(
      (text) => res.writeHead(200, { 'content-type': exporter.contentType }).end(req.method === 'HEAD' ? '' : text),
      (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${e.message}\n`),
    );
  };
  const isMetrics = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://localhost').pathname === '/metrics';
  const open = opts.listen
    ? createServer((req, res) => {
        if (isMetrics(req)) send(req, res);
        else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: /metrics\n');
      })
    : undefined;
  return {
    handle(req, res) {
      if (!isMetrics(req)) return false;
      if (opts.token === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('/metrics is off: set LVS_METRICS_TOKEN (bearer token) or LVS_METRICS_LISTEN (a separate address)\n');
      } else if (!tokenMatches(bearerToken(req.headers.authorization), opts.token)) {
        res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
        res.end('unauthorized: /metrics needs Authorization: Bearer with LVS_METRICS_TOKEN\n');
      } else send(req, res);
      return true;
    },
    listen() {
      const listen = opts.listen;
      if (!open || !listen) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        open.once('error', reject);
        open.listen(listen.port, listen.host, () => {
          open.off('error', reject);
          resolve((open.address() as AddressInfo).port);
        });
      });
    },
    close() {
      if (!open?.listening) return Promise.resolve();
      return new Promise((resolve) => {
        open.close(() => resolve());
        open.closeAllConnections();
      });
    },
  };
}
