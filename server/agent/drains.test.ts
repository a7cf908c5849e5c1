// Drains kept by the agent: the weight before a drain survives an agent restart and comes back on undrain; a drain
// asked to remove when empty deletes the real server once it has no connections; a weight set by anyone ends a drain.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthJournalEntry } from '../../lib/health';
import { fail } from '../../lib/events';
import { createAgent, type Agent } from './agent';
import { DrainKeeper, type DrainJournal } from './drains';
import { MemoryBackend } from './memory-backend';

const SEED =
  '-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 62\n-a -t 10.1.0.10:80 -r 10.2.0.12:80 -m -w 3\n';
const service = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
const rs11 = { address: '10.2.0.11', port: 80 };
const silent = { warn: () => undefined };
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c();
});

async function start(
  backend: MemoryBackend,
  file: string,
  journal?: DrainJournal,
): Promise<{ agent: Agent; keeper: DrainKeeper }> {
  const agent = createAgent({ backend, tickMs: 50 });
  await agent.start();
  const keeper = new DrainKeeper(agent, file, silent, journal ? { journal } : {});
  keeper.start();
  cleanup.push(() => {
    keeper.stop();
    agent.stop();
  });
  return { agent, keeper };
}

const weightOf = (agent: Agent, address: string) =>
  agent.state?.services[0]?.destinations.find((d) => d.address === address)?.weight;
const table = (agent: Agent) => ({ epoch: agent.state?.epoch ?? '', version: agent.state?.version ?? 0 });

describe('DrainKeeper', () => {
  it('keeps the weight before a drain across an agent restart and restores it on undrain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drains-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const backend = new MemoryBackend(SEED);
    const first = await start(backend, join(dir, 'drains.json'));
    expect(
      await first.keeper.edit({ edit: { kind: 'drain', service, destination: rs11 }, ...table(first.agent) }),
    ).toMatchObject({ ok: true });
    expect(weightOf(first.agent, '10.2.0.11')).toBe(0);
    expect(first.keeper.list()).toEqual({
      'tcp/10.1.0.10:80|10.2.0.11:80': { weight: 62, since: expect.any(Number), removeWhenEmpty: false },
    });
    // a second drain of a drained server keeps the weight from before the first
    await first.keeper.edit({ edit: { kind: 'drain', service, destination: rs11 }, ...table(first.agent) });
    cleanup.pop()?.();

    const second = await start(backend, join(dir, 'drains.json'));
    expect(second.keeper.list()['tcp/10.1.0.10:80|10.2.0.11:80']?.weight).toBe(62);
    const r = await second.keeper.edit({
      edit: { kind: 'undrain', service, destination: rs11 },
      ...table(second.agent),
    });
    expect(r).toMatchObject({ ok: true, data: { edit: { destination: { weight: 62 } } } });
    expect(weightOf(second.agent, '10.2.0.11')).toBe(62);
    expect(second.keeper.list()).toEqual({});
  });

  it('removes a drained real server once empty when asked, and a weight set by anyone ends a drain', async () => {
    const { agent, keeper } = await start(new MemoryBackend(SEED), '');
    await keeper.edit({
      edit: { kind: 'drain', service, destination: rs11, removeWhenEmpty: true },
      ...table(agent),
    });
    for (let i = 0; i < 100 && weightOf(agent, '10.2.0.11') !== undefined; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(weightOf(agent, '10.2.0.11')).toBeUndefined();
    expect(keeper.list()).toEqual({});

    const rs12 = { address: '10.2.0.12', port: 80 };
    await keeper.edit({ edit: { kind: 'drain', service, destination: rs12 }, ...table(agent) });
    expect(Object.keys(keeper.list())).toEqual(['tcp/10.1.0.10:80|10.2.0.12:80']);
    await agent.edit({ edit: { kind: 'set-weight', service, destination: rs12, weight: 5 }, ...table(agent) });
    for (let i = 0; i < 100 && Object.keys(keeper.list()).length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(keeper.list()).toEqual({});
  });

  it('journals the removal with its argv, and a refused removal once while it is tried again', async () => {
    const told: Omit<HealthJournalEntry, 'seq' | 'at' | 'actor'>[] = [];
    const { agent, keeper } = await start(new MemoryBackend(SEED), '', (e) => told.push(e));
    const edit = agent.edit.bind(agent);
    let refusals = 0;
    agent.edit = async (req, source) => {
      const kind = (req as { edit: { kind: string } }).edit.kind;
      if (kind === 'delete-destination' && refusals < 3) {
        refusals++;
        return fail('kernel', 'Memory allocation problem');
      }
      return edit(req, source);
    };
    await keeper.edit({ edit: { kind: 'drain', service, destination: rs11, removeWhenEmpty: true }, ...table(agent) });
    for (let i = 0; i < 200 && weightOf(agent, '10.2.0.11') !== undefined; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(weightOf(agent, '10.2.0.11')).toBeUndefined();
    expect(refusals).toBe(3);
    expect(told).toEqual([
      {
        kind: 'edit',
        service: 'tcp/10.1.0.10:80',
        destination: '10.2.0.11:80',
        from: 'draining',
        reason: 'empty, but not removed: Memory allocation problem',
      },
      expect.objectContaining({
        kind: 'edit',
        to: 'removed',
        reason: expect.stringMatching(/^empty: .* \(drained since \S+, weight 62 kept\)$/),
        result: expect.objectContaining({
          ok: true,
          argv: ['ipvsadm', '-d', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80'],
        }),
      }),
    ]);
  });
});
