// The dashboard server: one HTTP server carrying the Next.js app and a typed Socket.IO server on the same port.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type next from 'next';
import { Server } from 'socket.io';
import type { ClientEvents, DashboardServerEvents } from '../../lib/api/types';
import type { Clock } from '../clock';
import type { Hub } from '../hub/hub';
import type { AgentEndpoint } from '../hub/agent-link-types';
import type { Db } from '../hub/store/db';
import { createDashboardMetrics, type DashboardMetricsOptions } from './metrics';
import { createApi } from './http/api';
import { allowedHosts, hostAllowed, setApiHeaders, setPageHeaders } from './http/security';
import { identify, sessionUser, type RequestPolicy } from './http/session-cookie';
import { bindOperations, type DashboardServer } from './requests';
import { openParts, type DashboardParts } from './parts';
import type { Services } from './services';
import { setDirectorSource } from './snapshot';
import { endSessionSockets, installSocketAuth } from './socket-auth';

export type { AgentEndpoint };

export interface DashboardOptions {
  /** Next.js dev mode (on-demand compilation, HMR) instead of serving the `next build` output. */
  dev: boolean;
  /** TCP port; 0 picks a free one (see `listen()`). */
  port: number;
  hostname: string;
  /** The directors and the stores beside them, ready-made (tests pass in-memory twins); else built by openParts
   * from `db` and `agents`. */
  parts?: DashboardParts;
  agents?: readonly AgentEndpoint[];
  /** The dashboard's database (openDb): accounts, sessions, audit, stats history, snapshots. */
  db?: Db;
  /** The clock the parts built from `db` read (sessions, audit, staleness...); the system clock by default. */
  clock?: Clock;
  policy?: Partial<RequestPolicy>;
  /** false: serve only /api/v1 and Socket.IO, no Next.js pages (server tests). */
  pages?: boolean;
  /** Project root holding app/ and .next/; defaults to this checkout. */
  dir?: string;
  /** /metrics for Prometheus (LVS_METRICS_TOKEN, LVS_METRICS_LISTEN); off when absent. */
  metrics?: DashboardMetricsOptions;
}

export interface Dashboard {
  readonly io: DashboardServer;
  /** The directors (agent links). */
  readonly hub: Hub;
  /** What the operations work with: the hub, the stores beside it and the broadcasts. */
  readonly services: Services;
  /** Binds the port, prepares Next.js, and resolves with the bound port once pages can be served. */
  listen(): Promise<number>;
  /** Disconnects every browser, stops accepting connections and shuts Next.js down. */
  close(): Promise<void>;
}

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Pages anyone may load: the login and first-start setup pages, the assets every page needs, and the files of public/ that browsers and
 * crawlers fetch without a session (robots.txt, the web app manifest and its icons). */
const OPEN_PATHS =
  /^\/(login(\/|$)|_next\/|favicon\.ico$|icon\.svg$|setup(\/|$)|robots\.txt$|manifest\.webmanifest$|icons\/[\w.-]+\.png$)/;
/** The signed-in user, passed to the Next.js pages; any value a client sends is dropped first. */
export const USER_HEADER = 'x-lvs-user';

function partsFrom({ db, agents, clock }: DashboardOptions): DashboardParts {
  if (!db) throw new Error('createDashboard: give parts, or db (and agents) to build them from');
  return openParts({ db, agents: agents ?? [], clock });
}

export function createDashboard(options: DashboardOptions): Dashboard {
  const { dev, hostname, dir = PROJECT_ROOT } = options;
  let nextApp: ReturnType<typeof next> | undefined;
  let handle: RequestHandler | undefined;
  let state: 'idle' | 'listening' | 'closed' = 'idle';

  const policy: RequestPolicy = { trustedProxies: [], extraOrigins: [], ...options.policy };
  const parts = options.parts ?? partsFrom(options);
  const hub = parts.directors;

  const hosts = allowedHosts(hostname, policy.extraOrigins);
  const metrics = createDashboardMetrics(hub, options.metrics ?? {}, () => parts.pairs.counts());

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setApiHeaders(res);
    if (!hostAllowed(req, hosts)) {
      // Another name resolving to this server (DNS rebinding) must not reach the pages or the API.
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('lvs-dashboard: unknown Host; add the address you use to LVS_ORIGINS\n');
      return;
    }
    if (metrics.handle(req, res)) return;
    if (await api.handle(req, res)) return;
    setPageHeaders(req, res, dev);
    if (!handle) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
      res.end('lvs-dashboard is starting\n');
      return;
    }
    delete req.headers[USER_HEADER];
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!OPEN_PATHS.test(path)) {
      const id = identify(services, req.headers);
      if (!id) {
        res.writeHead(303, {
          location: `/login?next=${encodeURIComponent(req.url ?? '/')}`,
          'cache-control': 'no-store',
        });
        res.end();
        return;
      }
      req.headers[USER_HEADER] = JSON.stringify(sessionUser(id.user));
    }
    await handle(req, res);
  }

  const httpServer = createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      console.error(`dashboard: ${req.method} ${req.url} failed:`, err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });

  const io: DashboardServer = new Server<ClientEvents, DashboardServerEvents>(httpServer, {
    serveClient: false,
    // Browser requests are small, and engine.io reads messages before the session check (io.use): keep them small.
    maxHttpBufferSize: 64 * 1024,
    // Leave WebSocket upgrades for other paths (Next.js HMR in dev) to their own handler.
    destroyUpgrade: false,
    allowRequest: (req, callback) => callback(null, hostAllowed(req, hosts)),
  });

  const services: Services = {
    ...parts,
    broadcast: {
      endSessions: (ids) => endSessionSockets(io, ids),
      applyProgress: (p) => io.to(`director:${p.director}`).emit('apply:progress', p),
      serviceUpdated: (u) => io.to(`director:${u.director}`).emit('service:updated', u),
    },
  };
  const api = createApi({ services, policy });
  const stopSessionSweep = installSocketAuth(io, services, policy);
  parts.audit.onChange = (row) => io.emit('audit:changed', row);
  const listDirectors = () => hub.directors();
  hub.on('directors', (list) => io.emit('directors', list));
  parts.pairs.on('changed', (u) => io.emit('pair:drift', u));
  hub.on('snapshot', (director, state) => io.to(`director:${director}`).emit('director:snapshot', { director, state }));
  hub.on('delta', (director, delta) => io.to(`director:${director}`).emit('director:delta', { director, delta }));
  hub.on('health', (director, { fresh: _, ...update }) =>
    io.to(`director:${director}`).emit('director:health', { director, update }),
  );

  io.on('connection', (socket) => {
    socket.emit('directors', listDirectors());
    bindOperations(socket, services);
  });

  async function listen(): Promise<number> {
    if (state !== 'idle') throw new Error(`dashboard: listen() called on a ${state} server`);
    state = 'listening';
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port, hostname, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const port = (httpServer.address() as AddressInfo).port;
    await metrics.listen();
    if (options.pages === false) {
      handle = async (_req, res) => {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('pages are off\n');
      };
      return port;
    }
    try {
      // Next.js is created once the port is known: it uses hostname and port for its own absolute URLs.
      // Loaded only when pages are served: API-only servers (tests, the lab) skip Next.js's import cost.
      const { default: createNext } = await import('next');
      nextApp = createNext({ dev, dir, hostname, port, httpServer });
      await nextApp.prepare();
    } catch (err) {
      await close();
      throw err;
    }
    handle = nextApp.getRequestHandler();
    setDirectorSource(listDirectors);
    return port;
  }

  async function close(): Promise<void> {
    if (state === 'closed') return;
    state = 'closed';
    setDirectorSource(undefined);
    stopSessionSweep();
    handle = undefined;
    parts.pairs.close();
    hub.close();
    await metrics.close();
    const closed = io.close(); // also closes httpServer
    httpServer.closeAllConnections();
    await closed;
    await nextApp?.close();
  }

  return { io, hub, services, listen, close };
}
