import { afterEach, describe, expect, it } from 'vitest';
import { STALE_AFTER_MS } from '../../lib/staleness';
import { createAgent, type Agent } from '../agent/agent';
import { MemoryBackend } from '../agent/memory-backend';
import { createAgentServer, type AgentServer } from '../agent/serve';
import { createHub, type Hub } from './hub';
import { agentsFromEnv } from './agents-config';
import { openDb } from './store/db';
import { FakeClock } from '../testing/fake-clock';
import { until } from '../testing/until';
import { recorders } from '../testing/recorders';
import { Changes } from './changes';
import type { AuditLog } from './store/audit';
import { SnapshotStore } from './store/snapshots';

const TOKEN = 'hub-test-token-0123456789';
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const RULES = '-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1\n';

async function agentOn(
  port = 0,
  rules = RULES,
): Promise<{ agent: Agent; server: AgentServer; port: number; backend: MemoryBackend }> {
  const backend = new MemoryBackend(rules);
  const agent = createAgent({ backend, tickMs: 100 });
  await agent.start();
  const server = createAgentServer({ agent, token: TOKEN, backendName: 'memory', tickMs: 100 });
  const bound = await server.listen(port);
  cleanup.push(
    () => agent.stop(),
    () => server.close(),
  );
  return { agent, server, port: bound, backend };
}

/** The hub on a FakeClock, the audit log it writes to, and the change watcher beside it (as the dashboard's parts
 * build them, each store on its own in-memory database). */
function hubFor(port: number): Hub & { auditLog: AuditLog; clock: FakeClock } {
  const clock = new FakeClock();
  const stores = recorders(openDb(':memory:'));
  const hub = createHub({
    ...stores,
    agents: [{ name: 'lab', url: `http://127.0.0.1:${port}`, token: TOKEN }],
    now: clock.now,
  });
  cleanup.push(() => hub.close());
  new Changes(hub, stores.audit, new SnapshotStore(openDb(':memory:')));
  return Object.assign(hub, { auditLog: stores.audit, clock });
}

describe('hub', () => {
  it("lists how each director's agent reads its table, and why, from the agent's info", async () => {
    const agent = createAgent({ backend: new MemoryBackend(RULES), tickMs: 100 });
    await agent.start();
    const backendReason = 'ipvsadm listings: no netlink reader (ipvs-dump) at /usr/lib/lvs-agent/ipvs-dump';
    const server = createAgentServer({ agent, token: TOKEN, backendName: 'ipvsadm', backendReason, tickMs: 100 });
    const port = await server.listen(0);
    cleanup.push(
      () => agent.stop(),
      () => server.close(),
    );
    const hub = hubFor(port);
    await until(() => hub.link('lab')?.status === 'live');
    expect(hub.directors()[0]?.reader).toEqual({ backend: 'ipvsadm', reason: backendReason });
  });

  it('follows a director: snapshot, deltas, edits relayed with the agent reply', async () => {
    const { port, backend } = await agentOn();
    const hub = hubFor(port);
    const link = hub.link('lab')!;
    await until(() => link.status === 'live');
    expect(link.state?.services[0]?.destinations[0]?.weight).toBe(1);
    backend.services[0]!.destinations[0]!.weight = 4; // changed behind the dashboard's back
    await until(() => link.state?.services[0]?.destinations[0]?.weight === 4);
    const r = await link.edit({
      epoch: link.state!.epoch,
      version: link.state!.version,
      edit: {
        kind: 'set-weight',
        service: { protocol: 'tcp', address: '10.1.0.10', port: 80 },
        destination: { address: '10.2.0.11', port: 80 },
        weight: 2,
      },
    });
    expect(r).toMatchObject({ ok: true, data: { confirmed: true } });
    await until(() => link.state?.services[0]?.destinations[0]?.weight === 2);
  });

  it('says stale when updates stop, unreachable when the agent is gone, live again when it returns', async () => {
    const first = await agentOn();
    const hub = hubFor(first.port);
    const link = hub.link('lab')!;
    const seen: string[] = [];
    hub.on('directors', (l) => seen.push(l[0]!.status));
    await until(() => link.status === 'live');
    first.agent.stop(); // no more ticks: data goes stale once the hub's clock passes STALE_AFTER_MS
    const later = () => (hub.clock.advance(STALE_AFTER_MS + 1), seen.at(-1) === 'stale'); // past a tick still in flight
    await until(later, 2000); // pushed to browsers, not only readable; long before STALE_AFTER_MS of real time
    await first.server.close(); // the agent is gone
    await until(() => seen.at(-1) === 'unreachable');
    await agentOn(first.port); // it comes back on the same port
    await until(() => seen.at(-1) === 'live', 8000);
    expect(seen).toEqual(expect.arrayContaining(['live', 'stale', 'unreachable']));
    expect(seen.at(-1)).toBe('live');
  });

  it("takes a restarted agent's table whole, and audits what changed while it was away though its version is v1 again", async () => {
    const first = await agentOn();
    const hub = hubFor(first.port);
    const link = hub.link('lab')!;
    await until(() => link.status === 'live');
    const before = link.state!;
    expect(before).toMatchObject({ epoch: first.agent.epoch, version: 1 });
    first.agent.stop();
    await first.server.close();
    await until(() => link.status === 'unreachable');
    // someone changed the kernel's table while the agent was down; the new run starts again at version 1
    const second = await agentOn(first.port, RULES.replace('-w 1', '-w 5'));
    await until(() => link.state?.epoch === second.agent.epoch && link.status === 'live', 8000);
    expect(second.agent.epoch).not.toBe(before.epoch);
    expect(link.state).toMatchObject({ version: 1, services: [{ destinations: [{ weight: 5 }] }] });
    await until(() => hub.auditLog.query({ director: 'lab', user: 'external' }).length > 0);
    expect(hub.auditLog.query({ director: 'lab', user: 'external' })[0]).toMatchObject({
      operation: 'external-change',
      target: 'tcp/10.1.0.10:80',
    });
  });

  it("refuses an edit made on a restarted agent's old table: conflict on epoch with the new table, kernel untouched", async () => {
    const first = await agentOn();
    const hub = hubFor(first.port);
    const link = hub.link('lab')!;
    await until(() => link.status === 'live');
    const seen = link.state!; // the table a page showed
    first.agent.stop();
    await first.server.close();
    await until(() => link.status === 'unreachable');
    const second = await agentOn(first.port);
    await until(() => link.state?.epoch === second.agent.epoch && link.status === 'live', 8000);
    expect(link.state?.version).toBe(seen.version); // v1 again: the version alone cannot tell the tables apart
    const r = await link.edit({
      epoch: seen.epoch,
      version: seen.version,
      edit: {
        kind: 'set-weight',
        service: { protocol: 'tcp', address: '10.1.0.10', port: 80 },
        destination: { address: '10.2.0.11', port: 80 },
        weight: 40,
      },
    });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'epoch', state: { epoch: second.agent.epoch } },
    });
    expect(!r.ok && r.error.message).toMatch(/table was replaced by a restarted agent/);
    expect(second.backend.services[0]?.destinations[0]?.weight).toBe(1);
  });

  it("does not audit the agent's own health-check and drain edits as external changes; an outside edit still is", async () => {
    const { agent, port, backend } = await agentOn();
    const hub = hubFor(port);
    const link = hub.link('lab')!;
    await until(() => link.status === 'live');
    const service = { protocol: 'tcp' as const, address: '10.1.0.10', port: 80 };
    const destination = { address: '10.2.0.11', port: 80 };
    for (const [weight, source] of [
      [0, 'health-check'],
      [1, 'health-check'],
      [0, 'drain'],
    ] as const) {
      const { epoch, version } = agent.state!;
      const r = await agent.edit(
        { epoch, version, edit: { kind: 'set-weight', service, destination, weight } },
        source,
      );
      expect(r.ok).toBe(true);
      await until(() => link.state?.services[0]?.destinations[0]?.weight === weight);
    }
    backend.services[0]!.destinations[0]!.weight = 7; // then someone edits the table outside: that one is audited
    await until(() => hub.auditLog.query({ director: 'lab', user: 'external' }).length > 0);
    const external = hub.auditLog.query({ director: 'lab', user: 'external' });
    expect(external).toHaveLength(1);
    expect(external[0]).toMatchObject({
      operation: 'external-change',
      after: { 'tcp/10.1.0.10:80': { destinations: [{ weight: 7 }] } },
    });
  });

  it('refuses a request to an unreachable director with unavailable', async () => {
    const hub = hubFor(1); // nothing listens on port 1
    const r = await hub.link('lab')!.queryConnections({});
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});

describe('agents from the environment', () => {
  it('reads names, URLs and tokens, and names what is wrong', () => {
    expect(
      agentsFromEnv(
        {
          LVS_AGENTS: 'lvs1=https://10.0.0.1:7070,lvs-2=http://10.0.0.2:7070',
          LVS_AGENT_TOKEN: 'a',
          LVS_AGENT_TOKEN_LVS_2: 'b',
        },
        '/nonexistent',
      ),
    ).toEqual([
      { name: 'lvs1', url: 'https://10.0.0.1:7070', token: 'a' },
      { name: 'lvs-2', url: 'http://10.0.0.2:7070', token: 'b' },
    ]);
    expect(() => agentsFromEnv({ LVS_AGENTS: 'lvs1=10.0.0.1:7070' }, '/x')).toThrow(/entry 1 .* expected NAME=http/);
    expect(() => agentsFromEnv({ LVS_AGENTS: 'lvs1=http://10.0.0.1:7070' }, '/x')).toThrow(/lvs1: no token/);
    expect(agentsFromEnv({}, '/nonexistent')).toEqual([]);
  });
});
