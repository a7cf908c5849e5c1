// The agent's network face: a Socket.IO server (127.0.0.1 by default, TLS when given a cert) that requires the token
// on every connection and relays the Agent's table, edits, applies and connection views to the dashboard hub.
import { createServer as createHttp, type Server as HttpServer } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { ApplyRequest, type AgentClientEvents, type AgentServerEvents } from '../../lib/events';
import { ConnectionQuery, ParseError, parseSave } from '../../lib/ipvs';
import { DegradedError, type Agent } from './agent';
import { tokenMatches } from './token';

export interface AgentServerOptions {
  agent: Agent;
  token: string;
  tls?: { cert: string; key: string };
  backendName: string;
  tickMs: number;
}

export interface AgentServer {
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  readonly url: string | null;
}

export function createAgentServer(opts: AgentServerOptions): AgentServer {
  const { agent, token } = opts;
  const http: HttpServer = opts.tls ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }) : createHttp();
  http.on('request', (_req, res) => {
    if (res.headersSent) return;
    res.writeHead(404, { 'content-type': 'text/plain' }).end('lvs-agent: Socket.IO only\n');
  });
  const io = new Server<AgentClientEvents, AgentServerEvents>(http, { serveClient: false, maxHttpBufferSize: 32 * 1024 * 1024 });
  let url: string | null = null;

  io.use((socket, next) => {
    if (tokenMatches((socket.handshake.auth as { token?: unknown }).token, token)) next();
    else next(new Error('unauthorized: a valid agent token is required'));
  });

  io.on('connection', (socket) => {
    let unsubscribe: (() => void) | undefined;
    let unwatch: (() => void) | undefined;
    const guard = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function') return; // every request must carry an ack
      fn(...args);
    };

    socket.on('agent:info', guard((ack) => ack({ ok: true, data: { name: agent.name, backend: opts.backendName, tickMs: opts.tickMs } })));

    socket.on(
      'table:subscribe',
      guard((ack) => {
        unsubscribe?.();
        let first = true;
        unsubscribe = agent.subscribe((m) => {
          if (m.type === 'snapshot') {
            if (first) ack({ ok: true, data: m.state });
            else socket.emit('table:snapshot', m.state);
          } else socket.emit('table:delta', m.delta);
          first = false;
        });
        if (first) {
          // not read yet: answer when the first read lands
          agent.refresh().catch((e: Error) => ack({ ok: false, error: { code: 'unavailable', message: e.message } }));
        }
      }),
    );

    socket.on('edit', guard((req, ack) => void agent.edit(req).then(ack)));

    socket.on(
      'apply',
      guard((req, ack) => {
        const parsed = ApplyRequest.safeParse(req);
        if (!parsed.success) return ack({ ok: false, error: { code: 'invalid', message: parsed.error.issues[0]?.message ?? 'invalid', field: 'rules' } });
        let desired;
        try {
          desired = parseSave(parsed.data.rules);
        } catch (e) {
          if (e instanceof ParseError) return ack({ ok: false, error: { code: 'invalid', message: e.message, field: 'rules' } });
          throw e;
        }
        agent
          .apply(desired, { dryRun: parsed.data.dryRun, onStep: (step, total, result) => socket.emit('apply:progress', { step, total, result }) })
          .then((data) => ack({ ok: true, data }))
          .catch((e: Error) => ack({ ok: false, error: { code: e instanceof DegradedError ? 'unavailable' : 'internal', message: e.message } }));
      }),
    );

    socket.on(
      'conns:watch',
      guard((on, ack) => {
        unwatch?.();
        unwatch = on === true ? agent.connections.watch() : undefined;
        ack({ ok: true, data: null });
      }),
    );

    socket.on(
      'conns:query',
      guard((q, ack) => {
        const parsed = ConnectionQuery.safeParse(q);
        if (!parsed.success) {
          const i = parsed.error.issues[0];
          return ack({ ok: false, error: { code: 'invalid', message: i?.message ?? 'invalid', field: i?.path.join('.') } });
        }
        agent.connections
          .query(parsed.data)
          .then((data) => ack({ ok: true, data }))
          .catch((e: Error) => ack({ ok: false, error: { code: 'unavailable', message: e.message } }));
      }),
    );

    socket.on('disconnect', () => {
      unsubscribe?.();
      unwatch?.();
    });
  });

  return {
    get url() {
      return url;
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
