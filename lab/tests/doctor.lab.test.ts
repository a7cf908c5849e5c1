// The doctor against the real kernel: the director (the VM's root namespace) with ip_forward=0 and a NAT service
// on a VIP that is on no interface gets both errors, and running each printed fix clears it.
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../lib/doctor/checks';
import { gatherFacts } from '../../server/agent/doctor/gather';
import { clearTable, ipvsadm, sh } from './kernel';

const LOST_VIP = '10.1.0.77';
const errors = async () =>
  diagnose(await gatherFacts())
    .filter((f) => f.severity === 'error')
    .map((f) => ({ id: f.id, fix: f.fix }));

afterAll(() => {
  clearTable();
  sh('sh', ['-c', `echo 1 > /proc/sys/net/ipv4/ip_forward; ip addr del ${LOST_VIP}/32 dev lan0 2>/dev/null || true`]);
});

describe('lvs-agent doctor', () => {
  it('flags ip_forward=0 with a NAT service and a VIP on no interface, and the printed fixes clear them', async () => {
    clearTable();
    ipvsadm('-A', '-t', `${LOST_VIP}:80`, '-s', 'rr');
    ipvsadm('-a', '-t', `${LOST_VIP}:80`, '-r', '10.2.0.11:80', '-m');
    sh('sh', ['-c', 'echo 0 > /proc/sys/net/ipv4/ip_forward']);
    const found = await errors();
    expect(found.map((f) => f.id).sort()).toEqual(['ip-forward-off', `vip-missing:${LOST_VIP}`]);
    for (const f of found) sh('sh', ['-c', f.fix ?? 'false']);
    expect(await errors()).toEqual([]);
  });
});
