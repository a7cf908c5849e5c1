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
});
