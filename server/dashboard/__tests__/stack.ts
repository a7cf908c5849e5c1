// A dashboard (API + Socket.IO, no pages) on a memory-backed agent, with one account per role, for server tests.
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientEvents, DashboardServerEvents } from '../../../lib/api/types';
import type { Ack } from '../../../lib/events';
import type { Role } from '../../../lib/roles';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, type Agent } from '../../agent/agent';
import { DrainKeeper } from '../../agent/drains';
import { HealthMonitor } from '../../agent/health/monitor';
import { HealthStore } from '../../agent/health/store';
import { MemoryBackend } from '../../agent/memory-backend';
import { createAgentServer } from '../../agent/serve';
import { openDb, type Db } from '../../hub/store/db';
import { createDashboard, type Dashboard, type DashboardOptions } from '../create-dashboard';

export const PASSWORD = 'correct horse battery';
export const AGENT_TOKEN = 'dashboard-test-token-0123456789';
export const SEED =
  '-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1\n-a -t 10.1.0.10:80 -r 10.2.0.12:80 -m -w 1\n-A -u 10.1.0.10:53 -s rr\n-a -u 10.1.0.10:53 -r 10.2.0.11:53 -m -w 1\n';

export interface TestStack {
  url: string;
  /** The test agent's address (the dashboard knows it as 'lab'). */
  agentUrl: string;
  dashboard: Dashboard;
  agent: Agent;
  /** The agent's health checks (files in a temporary directory). */
  health: HealthMonitor;
  backend: MemoryBackend;
  /** The dashboard's (in-memory) database. */
  db: Db;
  /** A fresh session cookie for the account of this role. */
  login(role: Role): Promise<string>;
  /** fetch against the dashboard with the dashboard's own Origin unless headers say otherwise. */
  api(
    path: string,
    init?: { method?: string; cookie?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** `db`: a database to start on (rows an earlier dashboard left), instead of an empty one; `clock`: the time the
 * dashboard's parts read (a FakeClock), instead of the system's. */
export async function startStack(
  opts: { db?: Db } & Pick<DashboardOptions, 'policy' | 'clock'> = {},
): Promise<TestStack> {
  const backend = new MemoryBackend(SEED);
  const agent = createAgent({ backend, tickMs: 100 });
  await agent.start();
  const stateDir = mkdtempSync(join(tmpdir(), 'dashboard-test-'));
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const health = new HealthMonitor({ agent, store: new HealthStore(stateDir), logger: silent, reconcileMs: 100 });
  health.start();
  const drains = new DrainKeeper(agent, join(stateDir, 'drains.json'), silent, { journal: health.journalOf('drain') });
  drains.start();
  const agentServer = createAgentServer({
    agent,
    token: AGENT_TOKEN,
    backendName: 'memory',
    tickMs: 100,
    health,
    drains,
  });
  const agentPort = await agentServer.listen(0);
  const agentUrl = `http://127.0.0.1:${agentPort}`;
  const db = opts.db ?? openDb(':memory:');
  const dashboard = createDashboard({
    dev: false,
    pages: false,
    port: 0,
    hostname: '127.0.0.1',
    db,
    agents: [{ name: 'lab', url: agentUrl, token: AGENT_TOKEN }],
    policy: opts.policy,
    clock: opts.clock,
  });
  const port = await dashboard.listen();
  const url = `http://127.0.0.1:${port}`;
  for (const role of ['viewer', 'operator', 'admin'] as const) await dashboard.services.users.add(role, PASSWORD, role);
  const link = dashboard.hub.link('lab')!;
  for (let i = 0; i < 250 && !link.state; i++) await new Promise((r) => setTimeout(r, 20));

  const api: TestStack['api'] = (path, init = {}) =>
    fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        origin: url,
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  const login = async (role: Role) => {
    const r = await api('/api/v1/auth/login', { method: 'POST', body: { name: role, password: PASSWORD } });
    if (r.status !== 200) throw new Error(`login ${role}: ${r.status} ${await r.text()}`);
    return (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  };

  return {
    url,
    agentUrl,
    dashboard,
    agent,
    health,
    backend,
    db,
    login,
    api,
    async close() {
      await dashboard.close();
      health.stop();
      drains.stop();
      agent.stop();
      rmSync(stateDir, { recursive: true, force: true });
      await agentServer.close();
      db.close();
    },
  };
}

/** Polls `ok` every 25 ms until it holds; throws naming `what` after `tries` polls. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export type BrowserSocket = Socket<DashboardServerEvents, ClientEvents>;

/** A browser-like Socket.IO client; rejects with the server's refusal when the handshake is refused. */
export function socketFor(url: string, headers: Record<string, string>): Promise<BrowserSocket> {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: headers,
  }) as BrowserSocket;
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
  });
}

export function request<R>(socket: BrowserSocket, event: keyof ClientEvents, ...args: unknown[]): Promise<Ack<R>> {
  return new Promise((resolve) =>
    (socket.timeout(10_000).emit as unknown as (...a: unknown[]) => void)(
      event,
      ...args,
      (err: Error | null, r: Ack<R>) =>
        resolve(err ? { ok: false, error: { code: 'timeout', message: err.message } } : r),
    ),
  );
}
