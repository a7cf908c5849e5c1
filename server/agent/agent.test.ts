import { afterEach, describe, expect, it } from 'vitest';
import { applyDelta, type AgentEdit, type TableState } from '../../lib/ipvs';
import { cleanups, RULES, startedAgent, web } from '../testing/memory-agent';
import { createAgent, type AgentMessage } from './agent';
import { MemoryBackend } from './memory-backend';
import { SimulatedDirector } from './simulator/director';

const cleanup = cleanups();
afterEach(() => cleanup.run());
const started = (backend?: MemoryBackend) => startedAgent(cleanup, backend);

describe('agent table', () => {
  it('pushes a snapshot, then deltas that rebuild the same state; version moves only on configuration', async () => {
    const { agent, backend } = await started();
    const seen: AgentMessage[] = [];
    agent.subscribe((m) => seen.push(m));
    expect(seen[0]?.type).toBe('snapshot');
    const v1 = agent.state?.version ?? 0;
    backend.services[0]!.stats = { conns: 5, inPkts: 1, outPkts: 1, inBytes: 1, outBytes: 1 };
    await agent.refresh();
    expect(agent.state?.version).toBe(v1);
    backend.services[0]!.destinations[0]!.weight = 9; // someone ran ipvsadm by hand
    await agent.refresh();
    expect(agent.state?.version).toBe(v1 + 1);
    let rebuilt = (seen[0] as { state: TableState }).state;
    for (const m of seen.slice(1)) if (m.type === 'delta') rebuilt = applyDelta(rebuilt, m.delta);
    expect(rebuilt).toEqual(agent.state);
  });

  it("carries the kernel's IPVS version and connection hash table size (the backend's version line)", async () => {
    const { agent } = await started();
    expect(agent.state?.ipvs).toEqual({ version: '1.2.1', connTableSize: 4096 });
  });

  it('labels the table of a simulated director simulated, in the snapshot and after deltas; a kernel table never', async () => {
    const { agent } = await started(new SimulatedDirector({ seed: RULES, load: { rate: 50 } }));
    const seen: AgentMessage[] = [];
    agent.subscribe((m) => seen.push(m));
    await agent.refresh();
    let rebuilt = (seen[0] as { state: TableState }).state;
    expect(rebuilt.simulated).toBe(true);
    for (const m of seen.slice(1)) if (m.type === 'delta') rebuilt = applyDelta(rebuilt, m.delta);
    expect(rebuilt.simulated).toBe(true);
    const kernelLike = await started();
    expect(kernelLike.agent.state?.simulated).toBeUndefined();
  });

  it('confirms a timeout or sync daemon change from a re-read of them, not from the last slow tick', async () => {
    const backend = new MemoryBackend(RULES);
    const agent = createAgent({ backend, tickMs: 60_000, slowEvery: 100 });
    await agent.start();
    cleanup.push(() => agent.stop());
    const edit = async (e: AgentEdit) =>
      agent.edit({ epoch: agent.state!.epoch, version: agent.state!.version, edit: e });
    const timeouts = await edit({ kind: 'set-timeouts', timeouts: { tcp: 600, tcpfin: 0, udp: 0 } });
    expect(timeouts).toMatchObject({ ok: true, data: { confirmed: true } });
    expect(agent.state?.timeouts).toEqual({ tcp: 600, tcpfin: 120, udp: 300 });
    const daemon = { state: 'master', mcastInterface: 'lo', syncId: 3 } as const;
    expect(await edit({ kind: 'start-daemon', daemon })).toMatchObject({ ok: true, data: { confirmed: true } });
    expect(agent.state?.daemons).toMatchObject([daemon]);
    expect(await edit({ kind: 'stop-daemon', state: 'master' })).toMatchObject({ ok: true, data: { confirmed: true } });
    expect(agent.state?.daemons).toEqual([]);
  });

  it('never lets an older --persistent-conn slice bring back an old weight', async () => {
    const backend = new MemoryBackend(RULES);
    const slice = (await import('../../lib/ipvs')).parseListing(
      'Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn\n  -> RemoteAddress:Port\nTCP  10.1.0.10:80 wrr\n  -> 10.2.0.11:80                 1         4           0          0\n',
    );
    backend.readPersistConns = async () => slice;
    const agent = createAgent({ backend, tickMs: 1000, slowEvery: 100 });
    await agent.start();
    cleanup.push(() => agent.stop());
    const r = await agent.edit({
      epoch: agent.epoch,
      version: agent.state!.version,
      edit: { kind: 'set-weight', service: web, destination: { address: '10.2.0.11', port: 80 }, weight: 6 },
    });
    expect(r).toMatchObject({ ok: true, data: { confirmed: true } });
    expect(agent.state?.services[0]?.destinations[0]).toMatchObject({ weight: 6, persistConns: 4 });
  });

  it('sends no service data when nothing changed', async () => {
    const { agent } = await started();
    const seen: AgentMessage[] = [];
    agent.subscribe((m) => seen.push(m));
    await agent.refresh();
    const last = seen[seen.length - 1];
    expect(last?.type).toBe('delta');
    expect(Object.keys((last as { delta: object }).delta).sort()).toEqual(['epoch', 'updatedAt', 'version']);
  });
});

describe('agent edits', () => {
  it('applies an edit, says exactly what ran, re-reads and confirms', async () => {
    const { agent } = await started();
    const r = await agent.edit({
      epoch: agent.epoch,
      version: agent.state?.version,
      edit: {
        kind: 'add-destination',
        service: web,
        destination: { address: '10.2.0.13', port: 80, forward: 'masq', weight: 2 },
      },
    });
    expect(r).toMatchObject({
      ok: true,
      data: {
        confirmed: true,
        result: { argv: ['ipvsadm', '-a', '-t', '10.1.0.10:80', '-r', '10.2.0.13:80', '-m', '-w', '2'], ok: true },
      },
    });
    expect(agent.state?.services[0]?.destinations).toHaveLength(3);
  });

  it('lets one of two concurrent structural edits win; the other gets conflict with the current state', async () => {
    const { agent, backend } = await started();
    backend.delayMs = 20;
    const version = agent.state?.version as number;
    const edit = (scheduler: string) =>
      agent.edit({
        epoch: agent.epoch,
        version,
        edit: { kind: 'edit-service', service: { ...web, scheduler, flags: [], ops: false } },
      });
    const [a, b] = await Promise.all([edit('rr'), edit('lc')]);
    expect(a.ok).toBe(true);
    expect(b).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const state = (b as { error: { state: TableState } }).error.state;
    expect(state.services[0]?.scheduler).toBe('rr');
    expect(backend.services[0]?.scheduler).toBe('rr');
  });

  it('refuses any edit made against the table of another agent run, naming the field epoch; the kernel is untouched', async () => {
    const { agent, backend } = await started();
    const ran = backend.log.length;
    // a weight change, which any version of this run may make, and at the version the new run happens to be at
    const r = await agent.edit({
      epoch: 'an-earlier-run',
      version: agent.state!.version,
      edit: { kind: 'set-weight', service: web, destination: { address: '10.2.0.11', port: 80 }, weight: 40 },
    });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'epoch',
        message: expect.stringMatching(/replaced by a restarted agent/),
        state: { epoch: agent.epoch, version: agent.state!.version },
      },
    });
    expect(backend.log.slice(ran).filter((argv) => argv[0] === '-e')).toEqual([]);
    expect(backend.services[0]?.destinations[0]?.weight).toBe(1);
    // and a request that does not say which run's table it was made on is refused too
    expect(
      await agent.edit({
        version: agent.state!.version,
        edit: { kind: 'drain', service: web, destination: { address: '10.2.0.11', port: 80 } },
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid', field: 'epoch' } });
    expect(backend.services[0]?.destinations[0]?.weight).toBe(1);
  });

  it('applies weight changes whatever version was seen, keeping the other options', async () => {
    const { agent, backend } = await started(
      new MemoryBackend(`-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1 -x 100 -y 10\n`),
    );
    const r = await agent.edit({
      epoch: agent.epoch,
      version: 0,
      edit: { kind: 'set-weight', service: web, destination: { address: '10.2.0.11', port: 80 }, weight: 5 },
    });
    expect(r.ok).toBe(true);
    expect(backend.log.at(-1)).toEqual([
      '-e',
      '-t',
      '10.1.0.10:80',
      '-r',
      '10.2.0.11:80',
      '-m',
      '-w',
      '5',
      '-x',
      '100',
      '-y',
      '10',
    ]);
    const d = await agent.edit({
      epoch: agent.epoch,
      version: 0,
      edit: { kind: 'drain', service: web, destination: { address: '10.2.0.11', port: 80 } },
    });
    expect(d.ok && d.data.result.argv.slice(7, 10)).toEqual(['-w', '0', '-x']);
  });

  it('answers bad input, unknown targets and kernel errors with typed codes', async () => {
    const { agent } = await started();
    const v = agent.state?.version;
    expect(
      await agent.edit({
        epoch: agent.epoch,
        version: v,
        edit: { kind: 'set-weight', service: web, destination: { address: '10.2.0.11', port: 80 }, weight: 70000 },
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid', field: 'edit.weight' } });
    expect(
      await agent.edit({
        epoch: agent.epoch,
        version: v,
        edit: { kind: 'drain', service: web, destination: { address: '10.9.9.9', port: 80 } },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found', field: 'destination' } });
    const dup = await agent.edit({
      epoch: agent.epoch,
      version: v,
      edit: {
        kind: 'add-destination',
        service: web,
        destination: { address: '10.2.0.11', port: 80, forward: 'masq', weight: 1 },
      },
    });
    expect(dup).toMatchObject({
      ok: false,
      error: {
        code: 'kernel',
        message: 'Destination already exists',
        result: { argv: ['ipvsadm', '-a', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '1'] },
      },
    });
  });

  it('applies a desired table with the minimal plan and never flushes', async () => {
    const { agent, backend } = await started();
    const desired = (await import('../../lib/ipvs')).parseSave(
      RULES.replace('-m -w 3', '-m -w 4') + '-A -t 10.1.0.10:443 -s rr\n',
    );
    const out = await agent.apply(desired);
    expect(out.plan).toEqual([
      ['-A', '-t', '10.1.0.10:443', '-s', 'rr'],
      ['-e', '-t', '10.1.0.10:80', '-r', '10.2.0.12:80', '-m', '-w', '4'],
    ]);
    expect(out.results.every((r) => r.ok)).toBe(true);
    expect(backend.log.some((a) => a[0] === '-C')).toBe(false);
    expect((await agent.apply(desired, { dryRun: true })).plan).toEqual([]);
  });

  it('keeping others, leaves the services the desired table does not name, those added since the last read too', async () => {
    const { agent, backend } = await started();
    await backend.run(['-A', '-u', '10.1.0.20:53', '-s', 'rr']); // after the agent's last read
    const { parseSave, renderSave } = await import('../../lib/ipvs');
    const out = await agent.apply(parseSave('-A -t 10.1.0.10:80 -s wrr\n'), { keepOthers: true });
    expect(out.plan.filter((argv) => argv[0] === '-D')).toEqual([]);
    const table = renderSave(await backend.readServices());
    expect(table).toContain('-A -u 10.1.0.20:53 -s rr');
    expect(table).not.toContain('-a -t 10.1.0.10:80');
  });
});
