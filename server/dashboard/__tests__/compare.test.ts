// Compare any two tables (viewer): a snapshot with the live table, two snapshots, a table with itself, as the import
// preview's diff; a bad or missing source is an error naming the field.
import { afterEach, describe, expect, it } from 'vitest';
import type { TableDiff } from '../../../lib/ipvs';
import { startStack, type TestStack } from './stack';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('tables:compare', () => {
  it('diffs a snapshot, the live table and another snapshot, and names the field of a bad source', async () => {
    stack = await startStack();
    const s = stack;
    const admin = await s.login('admin');
    const viewer = await s.login('viewer');
    const save = async (name: string) => {
      const r = await s.api('/api/v1/snapshots', { method: 'POST', cookie: admin, body: { director: 'lab', name } });
      return ((await r.json()) as { snapshot: { id: number } }).snapshot.id;
    };
    const compare = (from: string, to: string) =>
      s.api(`/api/v1/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { cookie: viewer });

    const before = await save('before');
    await s.backend.run(['-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '5']);
    const version = s.dashboard.hub.link('lab')!.state!.version;
    for (let i = 0; i < 200 && s.dashboard.hub.link('lab')!.state!.version === version; i++)
      await new Promise((r) => setTimeout(r, 20));
    const after = await save('after');

    const live = await compare(`snapshot:${before}`, 'director:lab');
    expect(live.status).toBe(200);
    const diff = (await live.json()) as TableDiff;
    expect(diff.plan).toEqual([['-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '5']]);
    expect(diff.changed.map((c) => c.id)).toEqual(['tcp/10.1.0.10:80']);

    const saved = (await (await compare(`snapshot:${after}`, `snapshot:${before}`)).json()) as TableDiff;
    expect(saved.plan).toEqual([['-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '1']]);
    const same = (await (await compare('director:lab', 'director:lab')).json()) as TableDiff;
    expect([same.plan, same.added, same.removed, same.changed]).toEqual([[], [], [], []]);

    const bad = await compare('lab', 'director:lab');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { field: 'from', message: expect.stringMatching(/director:NAME/) },
    });
    const missing = await compare('director:lab', 'snapshot:999999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { field: 'to', message: 'no snapshot 999999' } });
    const nobody = await compare('director:nowhere', 'director:lab');
    expect(await nobody.json()).toMatchObject({ error: { field: 'from' } });
  });
});
