import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './cli';
import type { Io } from './commands/io';

const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HAVE_SYSTEMD_ANALYZE = spawnSync('systemd-analyze', ['--version']).status === 0;

async function unit(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const io: Io = { stdin: () => '', out: (s) => void (out += s), err: (s) => void (err += s) };
  const code = await main(
    ['install-unit', ...args, '--node', process.execPath, '--agent-file', join(ROOT, 'dist/lvs-agent.mjs')],
    io,
  );
  expect(err).toBe('');
  expect(code).toBe(0);
  return out;
}

/** Lines of the form Key=value, as a map (the last one wins, as in systemd). */
const keys = (text: string) =>
  new Map(
    text
      .split('\n')
      .filter((l) => /^\w+=/.test(l))
      .map((l) => l.split(/=(.*)/s) as [string, string]),
  );

describe('lvs-agent install-unit', () => {
  it('the agent unit keeps only CAP_NET_ADMIN and CAP_NET_RAW, and writes only its state directory', async () => {
    const k = keys(await unit(['agent', '--print']));
    expect(k.get('CapabilityBoundingSet')).toBe('CAP_NET_ADMIN CAP_NET_RAW');
    expect(k.get('NoNewPrivileges')).toBe('yes');
    expect(k.get('ProtectSystem')).toBe('strict');
    expect(k.get('StateDirectory')).toBe('lvs-agent');
    expect(k.get('PrivateTmp')).toBe('yes');
    expect(k.get('RestartSec')).toBe('2s');
    expect(k.get('ExecStart')).toBe(`${process.execPath} ${join(ROOT, 'dist/lvs-agent.mjs')} serve $LVS_AGENT_OPTS`);
    expect(k.get('Environment')).toBe('LVS_AGENT_OPTS=--listen=127.0.0.1:7070'); // plain http only on loopback
  });

  it('restore-on-boot is a oneshot before the agent, only when a table was saved; the dashboard runs unprivileged', async () => {
    const r = keys(await unit(['restore', '--print']));
    expect(r.get('Type')).toBe('oneshot');
    expect(r.get('ExecStart')).toMatch(/ restore-on-boot$/);
    expect(r.get('ConditionPathExists')).toBe('/var/lib/lvs-agent/rules');
    const d = keys(await unit(['dashboard', '--print', '--dashboard-dir', ROOT]));
    expect(d.get('DynamicUser')).toBe('yes');
    expect(d.get('CapabilityBoundingSet')).toBe('');
    expect(d.get('StateDirectory')).toBe('lvs-dashboard');
    expect(d.get('Environment')).toMatch(/LVS_DATA_DIR=\/var\/lib\/lvs-dashboard/);
  });

  it('writes the unit file into --dir and names a bad unit', async () => {
    let said = '';
    const io: Io = { stdin: () => '', out: () => undefined, err: (s) => void (said += s) };
    const args = [
      'install-unit',
      'restore',
      '--dir',
      dir,
      '--node',
      process.execPath,
      '--agent-file',
      join(ROOT, 'dist/lvs-agent.mjs'),
    ];
    expect(await main(args, io)).toBe(0);
    expect(said).toMatch(/wrote .*lvs-agent-restore\.service; now: systemctl daemon-reload/);
    expect(readFileSync(join(dir, 'lvs-agent-restore.service'), 'utf8')).toBe(await unit(['restore', '--print']));
    let err = '';
    expect(
      await main(['install-unit', 'web'], { stdin: () => '', out: () => undefined, err: (s) => void (err += s) }),
    ).toBe(2);
    expect(err).toMatch(/unknown unit "web" \(one of: agent, restore, dashboard\)/);
  });

  it.skipIf(!HAVE_SYSTEMD_ANALYZE)(
    'systemd-analyze verify passes on every unit, without a warning (skipped only without systemd-analyze)',
    async () => {
      for (const [name, file] of [
        ['agent', 'lvs-agent.service'],
        ['restore', 'lvs-agent-restore.service'],
        ['dashboard', 'lvs-dashboard.service'],
      ] as const) {
        const path = join(dir, file);
        writeFileSync(path, await unit([name, '--print', '--dashboard-dir', ROOT]));
        const r = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
        expect(r.stderr, file).toBe('');
        expect(r.status, file).toBe(0);
      }
    },
  );
});
