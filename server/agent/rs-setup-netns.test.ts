import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './cli';

// The DR script run for real in a fresh network namespace (unshare -n, root): nothing outside it is touched, and
// LVS_RS_ROOT keeps its sysctl.d file, unit and state file in a temporary directory.
const canUnshare = spawnSync('unshare', ['-n', 'true']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'rs-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rsSetup(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['rs-setup', ...args], {
    stdin: () => '',
    out: (s) => void (out += s),
    err: (s) => void (err += s),
  });
  return { code, out, err };
}

async function script(args: string[]): Promise<string> {
  const r = await rsSetup(args);
  expect(r.code).toBe(0);
  return r.out;
}

describe.skipIf(!canUnshare)('rs-setup --mode dr in a network namespace', () => {
  it('applies, changes nothing the second time, and the undo restores the old sysctls and addresses', async () => {
    const vips = ['--vip', '10.1.0.10', '--vip', '2001:db8::1'];
    writeFileSync(join(dir, 'dr.sh'), await script(['--mode', 'dr', ...vips]));
    writeFileSync(join(dir, 'undo.sh'), await script(['--mode', 'dr', ...vips, '--undo']));
    const root = join(dir, 'root');
    // v0 stands for the real server's outgoing interface: the default route leaves by it
    const harness = `set -e
ip link set lo up
ip link add v0 type veth peer name v1
ip link set v0 up
ip addr add 192.0.2.9/24 dev v0
ip route add default via 192.0.2.1 dev v0
echo 1 > /proc/sys/net/ipv4/conf/v0/arp_announce
snap() {
  ip -o addr show | awk '{ print $2, $4 }' | sort
  for k in all v0 v1; do for s in arp_ignore arp_announce; do echo "$k.$s $(cat /proc/sys/net/ipv4/conf/$k/$s)"; done; done
}
snap > ${dir}/before
LVS_RS_ROOT=${root} sh ${dir}/dr.sh
snap > ${dir}/once
cp ${root}/var/lib/lvs-rs-setup/state ${dir}/state1
cp ${root}/etc/sysctl.d/90-lvs-rs-setup.conf ${dir}/sysctl1
LVS_RS_ROOT=${root} sh ${dir}/dr.sh
snap > ${dir}/twice
cp ${root}/var/lib/lvs-rs-setup/state ${dir}/state2
LVS_RS_ROOT=${root} sh ${dir}/undo.sh
snap > ${dir}/undone
ls -A ${root}/etc/sysctl.d ${root}/etc/systemd/system ${root}/var/lib/lvs-rs-setup > ${dir}/files-left
`;
    const r = spawnSync('unshare', ['-n', 'sh', '-c', harness], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const read = (n: string) => readFileSync(join(dir, n), 'utf8');
    const once = read('once');
    expect(once).toContain('lo 10.1.0.10/32');
    expect(once).toContain('lo 2001:db8::1/128');
    for (const k of ['all', 'v0']) {
      expect(once).toContain(`${k}.arp_ignore 1`);
      expect(once).toContain(`${k}.arp_announce 2`);
    }
    expect(once).toContain('v1.arp_ignore 0');
    expect(read('sysctl1')).toContain('net.ipv4.conf.v0.arp_ignore = 1\nnet.ipv4.conf.v0.arp_announce = 2');
    expect(read('twice')).toBe(once);
    expect(read('state2')).toBe(read('state1'));
    expect(read('undone')).toBe(read('before'));
    expect(read('before')).toContain('v0.arp_announce 1');
    expect(
      read('files-left')
        .trim()
        .split('\n')
        .filter((l) => l && !l.endsWith(':')),
    ).toEqual([]);
  });
});

describe('lvs-agent rs-setup', () => {
  it('names the option and the bad value, and prints nothing, for input that is no VIP', async () => {
    const r = await rsSetup(['--mode', 'dr', '--vip', '10.1.0.10', '--vip', '10.1.0.11;reboot']);
    expect(r).toEqual({
      code: 2,
      out: '',
      err: 'lvs-agent rs-setup: --vip "10.1.0.11;reboot": not an IPv4 or IPv6 address\n',
    });
    expect((await rsSetup(['--vip', '10.1.0.10'])).err).toContain('--mode is required');
  });
});
