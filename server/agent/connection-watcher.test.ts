import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionTable } from '../../lib/ipvs';
import { ConnectionWatcher } from './connection-watcher';
import { MemoryBackend } from './memory-backend';

/** A backend whose connection reads are counted and finish only when the test says so. */
class GatedBackend extends MemoryBackend {
  reads = 0;
  private release: (() => void) | null = null;
  override readConnections(): Promise<ConnectionTable> {
    this.reads++;
    return new Promise((resolve) => (this.release = () => resolve(new ConnectionTable())));
  }
  finishRead(): void {
    this.release?.();
    this.release = null;
  }
}

describe('ConnectionWatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers a returning watcher from the last read at once while the next read runs', async () => {
    const backend = new GatedBackend();
    const watcher = new ConnectionWatcher(backend, 2000, 4, 60_000);
    const stop = watcher.watch();
    backend.finishRead();
    const first = await watcher.query({});
    stop();

    await vi.advanceTimersByTimeAsync(30_000);
    const again = watcher.watch();
    expect(backend.reads).toBe(2); // the next read started and has not finished
    const answer = await watcher.query({});
    expect(answer.readAt).toBe(first.readAt);
    again();
    watcher.stop();
  });

  it('frees the last read once nobody has watched for the keep time', async () => {
    const backend = new GatedBackend();
    const watcher = new ConnectionWatcher(backend, 2000, 4, 60_000);
    const stop = watcher.watch();
    backend.finishRead();
    await watcher.query({});
    stop();
    expect(watcher.snapshot).not.toBeNull();
    await vi.advanceTimersByTimeAsync(60_001);
    expect(watcher.snapshot).toBeNull();
    watcher.stop();
  });
});
