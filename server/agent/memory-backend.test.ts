import { describe, expect, it } from 'vitest';
import { MemoryBackend } from './memory-backend';

describe('MemoryBackend answers like the kernel', () => {
  it('lists its table as ipvsadm -S -n does: without the thresholds (as the lab edit suite saw on the kernel)', async () => {
    const b = new MemoryBackend('-A -t 10.1.0.10:80 -s wrr\n');
    await b.run(['-a', '-t', '10.1.0.10:80', '-r', '10.1.0.21:80', '-g', '-w', '2', '-x', '1000', '-y', '100']);
    expect(await b.readSave()).toBe('-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.1.0.21:80 -g -w 2\n');
    expect((await b.readServices())[0]?.destinations[0]).toMatchObject({
      upperThreshold: 1000,
      lowerThreshold: 100,
    });
  });
  it('changes a real server of a port-0 persistent service (-A -t VIP:0 -p 600), as the kernel accepts', async () => {
    const b = new MemoryBackend('-A -t 10.1.0.10:0 -s wlc -p 600\n-a -t 10.1.0.10:0 -r 10.1.0.21:0 -g -w 1\n');
    const edit = await b.run(['-e', '-t', '10.1.0.10:0', '-r', '10.1.0.21:0', '-g', '-w', '3']);
    expect(edit.stderr).toBe('');
    expect(b.services[0]?.destinations[0]?.weight).toBe(3);
    expect((await b.run(['-a', '-t', '10.1.0.10:0', '-r', '10.1.0.22:0', '-g', '-w', '1'])).ok).toBe(true);
    expect((await b.run(['-d', '-t', '10.1.0.10:0', '-r', '10.1.0.21:0'])).ok).toBe(true);
    expect(b.services[0]?.destinations.map((d) => d.address)).toEqual(['10.1.0.22']);
    expect((await b.run(['-D', '-t', '10.1.0.10:0'])).ok).toBe(true);
    expect(b.services).toEqual([]);
  });

  // The kernel's answers below were seen in the lab (kernel 6.1, ipvsadm 1.31): ipvsadm --set 0 60 0; --start-daemon
  // twice; --stop-daemon of a daemon that is not running; an interface the director does not have.
  it('keeps a timeout given as 0 (ipvsadm --set 0 60 0 changes tcpfin only)', async () => {
    const b = new MemoryBackend();
    await b.run(['--set', '901', '121', '301']);
    await b.run(['--set', '0', '60', '0']);
    expect(await b.readTimeouts()).toEqual({ tcp: 901, tcpfin: 60, udp: 301 });
  });
  it('starts a sync daemon with the kernel defaults and refuses what the kernel refuses, with its words', async () => {
    const b = new MemoryBackend();
    expect((await b.run(['--start-daemon', 'master', '--mcast-interface', 'lo', '--syncid', '3'])).ok).toBe(true);
    expect((await b.run(['--start-daemon', 'backup', '--mcast-interface', 'lo', '--syncid', '9'])).ok).toBe(true);
    expect(await b.readDaemons()).toEqual([
      { state: 'master', mcastInterface: 'lo', syncId: 3, maxlen: 1472, group: '224.0.0.81', port: 8848, ttl: 1 },
      { state: 'backup', mcastInterface: 'lo', syncId: 9, maxlen: 65507, group: '224.0.0.81', port: 8848, ttl: 1 },
    ]);
    expect(await b.run(['--start-daemon', 'master', '--mcast-interface', 'lo', '--syncid', '4'])).toMatchObject({
      ok: false,
      stderr: 'Daemon has already run',
    });
    expect((await b.run(['--stop-daemon', 'master'])).ok).toBe(true);
    expect(await b.run(['--stop-daemon', 'master'])).toMatchObject({ ok: false, stderr: 'No daemon is running' });
    expect(await b.run(['--start-daemon', 'master', '--mcast-interface', 'nosuch0', '--syncid', '1'])).toMatchObject({
      ok: false,
      stderr: 'No such device',
    });
    expect((await b.readDaemons()).map((d) => d.state)).toEqual(['backup']);
  });
});
