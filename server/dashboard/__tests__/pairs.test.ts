// A master/backup pair on two agents: drift shows within a tick of an edit, is an audit row, and "make the backup
// match" applies the minimal plan through the backup's agent until its table equals the master's.
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../../agent/agent';
import { MemoryBackend } from '../../agent/memory-backend';
import { createAgentServer } from '../../agent/serve';
import { until } from '../../testing/until';
import { SEED, socketFor, startStack } from './stack';

const TOKEN = 'backup-agent-token-0123456789';
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function backupAgent(rules: string): Promise<{ port: number; backend: MemoryBackend }> {
  const backend = new MemoryBackend(rules);
  const agent = createAgent({ backend, tickMs: 100 });
  await agent.start();
  const server = createAgentServer({ agent, token: TOKEN, backendName: 'memory', tickMs: 100 });
  const port = await server.listen(0);
  cleanup.push(
    () => agent.stop(),
    () => server.close(),
  );
  return { port, backend };
}

describe('pairs and drift', () => {
  it('shows drift after an edit on the master, audits it, and makes the backup match without a flush', async () => {
    const stack = await startStack();
    cleanup.push(() => stack.close());
    const backup = await backupAgent(SEED);
    const admin = await stack.login('admin');
    const viewer = await stack.login('viewer');
    // what a viewer's browser is pushed: the drift count of each pair as it changes
    const watcher = await socketFor(stack.url, { cookie: viewer });
    cleanup.push(() => watcher.disconnect());
    const pushed: (number | null)[] = [];
    watcher.on('pair:drift', (u) => pushed.push(u.pair?.drift?.items.length ?? null));
    const post = (path: string, body: unknown) => stack.api(path, { method: 'POST', cookie: admin, body });
    expect(
      (await post('/api/v1/fleet/directors', { name: 'lvs2', url: `http://127.0.0.1:${backup.port}`, token: TOKEN }))
        .status,
    ).toBe(201);
    await until(() => stack.dashboard.hub.link('lvs2')?.state != null, 8000);
    const set = await post('/api/v1/pairs', { name: 'web', first: 'lab', second: 'lvs2', mode: 'master-backup' });
    expect(set.status).toBe(200);
    const drift = async () => {
      const r = await stack.api('/api/v1/pairs', { cookie: viewer });
      return ((await r.json()) as { pairs: { drift: { items: { kind: string; target: string }[] } | null }[] }).pairs[0]
        ?.drift;
    };
    expect((await drift())?.items).toEqual([]);

    // an edit on the master, as another tool would make it
    await stack.backend.run(['-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '5']);
    await stack.backend.run(['-a', '-t', '10.1.0.10:80', '-r', '10.2.0.13:80', '-m', '-w', '2']);
    await until(() => (pushed.at(-1) ?? 0) > 0, 8000);
    expect((await drift())?.items).toEqual([
      expect.objectContaining({ kind: 'destination-missing', target: 'tcp/10.1.0.10:80|10.2.0.13:80' }),
      expect.objectContaining({
        kind: 'destination-changed',
        target: 'tcp/10.1.0.10:80|10.2.0.11:80',
        field: 'weight',
      }),
    ]);
    const rows = stack.dashboard.services.audit.query({ limit: 20 }).filter((r) => r.operation === 'drift-detected');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ director: 'lvs2', target: 'pair web' });

    const before = backup.backend.log.length;
    const matched = await post('/api/v1/pairs/web/match', {});
    expect(matched.status).toBe(200);
    await until(() => pushed.at(-1) === 0, 8000);
    expect(await backup.backend.readSave()).toBe(await stack.backend.readSave());
    const ran = backup.backend.log.slice(before).filter((a) => !a.includes('-L') && !a.includes('-S'));
    expect(ran.some((a) => a.includes('-C'))).toBe(false);
    expect(ran).toEqual([
      ['-a', '-t', '10.1.0.10:80', '-r', '10.2.0.13:80', '-m', '-w', '2'],
      ['-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '5'],
    ]);
  });
});
