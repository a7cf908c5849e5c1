// The stack most lab tests start in their own process: an agent on the real kernel (ipvsadm listings), its agent
// server, and a dashboard on port 0 with that one director and an admin signed in.
import { createAgent, type Agent } from '../../server/agent/agent';
import type { HealthMonitor } from '../../server/agent/health/monitor';
import { IpvsadmBackend } from '../../server/agent/ipvsadm-backend';
import { createAgentServer, type AgentServer } from '../../server/agent/serve';
import { createDashboard, type Dashboard } from '../../server/dashboard/create-dashboard';
import { openDb } from '../../server/hub/store/db';

export const LAB_PASSWORD = 'lab password 123';

export interface LabStack {
  agent: Agent;
  agentServer: AgentServer;
  dashboard: Dashboard;
  url: string;
  /** The admin's session cookie (`name=value`). */
  cookie: string;
  /** Dashboard, agent and agent server stopped (the kernel's table is the test's to clear). */
  close(): Promise<void>;
}

export async function startLabStack(opts: {
  token: string;
  name?: string;
  tickMs?: number;
  /** The agent's health checks, built on the agent before its server starts. */
  health?: (agent: Agent) => HealthMonitor;
}): Promise<LabStack> {
  const tickMs = opts.tickMs ?? 1000;
  const agent = createAgent({ backend: new IpvsadmBackend(), tickMs });
  await agent.start();
  const health = opts.health?.(agent);
  const agentServer = createAgentServer({ agent, token: opts.token, backendName: 'ipvsadm', tickMs, health });
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
    dashboard,
    url,
    cookie,
    close: async () => {
      await dashboard.close();
      agent.stop();
      await agentServer.close();
    },
  };
}
