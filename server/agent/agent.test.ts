import { request as httpRequest } from 'node:http';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentClientEvents, AgentServerEvents } from '../../lib/events';
import { applyDelta, type AgentEdit, type TableState } from '../../lib/ipvs';
import { createAgent, type Agent, type AgentMessage } from './agent';
import { MemoryBackend } from './memory-backend';
import { SimulatedDirector } from './simulator/director';
import { MAX_QUERIES_IN_FLIGHT, createAgentServer, type AgentServer } from './serve';

const RULES = `-A -t 10.1.0.10:80 -s wrr
-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1
-a -t 10.1.0.10:80 -r 10.2.0.12:80 -m -w 3
-A -u 10.1.0.10:53 -s rr
`;
const web = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function started(backend = new MemoryBackend(RULES)): Promise<{ agent: Agent; backend: MemoryBackend }> {
  const agent = createAgent({ backend, tickMs: 20, name: 'test' });
  await agent.start();
  cleanup.push(() => agent.stop());
  return { agent, backend };
}

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
});

describe('agent server', () => {
  const TOKEN = 'secret-token-0123456789';
  async function serving(backend?: MemoryBackend): Promise<{ agent: Agent; server: AgentServer; url: string }> {
    const { agent } = await started(backend);
    const server = createAgentServer({ agent, token: TOKEN, backendName: 'memory', tickMs: 20 });
    const port = await server.listen(0);
    cleanup.push(() => server.close());
    return { agent, server, url: `http://127.0.0.1:${port}` };
  }
  const client = (url: string, token?: string): Socket<AgentServerEvents, AgentClientEvents> => {
    const s = connect(url, {
      extraHeaders: token ? { authorization: `Bearer ${token}` } : {},
      transports: ['websocket'],
      reconnection: false,
    });
    cleanup.push(() => void s.close());
    return s;
  };
  const connected = async (url: string) => {
    const s = client(url, TOKEN);
    await new Promise<void>((resolve, reject) => s.once('connect', resolve).once('connect_error', reject));
    return s;
  };
  /** One raw HTTP request; resolves with the status, or 'closed' when the server hung up first. */
  const raw = (url: string, method: string, body?: Buffer) =>
    new Promise<number | 'closed'>((resolve) => {
      const req = httpRequest(url, { method, headers: body ? { 'content-type': 'text/plain;charset=UTF-8' } : {} });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve('closed'));
      req.end(body);
    });

  it('refuses a connection without the token, with a wrong one, or with the token only in the handshake auth', async () => {
    const { url } = await serving();
    for (const token of [undefined, 'wrong-token-0123456789x']) {
      const err = await new Promise<Error>((resolve) => client(url, token).on('connect_error', resolve));
      expect(err).toBeInstanceOf(Error);
    }
    const authOnly = connect(url, { auth: { token: TOKEN }, transports: ['websocket'], reconnection: false });
    cleanup.push(() => void authOnly.close());
    const outcome = await new Promise((resolve) => {
      authOnly.on('connect_error', () => resolve('refused'));
      authOnly.on('connect', () => resolve('connected'));
    });
    expect(outcome).toBe('refused');
  });

  it('opens no session and reads no message before the token: a 30 MB polling POST is refused', async () => {
    const { url, server } = await serving();
    // the unauthenticated long-polling handshake that used to open a session with a 32 MB message limit
    expect(await raw(`${url}/socket.io/?EIO=4&transport=polling`, 'GET')).toBeGreaterThanOrEqual(400);
    const big = Buffer.alloc(30 * 1024 * 1024, 0x61);
    const posted = await raw(`${url}/socket.io/?EIO=4&transport=polling&sid=guessed`, 'POST', big);
    expect(posted === 'closed' || posted >= 400).toBe(true);
    expect(server.sessions).toBe(0);
    await connected(url);
    expect(server.sessions).toBe(1);
  });

  it('answers every request with extra or wrong arguments with an invalid error and keeps serving', async () => {
    const { url } = await serving();
    const s = await connected(url);
    const send = (event: string, ...args: unknown[]) =>
      (s.timeout(2000).emitWithAck as (e: string, ...a: unknown[]) => Promise<unknown>)(event, ...args);
    for (const event of ['agent:info', 'table:subscribe']) {
      expect(await send(event, 'extra')).toMatchObject({
        ok: false,
        error: { code: 'invalid', message: expect.stringMatching(/arguments/) },
      });
    }
    expect(await send('conns:watch', true, 'extra')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await send('conns:watch', 'yes')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await send('conns:query', { limit: -1 }, 'extra')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(
      await send('edit', {
        version: 0,
        edit: { kind: 'set-weight', service: web, destination: { address: '10.2.0.11', port: 80 }, weight: 70000 },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'edit.weight' },
    });
    expect(await send('apply', { rules: 42, dryRun: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'rules' },
    });
    expect(await send('agent:info')).toMatchObject({ ok: true, data: { name: 'test' } });
  });

  it('answers a handler that throws with an internal error instead of ending the process', async () => {
    const backend = new MemoryBackend(RULES);
    backend.readConnections = () => {
      throw new Error('/proc/net/ip_vs_conn: permission denied');
    };
    const { url } = await serving(backend);
    const s = await connected(url);
    expect(await s.timeout(2000).emitWithAck('conns:watch', true)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringMatching(/permission denied/) },
    });
    expect(await s.timeout(2000).emitWithAck('agent:info')).toMatchObject({ ok: true });
  });

  it('serves the snapshot, deltas and edits to a client with the token', async () => {
    const { url, agent } = await serving();
    const s = client(url, TOKEN);
    const snap = await s.timeout(2000).emitWithAck('table:subscribe');
    expect(snap).toMatchObject({ ok: true, data: { services: [{ address: '10.1.0.10', port: 80 }, { port: 53 }] } });
    const delta = new Promise((resolve) => s.once('table:delta', resolve));
    const r = await s.timeout(2000).emitWithAck('edit', {
      epoch: agent.epoch,
      version: 0,
      edit: { kind: 'set-weight', service: web, destination: { address: '10.2.0.11', port: 80 }, weight: 7 },
    });
    expect(r).toMatchObject({ ok: true, data: { confirmed: true } });
    expect(await delta).toHaveProperty('updatedAt');
  });

  it('caps the connection queries one connection has in flight, answering the rest rate_limited', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const backend = new MemoryBackend(RULES);
    backend.readConnections = async () => {
      await held; // the read takes a while: queries pile up behind it
      return backend.connections;
    };
    const { agent } = await started(backend);
    const server = createAgentServer({ agent, token: 'secret-token-0123456789', backendName: 'memory', tickMs: 20 });
    const url = `http://127.0.0.1:${await server.listen(0)}`;
    cleanup.push(() => server.close());
    const s = client(url, 'secret-token-0123456789');
    const asked = Array.from({ length: MAX_QUERIES_IN_FLIGHT + 4 }, (_, i) =>
      s.timeout(5000).emitWithAck('conns:query', { offset: i }),
    );
    const refused = await Promise.race(asked);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', message: expect.stringMatching(/at most 64/) },
    });
    release();
    const codes = (await Promise.all(asked)).map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(MAX_QUERIES_IN_FLIGHT);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(4);
    expect(await s.timeout(5000).emitWithAck('conns:query', {})).toMatchObject({ ok: true });
  });
});
