// Directors added by admins: stored with the token sealed, connected and disconnected live, LVS_AGENTS's read-only.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../../agent/agent';
import { MemoryBackend } from '../../agent/memory-backend';
import { createAgentServer } from '../../agent/serve';
import { openDb } from '../../hub/store/db';
import { until } from '../../testing/until';
import { openParts } from '../parts';
import { startStack, type TestStack } from './stack';

const TOKEN = 'second-agent-token-0123456789';
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function secondAgent(): Promise<number> {
  const agent = createAgent({ backend: new MemoryBackend('-A -t 10.9.0.1:443 -s rr\n'), tickMs: 100 });
  await agent.start();
  const server = createAgentServer({ agent, token: TOKEN, backendName: 'memory', tickMs: 100 });
  const port = await server.listen(0);
  cleanup.push(
    () => agent.stop(),
    () => server.close(),
  );
  return port;
}

async function stackOnFile(): Promise<{ stack: TestStack; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
  const stack = await startStack({ db: openDb(join(dir, 'lvs-dashboard.db')) });
  cleanup.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => stack.close(),
  );
  return { stack, dir };
}

describe('directors managed by admins', () => {
  it('adds a director that is live at once, keeps its token sealed, and removes it', async () => {
    const { stack, dir } = await stackOnFile();
    const port = await secondAgent();
    const admin = await stack.login('admin');
    const added = await stack.api('/api/v1/fleet/directors', {
      method: 'POST',
      cookie: admin,
      body: { name: 'lvs2', url: `http://127.0.0.1:${port}`, token: TOKEN },
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ director: { name: 'lvs2', source: 'registry', trust: 'none' } });
    const hub = stack.dashboard.hub;
    await until(() => hub.link('lvs2')?.status === 'live', 8000);
    expect(hub.link('lvs2')?.state?.services.map((s) => s.address)).toEqual(['10.9.0.1']);
    const info = await stack.api('/api/v1/directors/lvs2/info', { cookie: await stack.login('viewer') });
    expect(await info.json()).toMatchObject({
      director: { name: 'lvs2', status: 'live' },
      source: 'registry',
      agent: { backend: 'memory', tickMs: 100 },
    });

    const list = await stack.api('/api/v1/fleet/directors', { cookie: admin });
    const text = await list.text();
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text)).toMatchObject({
      directors: [
        { name: 'lab', source: 'env' },
        { name: 'lvs2', source: 'registry', createdBy: 'admin' },
      ],
    });
    // the token is in neither the database nor its WAL as text; the key file beside them is 0600
    for (const f of ['lvs-dashboard.db', 'lvs-dashboard.db-wal'])
      expect(readFileSync(join(dir, f)).includes(TOKEN)).toBe(false);
    expect(statSync(join(dir, 'director-key')).mode & 0o777).toBe(0o600);
    expect(stack.dashboard.services.audit.query({ limit: 5 }).map((r) => r.operation)).toContain('director-add');

    const removed = await stack.api('/api/v1/fleet/directors/lvs2', { method: 'DELETE', cookie: admin });
    expect(removed.status).toBe(204);
    expect(hub.link('lvs2')).toBeUndefined();
    expect(hub.directors().map((d) => d.name)).toEqual(['lab']);
  });

  it('reconnects an edited director, and a dashboard started later connects the stored one with its token', async () => {
    const { stack, dir } = await stackOnFile();
    const port = await secondAgent();
    const admin = await stack.login('admin');
    const body = { name: 'lvs2', url: 'http://127.0.0.1:9', token: TOKEN };
    expect((await stack.api('/api/v1/fleet/directors', { method: 'POST', cookie: admin, body })).status).toBe(201);
    const edit = { name: 'lvs2', url: `http://127.0.0.1:${port}` };
    const edited = await stack.api('/api/v1/fleet/directors/lvs2', { method: 'PATCH', cookie: admin, body: edit });
    expect(edited.status).toBe(200);
    await until(() => stack.dashboard.hub.link('lvs2')?.status === 'live', 8000);
    await stack.close();

    const db = openDb(join(dir, 'lvs-dashboard.db'));
    const again = openParts({ db, agents: [] });
    cleanup.push(
      () => db.close(),
      () => again.directors.close(),
    );
    await until(() => again.directors.link('lvs2')?.status === 'live', 8000);
  });

  it('refuses bad input naming the field, and LVS_AGENTS entries are read-only', async () => {
    const { stack } = await stackOnFile();
    const admin = await stack.login('admin');
    const post = (body: unknown) => stack.api('/api/v1/fleet/directors', { method: 'POST', cookie: admin, body });
    const errorOf = async (r: Response) => ({ status: r.status, ...((await r.json()) as { error: object }).error });
    expect(await errorOf(await post({ name: 'x y', url: 'http://127.0.0.1:9', token: TOKEN }))).toMatchObject({
      status: 400,
      field: 'name',
    });
    expect(await errorOf(await post({ name: 'x', url: 'ftp://127.0.0.1', token: TOKEN }))).toMatchObject({
      status: 400,
      field: 'url',
    });
    expect(
      await errorOf(await post({ name: 'x', url: 'http://127.0.0.1:9', token: TOKEN, fingerprint: 'AB'.repeat(32) })),
    ).toMatchObject({ status: 400, field: 'url', message: expect.stringMatching(/https/) });
    expect(await errorOf(await post({ name: 'lab', url: 'http://127.0.0.1:9', token: TOKEN }))).toMatchObject({
      status: 409,
      field: 'name',
    });
    const del = await stack.api('/api/v1/fleet/directors/lab', { method: 'DELETE', cookie: admin });
    expect(await errorOf(del)).toMatchObject({ status: 403, message: expect.stringMatching(/LVS_AGENTS/) });
    expect(stack.dashboard.hub.link('lab')).toBeDefined();
  });
});
