import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../cli';
import type { Io } from '../commands/io';
import { gatherFacts } from './gather';

// A procfs-shaped tree; addresses and routes come from this machine's own `ip` (route lookups send no traffic).
let proc: string;
const put = (path: string, text: string) => {
  mkdirSync(dirname(join(proc, path)), { recursive: true });
  writeFileSync(join(proc, path), text);
};
const ipVs = (vipHex: string) =>
  'IP Virtual Server version 1.2.1 (size=4096)\n' +
  'Prot LocalAddress:Port Scheduler Flags\n' +
  '  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n' +
  `TCP  ${vipHex}:0050 rr  \n` +
  '  -> 7F000002:0050      Masq    1      0          0         \n';

beforeEach(() => {
  proc = mkdtempSync(join(tmpdir(), 'doctor-proc-'));
  put('modules', 'ip_vs_rr 12288 1 - Live 0x0000000000000000\nip_vs 176128 3 ip_vs_rr, Live 0x0000000000000000\n');
  put('1/comm', 'systemd\n');
  put('42/comm', 'keepalived\n');
  put('sys/net/ipv4/ip_forward', '0\n');
  put('sys/net/ipv4/vs/expire_nodest_conn', '1\n');
});
afterEach(() => rmSync(proc, { recursive: true, force: true }));

async function doctor(args: string[]) {
  let out = '';
  const io: Io = { stdin: () => '', out: (s) => void (out += s), err: (s) => void (out += s) };
  const code = await main(['doctor', '--proc', proc, ...args], io);
  return { code, out };
}

describe('lvs-agent doctor', () => {
  it('gathers modules, the table, sysctls, processes, addresses and routes', async () => {
    put('net/ip_vs', ipVs('7F000001'));
    const f = await gatherFacts({ procRoot: proc });
    expect(f.modules).toEqual(['ip_vs_rr', 'ip_vs']);
    expect(f.services.map((s) => s.address)).toEqual(['127.0.0.1']);
    expect(f.sysctls).toEqual({ 'net.ipv4.ip_forward': '0', 'net.ipv4.vs.expire_nodest_conn': '1' });
    expect(f.processes.sort()).toEqual(['keepalived', 'systemd']);
    expect(f.addresses.find((l) => l.ifname === 'lo')?.addr_info.map((a) => a.local)).toContain('127.0.0.1');
    expect(f.routes['127.0.0.2']).toMatchObject({ route: { type: 'local', dev: 'lo' } });
  });

  it('--json prints the findings and exits 1 for ip_forward=0 with NAT and a VIP on no interface', async () => {
    put('net/ip_vs', ipVs('C6336407'));
    const r = await doctor(['--json']);
    expect(r.code).toBe(1);
    const { findings } = JSON.parse(r.out) as { findings: { id: string; severity: string; fix: string | null }[] };
    expect(findings.filter((f) => f.severity === 'error').map((f) => [f.id, f.fix])).toEqual([
      ['ip-forward-off', 'sysctl -w net.ipv4.ip_forward=1'],
      ['vip-missing:198.51.100.7', expect.stringMatching(/^ip addr add 198\.51\.100\.7\/32 dev \S+$/)],
    ]);
  });

  it('exits 0 and prints text when nothing is an error', async () => {
    put('net/ip_vs', ipVs('7F000001'));
    put('sys/net/ipv4/ip_forward', '1\n');
    const r = await doctor([]);
    expect(r.out).toContain('INFO    ip_vs is loaded, version 1.2.1');
    expect(r.out).not.toContain('ERROR');
    expect(r.code).toBe(0);
  });

  it('rejects unknown options with exit 2', async () => {
    expect((await doctor(['--jsn'])).code).toBe(2);
  });
});
