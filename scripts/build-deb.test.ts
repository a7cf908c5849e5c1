// The .deb for directors: built with dpkg-deb from a freshly bundled agent, its listing and its units checked.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentBundleOptions } from './agent-bundle.mjs';

const ROOT = join(__dirname, '..');
const HAVE_DPKG_DEB = spawnSync('dpkg-deb', ['--version']).status === 0;
const arch = HAVE_DPKG_DEB ? execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim() : '';
const HAVE_SYSTEMD_ANALYZE = spawnSync('systemd-analyze', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'build-deb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let deb = '';
const helper = join(dir, 'ipvs-dump');

describe.skipIf(!HAVE_DPKG_DEB)('the lvs-agent .deb (skipped only without dpkg-deb)', () => {
  beforeAll(async () => {
    const agent = join(dir, 'lvs-agent.mjs');
    await build({ ...(await agentBundleOptions()), entryPoints: [join(ROOT, 'server/agent/cli.ts')], outfile: agent });
    const cc = spawnSync('cc', ['-O2', '-o', helper, join(ROOT, 'native/ipvs-dump.c')], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`cc native/ipvs-dump.c: ${cc.stderr || cc.error?.message}`);
    // the TCP check prober beside it, where build-deb.mjs looks for it
    const probe = spawnSync('cc', ['-O2', '-o', join(dir, 'tcp-probe'), join(ROOT, 'native/tcp-probe.c')], {
      encoding: 'utf8',
    });
    if (probe.status !== 0) throw new Error(`cc native/tcp-probe.c: ${probe.stderr || probe.error?.message}`);
    deb = execFileSync(process.execPath, [join(ROOT, 'scripts/build-deb.mjs'), agent, dir, helper], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
  }, 120_000);

  const file = (path: string) =>
    execFileSync('sh', ['-c', `dpkg-deb --fsys-tarfile "$1" | tar -xO "$2"`, 'sh', deb, `.${path}`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });

  it('holds the agent, the netlink reader and the TCP prober beside it, its units, a default config and ip_vs at boot, with these modes', () => {
    const listing = execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l && !l.startsWith('d'))
      .map((l) => {
        const f = l.split(/\s+/);
        return `${f[0]} ${f[1]} ${f.slice(5).join(' ')}`;
      })
      .sort();
    expect(listing).toEqual([
      '-rw------- root/root ./etc/lvs-agent/agent.env',
      '-rw-r--r-- root/root ./lib/systemd/system/lvs-agent-restore.service',
      '-rw-r--r-- root/root ./lib/systemd/system/lvs-agent.service',
      '-rw-r--r-- root/root ./usr/lib/modules-load.d/lvs-agent.conf',
      '-rwxr-xr-x root/root ./usr/lib/lvs-agent/ipvs-dump',
      '-rwxr-xr-x root/root ./usr/lib/lvs-agent/lvs-agent.mjs',
      '-rwxr-xr-x root/root ./usr/lib/lvs-agent/tcp-probe',
      'lrwxrwxrwx root/root ./usr/bin/lvs-agent -> /usr/lib/lvs-agent/lvs-agent.mjs',
    ]);
    expect(file('/usr/lib/lvs-agent/lvs-agent.mjs')).toBe(readFileSync(join(dir, 'lvs-agent.mjs'), 'utf8'));
    const packed = execFileSync('sh', [
      '-c',
      `dpkg-deb --fsys-tarfile "$1" | tar -xO ./usr/lib/lvs-agent/ipvs-dump`,
      'sh',
      deb,
    ]);
    expect(packed.equals(readFileSync(helper))).toBe(true);
    // the helper answers as itself (usage: it takes the one-service arguments or none)
    const usage = spawnSync(helper, ['--bogus'], { encoding: 'utf8' });
    expect([usage.status, usage.stderr]).toEqual([2, expect.stringMatching(/^usage: .*ipvs-dump \[--service/)]);
    expect(file('/etc/lvs-agent/agent.env')).toMatch(/^LVS_AGENT_OPTS=--listen=127\.0\.0\.1:7070$/m);
    expect(file('/usr/lib/modules-load.d/lvs-agent.conf')).toMatch(/^ip_vs$/m);
  });

  it('its postinst creates the token 0600 and enables or starts nothing; the config is a conffile', () => {
    const control = join(dir, 'control');
    execFileSync('dpkg-deb', ['-e', deb, control]);
    const postinst = readFileSync(join(control, 'postinst'), 'utf8');
    expect(postinst).toMatch(/umask 077; head -c 32 \/dev\/urandom .*>\/var\/lib\/lvs-agent\/token/);
    expect(postinst).toMatch(/chmod 0600 \/var\/lib\/lvs-agent\/token/);
    const commands = postinst.split('\n').filter((l) => !/^\s*(#|echo )/.test(l));
    expect(commands.join('\n')).not.toMatch(/systemctl (enable|start|restart)|deb-systemd-invoke/);
    expect(readFileSync(join(control, 'conffiles'), 'utf8')).toBe('/etc/lvs-agent/agent.env\n');
    expect(readFileSync(join(control, 'control'), 'utf8')).toMatch(
      new RegExp(`^Package: lvs-agent\nVersion: \\d+\\.\\d+\\.\\d+\nArchitecture: ${arch}$`, 'm'),
    );
    expect(spawnSync('sh', ['-n', join(control, 'postinst')]).status).toBe(0);
  });

  it.skipIf(!HAVE_SYSTEMD_ANALYZE)("its units pass systemd-analyze verify (node at this machine's path)", () => {
    for (const unit of ['lvs-agent.service', 'lvs-agent-restore.service']) {
      const text = file(`/lib/systemd/system/${unit}`);
      expect(text).toMatch(/^ExecStart=\/usr\/bin\/node \/usr\/lib\/lvs-agent\/lvs-agent\.mjs /m);
      const path = join(dir, unit);
      writeFileSync(path, text.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
      const r = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
      expect(r.stderr, unit).toBe('');
      expect(r.status, unit).toBe(0);
    }
  });
});
