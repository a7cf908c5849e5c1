// The agent's network face: a Socket.IO server (127.0.0.1 by default, TLS when given a cert) that requires the token
// (Authorization: Bearer) before accepting any connection, and relays the Agent's table, edits, applies and
// connection views to the dashboard hub.
import { createServer as createHttp, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { Server } from 'socket.io';
import {
  AGENT_PROTOCOL,
  type AgentClientEvents,
  type AgentInfo,
  type AgentServerEvents,
  type OpResult,
} from '../../lib/events';
import { ApiError } from '../../lib/errors';
import { ParseError, parseSave } from '../../lib/ipvs';
import type { Logger } from '../log';
import type { Agent } from './agent';
import type { DrainKeeper } from './drains';
import type { HealthMonitor } from './health/monitor';
import { tcpProber } from './health/tcp-probe';
import { onAgentRequest, type AgentSocket } from './requests';
import { bearerToken, tokenMatches } from './token';

/** Connection queries one hub connection may have waiting or running at once; more are refused until some finish. */
export const MAX_QUERIES_IN_FLIGHT = 64;

export interface AgentServerOptions {
  agent: Agent;
  token: string;
  tls?: { cert: string; key: string };
  backendName: string;
  /** Why this backend was chosen (agent:info's backendReason). */
  backendReason?: string;
  tickMs: number;
  /** The record of the last restore-on-boot, once (see saved-table.ts). */
  takeRestore?: () => AgentInfo['restored'];
  /** Each refused connection is logged here with its reason and the peer's address (never the token given). */
  logger?: Logger;
  /** The health checks (absent: its health requests answer unavailable). */
  health?: HealthMonitor;
  /** Keeps drained real servers' weights (absent: drains keep nothing, an undrain puts weight 1). */
  drains?: DrainKeeper;
}

export interface AgentServer {
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  readonly url: string | null;
  /** Open connections (engine.io sessions); each one presented the token. */
  readonly sessions: number;
}

export function createAgentServer(opts: AgentServerOptions): AgentServer {
  const { agent, token } = opts;
  const http: HttpServer = opts.tls ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }) : createHttp();
  const refused = (remote: string | undefined, reason: string, detail: Record<string, unknown> = {}) =>
    opts.logger?.warn({ event: 'connection-refused', remote: remote ?? null, reason, ...detail }, `refused: ${reason}`);
  http.on('request', (req, res) => {
    if (res.headersSent) return;
    refused(req.socket.remoteAddress, 'not a Socket.IO websocket', {
      method: req.method,
      path: req.url?.split('?')[0],
    });
    res.writeHead(404, { 'content-type': 'text/plain' }).end('lvs-agent: Socket.IO only\n');
  });
  // A client that fails the TLS handshake: it does not trust this certificate (it hangs up or sends an alert), speaks
  // plain http to the TLS port... (a client that hung up has no address left to log)
  if (opts.tls)
    http.on('tlsClientError', (err: NodeJS.ErrnoException, socket: TLSSocket) =>
      refused(socket.remoteAddress, `TLS handshake failed: ${err.message}`, { code: err.code ?? null }),
    );
  // A wrong token is refused 401 before engine.io sees the upgrade (engine.io answers every refusal 400, so the
  // dashboard could not tell a wrong token from any other failed upgrade).
  const answered = new WeakSet<IncomingMessage>(); // upgrades refused here, which engine.io then refuses once more
  http.prependListener('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const given = bearerToken(req.headers.authorization);
    if (tokenMatches(given, token)) return;
    answered.add(req);
    refused(req.socket.remoteAddress, given === undefined ? 'no token' : 'wrong token');
    socket.on('error', () => undefined);
    const body = 'unauthorized: a valid agent token is required (Authorization: Bearer)\n';
    socket.end(
      `HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
  });
  // Websocket only, and the token checked on the HTTP upgrade itself (allowRequest too): without it engine.io opens no
  // session and reads no message, so the large message limit below only ever applies to the token holder.
  const io = new Server<AgentClientEvents, AgentServerEvents>(http, {
    serveClient: false,
    transports: ['websocket'],
    maxHttpBufferSize: 32 * 1024 * 1024,
    allowRequest: (req, cb) =>
      tokenMatches(bearerToken(req.headers.authorization), token)
        ? cb(null, true)
        : cb('unauthorized: a valid agent token is required (Authorization: Bearer)', false),
  });
  // engine.io's own refusals: a polling request (websocket only here), an old protocol, a bad handshake
  io.engine.on('connection_error', (e: { req: IncomingMessage; code: number; message: string }) => {
    if (!answered.has(e.req)) refused(e.req.socket?.remoteAddress, `Socket.IO: ${e.message}`, { code: e.code });
  });
  let url: string | null = null;

  io.on('connection', (socket) => {
    let unsubscribe: (() => void) | undefined;
    let unwatch: (() => void) | undefined;
    let queries = 0;

    onAgentRequest(socket, 'agent:info', (_, reply) =>
      reply({
        ok: true,
        data: {
          name: agent.name,
          backend: opts.backendName,
          ...(opts.backendReason === undefined ? {} : { backendReason: opts.backendReason }),
          tcpChecks: tcpProber().info,
          tickMs: opts.tickMs,
          lastTickMs: agent.tick.lastTickMs,
          stretched: agent.tick.stretched,
          protocol: AGENT_PROTOCOL,
          readError: agent.lastError,
          restored: opts.takeRestore?.() ?? null,
        },
      }),
    );

    onAgentRequest(socket, 'table:subscribe', (_, reply) => {
      unsubscribe?.();
      let first = true;
      unsubscribe = agent.subscribe((m) => {
        if (m.type === 'snapshot') {
          if (first) reply({ ok: true, data: m.state });
          else socket.emit('table:snapshot', m.state);
        } else socket.emit('table:delta', m.delta);
        first = false;
      });
      if (first) {
        // not read yet: answer when the first read lands
        agent.refresh().catch((e: Error) => reply({ ok: false, error: { code: 'unavailable', message: e.message } }));
      }
    });

    onAgentRequest(socket, 'edit', async ([req], reply) => reply(await (opts.drains ?? agent).edit(req)));
    onAgentRequest(socket, 'drains:get', (_, reply) => reply({ ok: true, data: opts.drains?.list() ?? {} }));

    onAgentRequest(socket, 'apply', async ([req], reply) => {
      let desired;
      try {
        desired = parseSave(req.rules);
      } catch (e) {
        if (e instanceof ParseError)
          return reply({ ok: false, error: { code: 'invalid', message: e.message, field: 'rules' } });
        throw e;
      }
      const onStep = (step: number, total: number, result: OpResult) =>
        socket.emit('apply:progress', { step, total, result });
      try {
        reply({
          ok: true,
          data: await agent.apply(desired, { dryRun: req.dryRun, keepOthers: req.others === 'keep', onStep }),
        });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        reply({ ok: false, error: e.toAck() });
      }
    });

    onAgentRequest(socket, 'conns:watch', ([on], reply) => {
      unwatch?.();
      unwatch = on ? agent.connections.watch() : undefined;
      reply({ ok: true, data: null });
    });

    onAgentRequest(socket, 'conns:query', ([q], reply) => {
      if (queries >= MAX_QUERIES_IN_FLIGHT) {
        const message = `too many connection queries at once on this connection (at most ${MAX_QUERIES_IN_FLIGHT}): retry when one has been answered`;
        return reply({ ok: false, error: { code: 'rate_limited', message } });
      }
      queries++;
      return agent.connections
        .query(q)
        .then((data) => reply({ ok: true, data }))
        .catch((e: Error) => reply({ ok: false, error: { code: 'unavailable', message: e.message } }))
        .finally(() => queries--);
    });

    onAgentRequest(socket, 'doctor:run', (_, reply) => {
      if (!agent.doctor.available)
        return reply({ ok: false, error: { code: 'unavailable', message: 'this agent cannot check its director' } });
      return agent.doctor
        .run()
        .then((data) => reply({ ok: true, data }))
        .catch((e: Error) => reply({ ok: false, error: { code: 'unavailable', message: `doctor: ${e.message}` } }));
    });

    const unhealth = onHealthRequests(socket, opts.health);

    socket.on('disconnect', () => {
      unsubscribe?.();
      unwatch?.();
      unhealth();
    });
  });

  return {
    get url() {
      return url;
    },
    get sessions() {
      return io.engine.clientsCount;
    },
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          const p = (http.address() as AddressInfo).port;
          url = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${p}`;
          resolve(p);
        });
      });
    },
    async close() {
      await io.close();
    },
  };
}

/** health:* requests; returns what to undo when the socket goes. */
function onHealthRequests(socket: AgentSocket, health: HealthMonitor | undefined): () => void {
  let unsubscribe: (() => void) | undefined;
  const off = {
    ok: false as const,
    error: { code: 'unavailable' as const, message: 'this agent runs no health checks' },
  };
  onAgentRequest(socket, 'health:config:get', (_, reply) =>
    reply(health ? { ok: true, data: health.getConfig() } : off),
  );
  onAgentRequest(socket, 'health:config:set', async ([config], reply) => {
    if (!health) return reply(off);
    try {
      reply({ ok: true, data: await health.setConfig(config) });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      reply({ ok: false, error: e.toAck() });
    }
  });
  onAgentRequest(socket, 'health:subscribe', (_, reply) => {
    if (!health) return reply(off);
    unsubscribe?.();
    unsubscribe = health.subscribe((u) => socket.emit('health:update', u));
    reply({ ok: true, data: health.view() });
  });
  onAgentRequest(socket, 'health:journal', ([req], reply) =>
    reply(health ? { ok: true, data: health.journalSince(req.since, req.limit) } : off),
  );
  return () => unsubscribe?.();
}
