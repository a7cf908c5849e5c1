// The stack most lab tests start in their own process: an agent on the real kernel (ipvsadm listings), its agent
// server, and a dashboard on port 0 with that one director and an admin signed in.
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, type Agent } from '../../server/agent/agent';
import { DrainKeeper } from '../../server/agent/drains';
import { HealthMonitor, type HealthMonitorOptions } from '../../server/agent/health/monitor';
import { HealthStore } from '../../server/agent/health/store';
import { IpvsadmBackend } from '../../server/agent/ipvsadm-backend';
import { createAgentServer, type AgentServer } from '../../server/agent/serve';
import { createDashboard, type Dashboard } from '../../server/dashboard/create-dashboard';
import { openDb } from '../../server/hub/store/db';

export const LAB_PASSWORD = 'lab password 123';

export interface LabStack {
  agent: Agent;
  agentServer: AgentServer;
  /** The agent's drain keeper (with `drains: true`). */
  drains?: DrainKeeper;
  dashboard: Dashboard;
  url: string;
  /** The admin's session cookie (`name=value`). */
  cookie: string;
  /** A request to the dashboard as the admin (a body is sent as JSON; POST by default then, GET without). */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  /** Dashboard, agent and agent server stopped (the kernel's table is the test's to clear). */
  close(): Promise<void>;
}

/** startLabStack's `health`: a HealthMonitor on the agent, its state in a fresh folder, started, handed to `keep`. */
export function healthMonitor(
  logger: HealthMonitorOptions['logger'],
  keep: (h: HealthMonitor) => void,
): (agent: Agent) => HealthMonitor {
  return (agent) => {
    const h = new HealthMonitor({ agent, store: new HealthStore(mkdtempSync(join(tmpdir(), 'health-'))), logger });
    h.start();
    keep(h);
    return h;
  };
}

export async function startLabStack(opts: {
  token: string;
  name?: string;
  tickMs?: number;
  /** The agent's health checks, built on the agent before its server starts. */
  health?: (agent: Agent) => HealthMonitor;
  /** Keep drains as the agent does (in memory), journalled in the health checks' journal as the audit reads it. */
  drains?: boolean;
}): Promise<LabStack> {
  const tickMs = opts.tickMs ?? 1000;
  const agent = createAgent({ backend: new IpvsadmBackend(), tickMs });
  await agent.start();
  const health = opts.health?.(agent);
  const drains = opts.drains
    ? new DrainKeeper(agent, undefined, console, health ? { journal: health.journalOf('drain') } : {})
    : undefined;
  drains?.start();
  const agentServer = createAgentServer({ agent, token: opts.token, backendName: 'ipvsadm', tickMs, health, drains });
  const agentPort = await agentServer.listen(0);
  const dashboard = createDashboard({
    dev: false,
    pages: false,
    port: 0,
    hostname: '127.0.0.1',
    db: openDb(':memory:'),
    agents: [{ name: opts.name ?? 'lab', url: `http://127.0.0.1:${agentPort}`, token: opts.token }],
  });
  const url = `http://127.0.0.1:${await dashboard.listen()}`;
  await dashboard.services.users.add('admin', LAB_PASSWORD, 'admin');
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'admin', password: LAB_PASSWORD }),
  });
  if (!r.ok) throw new Error(`admin login: ${r.status} ${await r.text()}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    agent,
    agentServer,
    ...(drains ? { drains } : {}),
    dashboard,
    url,
    cookie,
    api: (path, init = {}) => send(`${url}${path}`, cookie, init),
    close: async () => {
      await dashboard.close();
      drains?.stop();
      agent.stop();
      await agentServer.close();
    },
  };
}

/**
 * One request on a connection of its own. The dashboard runs in the test's process, which synchronous ipvsadm and ab
 * calls block: a pooled keep-alive socket can then be handed out just as the server's idle timer, as late as the
 * client's, closes it (ECONNRESET, seen in pair.lab and snapshots.lab).
 */
function send(href: string, cookie: string, init: { method?: string; body?: unknown }): Promise<Response> {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const method = init.method ?? (body === undefined ? 'GET' : 'POST');
  const headers = body === undefined ? { cookie } : { cookie, 'content-type': 'application/json' };
  return new Promise((resolve, reject) => {
    const req = request(href, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const answer = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) answer.set(k, String(v));
        // a Response may not carry a body with these statuses, not even an empty one
        const empty = status === 204 || status === 304;
        resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: answer }));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
