// Snapshots on the real kernel, through the dashboard's REST API (agent over ipvsadm, hub, audit): the export is
// what `ipvsadm -R` restores; an import is previewed as a diff, applied with the minimal plan (unchanged services keep
// their counters: no flush), and rolled back from the automatic snapshot. The kernel is read back with ipvsadm.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../server/dashboard/create-dashboard';
import { VIP, clearTable, eventually, ipvsadm, load, savedLines, sh } from './kernel';
import { startLabStack, type LabStack } from './lab-stack';

const lines = (text: string) => new Set(text.split('\n').filter(Boolean));

const TOKEN = 'lab-snapshots-token-0123456789';
let dashboard: Dashboard;
let close: (() => Promise<void>) | undefined;
let api: LabStack['api'];

/** Total connections a service has had, from the kernel's own counters. */
function conns(service: string): number {
  const line = ipvsadm('-Ln', '--stats', '-t', service)
    .split('\n')
    .find((l) => l.startsWith('TCP'));
  const n = Number(line?.trim().split(/\s+/)[2]);
  if (!Number.isFinite(n)) throw new Error(`no stats line for ${service}`);
  return n;
}

beforeAll(async () => {
  clearTable();
  sh('sh', [`${__dirname}/../topology`, 'services']);
  ({ dashboard, api, close } = await startLabStack({ token: TOKEN }));
  await eventually(() => expect(dashboard.hub.link('lab')?.state).toBeTruthy(), 30_000);
}, 120_000);

afterAll(async () => {
  await close?.();
});

describe('snapshots on the real kernel', () => {
  it('the rules export is exactly what ipvsadm -S -n prints, and ipvsadm -R restores it', async () => {
    const res = await api('/api/v1/directors/lab/export?format=save');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="lab-.*\.rules"/);
    const exported = await res.text();
    expect(exported).toBe(ipvsadm('-Sn'));
    clearTable(); // the test's own flush, to prove the file alone rebuilds the table
    execFileSync('ipvsadm', ['-R'], { input: exported });
    expect(ipvsadm('-Sn')).toBe(exported);
    await eventually(
      () =>
        expect(dashboard.hub.link('lab')?.state?.services.length).toBe(
          exported.split('\n').filter((l) => l.startsWith('-A')).length,
        ),
      10_000,
    );
  });

  it('export -> modify -> import: the preview names the changes, the kernel ends equal to the file, unchanged services keep their counters, rollback restores', async () => {
    expect(load(`http://${VIP}:8080/`, 40, 4)).toBeGreaterThanOrEqual(40); // DR service, left unchanged below
    const dr = `${VIP}:8080`;
    // not 40: a reused client port can land on an entry left by an earlier test instead of a new connection
    await eventually(() => expect(conns(dr)).toBeGreaterThan(0));
    const drBefore = conns(dr);

    const original = await (await api('/api/v1/directors/lab/export?format=save')).text();
    const modified =
      original
        .replace('-a -t 10.1.0.10:80 -r 10.2.0.12:80 -m -w 3', '-a -t 10.1.0.10:80 -r 10.2.0.12:80 -m -w 7')
        .replace(/^-a -u 10\.1\.0\.10:53 -r 10\.2\.0\.12:53 -m -w 1\n/m, '') +
      '-A -t 10.1.0.10:8443 -s wlc\n-a -t 10.1.0.10:8443 -r 10.2.0.11:443 -m -w 1\n';
    expect(modified).not.toBe(original);

    const preview = (await (
      await api('/api/v1/directors/lab/import/preview', { method: 'POST', body: { rules: modified } })
    ).json()) as {
      added: { id: string }[];
      removed: unknown[];
      changed: {
        id: string;
        changedDestinations: { id: string; fields: { field: string; before: unknown; after: unknown }[] }[];
        removedDestinations: { address: string }[];
      }[];
      plan: string[][];
    };
    expect(preview.added.map((a) => a.id)).toEqual(['tcp/10.1.0.10:8443']);
    expect(preview.removed).toEqual([]);
    const byId = Object.fromEntries(preview.changed.map((c) => [c.id, c]));
    expect(Object.keys(byId).sort()).toEqual(['tcp/10.1.0.10:80', 'udp/10.1.0.10:53']);
    expect(byId['tcp/10.1.0.10:80']?.changedDestinations[0]?.fields).toEqual([
      { field: 'weight', before: 3, after: 7 },
    ]);
    expect(byId['udp/10.1.0.10:53']?.removedDestinations.map((d) => d.address)).toEqual(['10.2.0.12']);
    expect(preview.plan.map((a) => a[0])).not.toContain('-C');
    expect(preview.plan).toHaveLength(4); // -A, -a (new service), -e (weight), -d (removed real server)

    const applied = await api('/api/v1/directors/lab/import', {
      method: 'POST',
      body: { rules: modified, name: 'modified.rules' },
    });
    const outcome = (await applied.json()) as { results: { ok: boolean; stderr: string }[]; snapshot: { id: number } };
    expect(applied.status, JSON.stringify(outcome)).toBe(200);
    expect(outcome.results).toHaveLength(4);
    expect(savedLines()).toEqual(lines(modified)); // the kernel lists services in its hash order: compare as sets
    expect(conns(dr)).toBeGreaterThanOrEqual(drBefore); // not recreated: counters kept

    const rollback = await api(`/api/v1/snapshots/${outcome.snapshot.id}/restore`, { method: 'POST' });
    expect(rollback.status).toBe(200);
    expect(savedLines()).toEqual(lines(original));
    expect(conns(dr)).toBeGreaterThanOrEqual(drBefore);

    const audit = dashboard.services.audit.query({ director: 'lab' });
    expect(audit.slice(0, 2).map((r) => [r.operation, r.source, r.status])).toEqual([
      ['apply', 'restore', 'ok'],
      ['apply', 'restore', 'ok'],
    ]);
  }, 240_000);
});
