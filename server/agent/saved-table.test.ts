// Rules survive a reboot: the table set through the agent is saved, and what restore-on-boot applied reaches the
// dashboard's audit history once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseSave, renderSave } from '../../lib/ipvs';
import { createHub } from '../hub/hub';
import { openDb } from '../hub/store/db';
import { recorders } from '../testing/recorders';
import { createLogger } from '../log';
import { until } from '../testing/until';
import { createAgent } from './agent';
import { MemoryBackend } from './memory-backend';
import { SavedTable } from './saved-table';
import { createAgentServer } from './serve';

const TOKEN = 'saved-table-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'saved-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});
const quiet = () => createLogger('test', 2, { write: () => undefined });

async function director(saved: SavedTable) {
  const backend = new MemoryBackend('-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1\n');
  const agent = createAgent({ backend, tickMs: 100, onChanged: (s) => saved.save(renderSave(s.services)) });
  await agent.start();
  const server = createAgentServer({
    agent,
    token: TOKEN,
    backendName: 'memory',
    tickMs: 100,
    takeRestore: () => saved.takeRestore(),
  });
  const port = await server.listen(0);
  cleanup.push(
    () => agent.stop(),
    () => server.close(),
  );
  return { agent, port };
}

/** A hub on the director, and the audit it writes to. */
function hubFor(port: number) {
  const stores = recorders(openDb(':memory:'));
  const hub = createHub({
    ...stores,
    agents: [{ name: 'd1', url: `http://127.0.0.1:${port}`, token: TOKEN }],
    log: quiet(),
  });
  cleanup.push(() => hub.close());
  return { hub, audit: stores.audit };
}

describe('the table kept for restore-on-boot', () => {
  it('is saved after each edit and apply made through the agent, not before any', async () => {
    const saved = new SavedTable(join(dir, 'a'));
    const { agent } = await director(saved);
    expect(saved.load()).toBeNull(); // reads alone save nothing
    const r = await agent.edit({
      epoch: agent.epoch,
      version: agent.state!.version,
      edit: {
        kind: 'set-weight',
        service: { protocol: 'tcp', address: '10.1.0.10', port: 80 },
        destination: { address: '10.2.0.11', port: 80 },
        weight: 5,
      },
    });
    expect(r.ok).toBe(true);
    expect(parseSave(saved.load()!)[0]?.destinations[0]?.weight).toBe(5);
    await agent.apply(parseSave('-A -u 10.1.0.10:53 -s rr\n'));
    expect(parseSave(saved.load()!).map((s) => `${s.protocol}:${s.port}`)).toEqual(['udp:53']);
  });

  it("restore-on-boot's record is audited when the dashboard connects, once", async () => {
    const saved = new SavedTable(join(dir, 'b'));
    const plan = [['-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '3']];
    saved.recordRestore({
      at: 1,
      plan,
      results: [{ argv: ['ipvsadm', ...plan[0]!], ok: true, exitCode: 0, stderr: '', durationMs: 2 }],
    });
    const { port } = await director(saved);
    const { audit } = hubFor(port);
    await until(() => audit.query({ user: 'restore-on-boot' }).length === 1);
    expect(audit.query({ user: 'restore-on-boot' })[0]).toMatchObject({
      director: 'd1',
      operation: 'restore-on-boot',
      status: 'ok',
      argv: [['ipvsadm', ...plan[0]!]],
    });
    const second = hubFor(port);
    await until(() => second.hub.directors()[0]?.status === 'live');
    expect(second.audit.query({ user: 'restore-on-boot' })).toHaveLength(0);
  });
});
