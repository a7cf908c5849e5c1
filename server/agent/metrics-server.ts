// `lvs-agent serve --metrics-listen`: GET /metrics for Prometheus, rendered from the agent's current table (a scrape
// never reads the kernel), optionally behind a bearer token.
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createMetricsExporter, type DirectorMetrics } from '../../lib/metrics';
import type { Agent } from './agent';
import { bearerToken, tokenMatches } from './token';

/** No push for this many ticks: the table is stale (the hub's own rule for a director). */
const STALE_TICKS = 2.5;

export interface MetricsServerOptions {
  agent: Agent;
  tickMs: number;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
  tls?: { cert: string; key: string };
  now?: () => number;
}

export interface MetricsServer {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
  readonly url: string | null;
}

/** The agent's director as the exporter reads it. */
export function agentMetrics(agent: Agent, tickMs: number, now: number): DirectorMetrics {
  const state = agent.state;
  return {
    director: agent.name,
    up: state !== null && agent.lastError === null,
    stale: state === null || now - state.updatedAt > STALE_TICKS * tickMs,
    ...(state ? { services: state.services, ...state.totals } : {}),
    ...(agent.lastReadMs === null ? {} : { tickSeconds: agent.lastReadMs / 1000 }),
  };
}

export function createMetricsServer(opts: MetricsServerOptions): MetricsServer {
  const now = opts.now ?? Date.now;
  const exporter = createMetricsExporter(() => [agentMetrics(opts.agent, opts.tickMs, now())], {
    directorLabel: false,
  });
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics')
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: /metrics\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET /metrics\n');
    if (opts.token !== undefined && !tokenMatches(bearerToken(req.headers.authorization), opts.token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
      return void res.end('unauthorized: a valid metrics token is required (Authorization: Bearer)\n');
    }
    exporter.render().then(
      (text) => res.writeHead(200, { 'content-type': exporter.contentType }).end(req.method === 'HEAD' ? '' : text),
      (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${e.message}\n`),
    );
  };
  const http: Server = opts.tls
    ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }, handler)
    : createHttp(handler);
  let url: string | null = null;
  return {
    get url() {
      return url;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          const p = (http.address() as AddressInfo).port;
          url = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${p}/metrics`;
          resolve(p);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
