import { describe, expect, it } from 'vitest';
import { KernelQueue, type Lane } from './queue';

/** Jobs that start when the queue runs them and end when the test says so, recording both. */
function harness() {
  const queue = new KernelQueue();
  const log: string[] = [];
  const ends = new Map<string, () => void>();
  const job = (name: string, lane: Lane) =>
    queue.run(
      () =>
        new Promise<string>((resolve) => {
          log.push(`${name} starts`);
          ends.set(name, () => {
            log.push(`${name} ends`);
            resolve(name);
          });
        }),
      3_600_000,
      lane,
    );
  const settle = async () => {
    for (let turn = 0; turn < 5; turn++) await new Promise((r) => setImmediate(r));
  };
  const end = async (name: string) => {
    ends.get(name)?.();
    await settle();
  };
  return { log, job, end, settle };
}

describe('KernelQueue', () => {
  it('runs a change alongside a read under way, changes one at a time and reads one at a time', async () => {
    const { log, job, end, settle } = harness();
    const done = [job('read 1', 'read'), job('edit 1', 'change'), job('edit 2', 'change'), job('read 2', 'read')];
    await settle();
    expect(log).toEqual(['read 1 starts', 'edit 1 starts']);
    await end('edit 1');
    await end('edit 2');
    expect(log.slice(2)).toEqual(['edit 1 ends', 'edit 2 starts', 'edit 2 ends']);
    await end('read 1');
    await end('read 2');
    expect(log.slice(5)).toEqual(['read 1 ends', 'read 2 starts', 'read 2 ends']);
    expect(await Promise.all(done)).toEqual(['read 1', 'edit 1', 'edit 2', 'read 2']);
  });

  it('starts an exclusive job when both lanes are idle, and nothing asked after it before it ends', async () => {
    const { log, job, end, settle } = harness();
    void job('edit 1', 'change');
    void job('read 1', 'read');
    void job('read 2', 'exclusive');
    void job('edit 2', 'change');
    await settle();
    await end('edit 1');
    expect(log).toEqual(['edit 1 starts', 'read 1 starts', 'edit 1 ends']); // edit 2 waits behind the exclusive read
    await end('read 1');
    await end('read 2');
    await end('edit 2');
    expect(log.slice(3)).toEqual(['read 1 ends', 'read 2 starts', 'read 2 ends', 'edit 2 starts', 'edit 2 ends']);
  });
});
