import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionTable, SLICE, buffers, builtOrder } from '../../lib/ipvs';
import { ConnectionWatcher } from './connection-watcher';
import { MemoryBackend } from './memory-backend';

/** A MemoryBackend whose connection reads are counted and finish only when the test lets them. */
class CountingBackend extends MemoryBackend {
  reads = 0;
  private waiting: (() => void)[] = [];
  held = false;
  override async readConnections(): Promise<ConnectionTable> {
    this.reads++;
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.connections;
  }
  release(): void {
    for (const w of this.waiting.splice(0)) w();
  }
}

function tableOf(rows: number): ConnectionTable {
  const t = new ConnectionTable(rows);
  const [tcp, est, vip, dest] = ['tcp', 'ESTABLISHED', '10.1.0.10', '10.2.0.11'].map((s) => t.text.id(s)) as number[];
  for (let i = 0; i < rows; i++) {
    const client = t.text.id(`10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`);
    t.push({
      protocol: tcp!,
      state: est!,
      expires: i % 900,
      client,
      clientPort: 1024 + (i % 60000),
      virtual: vip!,
      virtualPort: 80,
      dest: dest!,
      destPort: 80,
    });
  }
  return t;
}

let watcher: ConnectionWatcher | undefined;
afterEach(() => watcher?.stop());

describe('connection queries', () => {
  it('are answered from the last read: no second read within the read interval, also after the last watcher left', async () => {
    const backend = new CountingBackend();
    backend.connections = tableOf(10);
    watcher = new ConnectionWatcher(backend, { minIntervalMs: 60_000 });
    const first = await watcher.query({ sort: 'client' });
    const again = await watcher.query({ sort: 'client', desc: true });
    expect(backend.reads).toBe(1);
    expect(again.readAt).toBe(first.readAt);
    const stop = watcher.watch();
    await new Promise((r) => setTimeout(r, 10));
    stop();
    const reads = backend.reads;
    expect(await watcher.query({})).toMatchObject({ total: 10 });
    expect(backend.reads).toBe(reads);
  });

  it('build the sort order of their key after answering, for the next pages (the first page comes by selection)', async () => {
    const backend = new CountingBackend();
    backend.connections = tableOf(3000);
    watcher = new ConnectionWatcher(backend, { minIntervalMs: 60_000 });
    const first = await watcher.query({ sort: 'client', limit: 10 });
    const next = await watcher.query({ sort: 'client', offset: 10, limit: 10 });
    expect(builtOrder(backend.connections, 'client')).toHaveLength(3000);
    expect(builtOrder(backend.connections, 'expires')).toBeUndefined();
    expect([...first.rows, ...next.rows].map((r) => r.clientAddress)).toEqual(
      Array.from({ length: 20 }, (_, i) => `10.0.${i >>> 8}.${i & 255}`),
    );
  });

  it('give the sort orders of a read back once a newer read replaced it: the next read sorts in the same memory', async () => {
    class NewTableBackend extends MemoryBackend {
      readTables: ConnectionTable[] = [];
      override async readConnections(): Promise<ConnectionTable> {
        this.readTables.push(tableOf(3000));
        return this.readTables.at(-1) as ConnectionTable;
      }
    }
    const backend = new NewTableBackend();
    watcher = new ConnectionWatcher(backend, { minIntervalMs: 60_000 });
    // the second query runs after the order the first one asked for was built
    for (const offset of [0, 10]) await watcher.query({ sort: 'client', offset, limit: 10 });
    const [old] = backend.readTables as [ConnectionTable];
    expect(builtOrder(old, 'client')).toHaveLength(3000);
    const made = buffers.made;
    await watcher.read();
    for (const offset of [0, 10]) await watcher.query({ sort: 'client', offset, limit: 10 });
    expect(builtOrder(backend.readTables[1] as ConnectionTable, 'client')).toHaveLength(3000);
    expect(builtOrder(old, 'client')).toBeUndefined();
    expect(buffers.made).toBe(made);
  });

  it('arriving together share one read, and the next query within the interval reuses it', async () => {
    const backend = new CountingBackend();
    backend.connections = tableOf(10);
    backend.held = true;
    watcher = new ConnectionWatcher(backend, { minIntervalMs: 60_000 });
    const pages = [watcher.query({ sort: 'client' }), watcher.query({ sort: 'expires' }), watcher.query({ offset: 5 })];
    await new Promise((r) => setTimeout(r, 10));
    backend.held = false;
    backend.release();
    const answered = await Promise.all(pages);
    expect(answered.map((p) => [p.total, p.rows.length])).toEqual([
      [10, 10],
      [10, 10],
      [10, 5],
    ]);
    expect(await watcher.query({ state: 'ESTABLISHED' })).toMatchObject({ matched: 10, readAt: answered[0]?.readAt });
    expect(backend.reads).toBe(1);
  });

  it('run in slices: timers get the event loop while a query over a large table is worked out', async () => {
    const backend = new CountingBackend();
    backend.connections = tableOf(4 * SLICE);
    watcher = new ConnectionWatcher(backend, { sliceMs: 0 });
    await watcher.read();
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    let firedBeforeAnswer = false;
    const page = await watcher
      .query({ sort: 'client', offset: 3 * SLICE, limit: 2 })
      .finally(() => (firedBeforeAnswer = timerFired));
    expect(firedBeforeAnswer).toBe(true);
    expect(page.rows.map((r) => r.clientAddress)).toEqual(['10.3.0.0', '10.3.0.1']);
  });

  it('hand the event loop over between queries: quick queries back to back do not hold a timer up', async () => {
    const backend = new CountingBackend();
    backend.connections = tableOf(100);
    watcher = new ConnectionWatcher(backend, { minIntervalMs: 60_000 });
    await watcher.query({ sort: 'client' });
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    const firedBefore: boolean[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        watcher?.query({ sort: 'client', offset: k }).then(() => firedBefore.push(timerFired)),
      ),
    );
    expect(firedBefore).toHaveLength(20);
    expect(firedBefore.at(-1)).toBe(true);
  });
});

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

describe('the last read outlives its watchers', () => {
  // setImmediate stays real: the query work hands the event loop over through it
  beforeEach(() =>
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }),
  );
  afterEach(() => vi.useRealTimers());

  it('answers a returning watcher from the last read at once while the next read runs', async () => {
    const backend = new GatedBackend();
    const watcher = new ConnectionWatcher(backend, { minIntervalMs: 2000, restFactor: 4, keepMs: 60_000 });
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

  it('frees the last read and the buffers kept for its queries once nobody has watched for the keep time', async () => {
    const backend = new GatedBackend();
    const watcher = new ConnectionWatcher(backend, { minIntervalMs: 2000, restFactor: 4, keepMs: 60_000 });
    const stop = watcher.watch();
    backend.finishRead();
    await watcher.query({});
    stop();
    expect(watcher.snapshot).not.toBeNull();
    buffers.give(buffers.u32(1000)); // as a query's scratch
    expect(buffers.kept).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(60_001);
    expect(watcher.snapshot).toBeNull();
    expect(buffers.kept).toBe(0); // and the buffers kept for its queries
    watcher.stop();
  });
});
