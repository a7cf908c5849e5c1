// Audit rows for edits (UI, REST, refused ones), external changes, and snapshots: export, import preview and apply
// with the minimal plan, automatic snapshot and rollback.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderSave } from '../../../lib/ipvs';
import type { AuditEntry } from '../../../lib/api/contracts';
import { SEED, request, socketFor, startStack, type TestStack } from './stack';
import { until } from '../../testing/until';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const svc = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
const link = () => stack.dashboard.hub.link('lab')!;
const audit = (q = {}) => stack.dashboard.services.audit.query(q);

async function resetTable(): Promise<void> {
  const admin = await stack.login('admin');
  const r = await stack.api('/api/v1/directors/lab/import', { method: 'POST', cookie: admin, body: { rules: SEED } });
  expect(r.status).toBe(200);
  await until(() => renderSave(link().state!.services) === SEED);
}

describe('audit', () => {
  beforeEach(resetTable);

  it('records an operator weight change from the UI with who, before, after and argv, intent first', async () => {
    const socket = await socketFor(stack.url, { cookie: await stack.login('operator') });
    const before = audit()[0]?.id ?? 0;
    const r = await request(socket, 'service:update', {
      director: 'lab',
      request: {
        epoch: link().state!.epoch,
        version: link().state!.version,
        edit: { kind: 'set-weight', service: svc, destination: { address: '10.2.0.11', port: 80 }, weight: 5 },
      },
    });
    socket.close();
    expect(r).toMatchObject({ ok: true });
    const row = audit()[0]!;
    expect(row.id).toBeGreaterThan(before);
    expect(row).toMatchObject({
      user: 'operator',
      source: 'ui',
      director: 'lab',
      operation: 'set-weight',
      target: 'tcp/10.1.0.10:80|10.2.0.11:80',
      before: { weight: 1, forward: 'masq' },
      after: { weight: 5, forward: 'masq' },
      argv: [['ipvsadm', '-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '5']],
      status: 'ok',
      error: null,
    });
    expect(row.finishedAt).toBeGreaterThanOrEqual(row.time);
  });

  it('records a refused edit with the kernel error, and nothing as external', async () => {
    const cookie = await stack.login('operator');
    const r = await stack.api('/api/v1/directors/lab/edits', {
      method: 'POST',
      cookie,
      body: {
        epoch: link().state!.epoch,
        version: link().state!.version,
        edit: {
          kind: 'add-destination',
          service: svc,
          destination: { address: '10.2.0.11', port: 80, forward: 'masq', weight: 1 },
        },
      },
    });
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({
      error: { code: 'kernel', result: { stderr: expect.stringMatching(/already exists/i) } },
    });
    await new Promise((res) => setTimeout(res, 300));
    const [row] = audit({ director: 'lab' });
    expect(row).toMatchObject({
      user: 'operator',
      source: 'api',
      operation: 'add-destination',
      status: 'error',
      error: expect.stringMatching(/already exists/i),
    });
  });

  it('records a change made outside the dashboard as external, with before and after', async () => {
    const last = audit()[0]!.id;
    const viewer = await socketFor(stack.url, { cookie: await stack.login('viewer') });
    const announced = new Promise<{ id: number; director: string }>((resolve) => viewer.once('audit:changed', resolve));
    stack.backend.services[0]!.scheduler = 'rr'; // as if someone ran ipvsadm -E by hand
    await until(() => audit()[0]!.id > last);
    const row: AuditEntry = audit()[0]!;
    expect(row).toMatchObject({
      user: 'external',
      source: 'external',
      operation: 'external-change',
      target: 'tcp/10.1.0.10:80',
      status: 'ok',
    });
    expect(row.before).toMatchObject({ 'tcp/10.1.0.10:80': { scheduler: 'wrr' } });
    expect(row.after).toMatchObject({ 'tcp/10.1.0.10:80': { scheduler: 'rr' } });
    expect(await announced).toEqual({ id: row.id, director: 'lab' }); // browsers hear of it without polling
    viewer.close();
    // and the dashboard's own edits right after are not mistaken for external ones
    const socket = await socketFor(stack.url, { cookie: await stack.login('operator') });
    for (const weight of [2, 3, 4])
      await request(socket, 'service:update', {
        director: 'lab',
        request: {
          epoch: link().state!.epoch,
          version: 0,
          edit: { kind: 'set-weight', service: svc, destination: { address: '10.2.0.12', port: 80 }, weight },
        },
      });
    socket.close();
    await new Promise((r) => setTimeout(r, 400));
    expect(audit({ user: 'external' }).filter((r) => r.id > row.id)).toEqual([]);
  });

  it('filters by service, user and result, and exports CSV', async () => {
    const cookie = await stack.login('viewer');
    const json = (await (await stack.api('/api/v1/audit?service=tcp/10.1.0.10:80&status=ok', { cookie })).json()) as {
      entries: AuditEntry[];
    };
    expect(json.entries.length).toBeGreaterThan(0);
    expect(json.entries.every((e) => e.target.startsWith('tcp/10.1.0.10:80') && e.status === 'ok')).toBe(true);
    const csv = await stack.api('/api/v1/audit/export?format=csv&user=operator', { cookie });
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="lvs-audit-.*\.csv"/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,time,user,source,director,operation,target,status,error,argv,before,after');
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'operator')).toBe(true);
  });
});

describe('snapshots', () => {
  beforeEach(resetTable);

  it('exports, previews an import as a diff with its plan, applies it without a flush, and rolls back', async () => {
    const admin = await stack.login('admin');
    const exported = await (await stack.api('/api/v1/directors/lab/export?format=save', { cookie: admin })).text();
    expect(exported).toBe(SEED);
    const modified =
      exported.replace('-r 10.2.0.12:80 -m -w 1', '-r 10.2.0.12:80 -m -w 7').replace('-s rr', '-s wlc') +
      '-A -t 10.1.0.20:443 -s rr\n';
    const preview = (await (
      await stack.api('/api/v1/directors/lab/import/preview', {
        method: 'POST',
        cookie: admin,
        body: { rules: modified },
      })
    ).json()) as {
      added: unknown[];
      removed: unknown[];
      changed: { id: string }[];
      unchanged: number;
      plan: string[][];
    };
    expect(preview.added).toHaveLength(1);
    expect(preview.removed).toHaveLength(0);
    expect(preview.changed.map((c) => c.id).sort()).toEqual(['tcp/10.1.0.10:80', 'udp/10.1.0.10:53']);
    expect(preview.plan.flat()).not.toContain('-C');

    stack.backend.log.length = 0;
    const applied = await stack.api('/api/v1/directors/lab/import', {
      method: 'POST',
      cookie: admin,
      body: { rules: modified, name: 'test.rules' },
    });
    expect(applied.status).toBe(200);
    const outcome = (await applied.json()) as { results: { ok: boolean }[]; snapshot: { id: number; kind: string } };
    expect(outcome.results.every((r) => r.ok)).toBe(true);
    expect(outcome.snapshot.kind).toBe('auto');
    expect(stack.backend.log.map((a) => a.join(' '))).toEqual(preview.plan.map((a) => a.join(' ')));
    expect(renderSave(stack.backend.services)).toBe(
      renderSave((await import('../../../lib/ipvs')).parseSave(modified)),
    );
    const row = audit()[0]!;
    expect(row).toMatchObject({ user: 'admin', source: 'restore', operation: 'apply', status: 'ok', before: SEED });

    const restored = await stack.api(`/api/v1/snapshots/${outcome.snapshot.id}/restore`, {
      method: 'POST',
      cookie: admin,
    });
    expect(restored.status).toBe(200);
    expect(renderSave(stack.backend.services)).toBe(SEED);
  });

  it('refuses bad rules naming the line, and an import by an operator', async () => {
    const admin = await stack.login('admin');
    const bad = await stack.api('/api/v1/directors/lab/import/preview', {
      method: 'POST',
      cookie: admin,
      body: { rules: '-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.999:80 -m\n' },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: 'rules', message: expect.stringMatching(/line 2/) } });
    const op = await stack.api('/api/v1/directors/lab/import', {
      method: 'POST',
      cookie: await stack.login('operator'),
      body: { rules: SEED },
    });
    expect(op.status).toBe(403);
  });

  it('saves named snapshots, imports the JSON export, and downloads keepalived.conf', async () => {
    const op = await stack.login('operator');
    const saved = await stack.api('/api/v1/snapshots', {
      method: 'POST',
      cookie: op,
      body: { director: 'lab', name: 'before maintenance' },
    });
    expect(saved.status).toBe(201);
    const { snapshot } = (await saved.json()) as { snapshot: { id: number; services: number; destinations: number } };
    expect(snapshot).toMatchObject({ services: 2, destinations: 3 });
    const json = await (await stack.api('/api/v1/directors/lab/export?format=json', { cookie: op })).text();
    const preview = (await (
      await stack.api('/api/v1/directors/lab/import/preview', { method: 'POST', cookie: op, body: { rules: json } })
    ).json()) as { plan: unknown[]; unchanged: number };
    expect(preview).toMatchObject({ plan: [], unchanged: 2 });
    const ka = await (
      await stack.api(`/api/v1/snapshots/${snapshot.id}/download?format=keepalived`, { cookie: op })
    ).text();
    expect(ka).toMatch(/virtual_server 10\.1\.0\.10 80 \{/);
  });
});

describe('stats history', () => {
  it('serves the points the hub recorded per tick, for a service and its real servers', async () => {
    const cookie = await stack.login('viewer');
    const series = ['tcp/10.1.0.10:80', 'tcp/10.1.0.10:80|10.2.0.11:80'];
    const qs = series.map((s) => `series=${encodeURIComponent(s)}`).join('&');
    await until(() => stack.dashboard.services.stats.query('lab', series[0]!, '5m').length >= 3);
    const r = await stack.api(`/api/v1/directors/lab/stats?${qs}&range=5m`, { cookie });
    expect(r.status, await r.clone().text()).toBe(200);
    const body = (await r.json()) as { range: string; series: Record<string, { t: number; cps: number }[]> };
    expect(body.range).toBe('5m');
    for (const s of series) expect(body.series[s]?.length, s).toBeGreaterThanOrEqual(3);
    const bad = await stack.api(`/api/v1/directors/lab/stats?${qs}&range=2y`, { cookie });
    expect(await bad.json()).toMatchObject({ error: { field: 'range' } });
  });
});
