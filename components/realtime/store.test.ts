import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { destinationId, serviceId, serviceKey, type TableDelta, type TableState } from '@/lib/ipvs';

/** The dashboard server's side of the browser's socket: answers director:subscribe with its current table. */
const server = vi.hoisted(() => ({ table: null as TableState | null, subscribes: 0 }));

vi.mock('./socket', async () => {
  const { EventEmitter } = await import('node:events');
  class FakeSocket extends EventEmitter {
    connected = true;
    timeout() {
      return {
        emit: (event: string, ...args: unknown[]) => {
          const ack = args.pop() as (err: Error | null, reply: unknown) => void;
          if (event === 'director:subscribe') server.subscribes++;
          queueMicrotask(() =>
            ack(null, event === 'director:subscribe' ? { ok: true, data: server.table } : { ok: true, data: [] }),
          );
        },
      };
    }
  }
  const socket = new FakeSocket();
  return { getSocket: () => socket };
});

const { DirectorStore, LINGER_MS, destRingKey, serviceRingKey } = await import('./store');
const { getSocket } = await import('./socket');

const table = (epoch: string, version: number, weight: number, updatedAt: number): TableState => ({
  epoch,
  version,
  updatedAt,
  services: [
    {
      protocol: 'tcp',
      address: '10.1.0.10',
      port: 80,
      scheduler: 'wrr',
      flags: [],
      ops: false,
      destinations: [
        {
          address: '10.2.0.11',
          port: 80,
          forward: 'masq',
          weight,
          upperThreshold: 0,
          lowerThreshold: 0,
          activeConns: 0,
          inactiveConns: 0,
          persistConns: 0,
        },
      ],
    },
  ],
  daemons: [],
  owners: [],
});

const settle = () => new Promise((r) => setTimeout(r, 0));

beforeAll(() => vi.stubGlobal('window', {}));
afterAll(() => vi.unstubAllGlobals());

describe('the browser store', () => {
  it('reloads the whole table on a delta of a new agent run, never applying it to the old table', async () => {
    const store = new DirectorStore();
    server.table = table('run-1', 7, 1, 1000);
    store.acquire('lab');
    await settle();
    expect(store.get('lab')?.state).toEqual(server.table);

    // The agent restarted (its versions count from 1 again) with another table; a delta of the new run reaches this
    // page before anything else of it.
    server.table = table('run-2', 2, 5, 2000);
    const delta: TableDelta = {
      epoch: 'run-2',
      version: 2,
      updatedAt: 2000,
      changed: [{ id: 'tcp/10.1.0.10:80', changedDestinations: [{ id: '10.2.0.11:80', set: { weight: 9 } }] }],
    };
    (getSocket() as unknown as EventEmitter).emit('director:delta', { director: 'lab', delta });
    await settle();
    expect(server.subscribes).toBe(2);
    expect(store.get('lab')?.state).toEqual(table('run-2', 2, 5, 2000));
  });

  it('keeps real-server rings only for watched services, and drops them LINGER_MS after the last watcher left', async () => {
    const store = new DirectorStore();
    const first = table('run-r', 1, 1, 1000);
    const service = first.services[0]!;
    const sid = serviceId(serviceKey(service));
    const serviceRing = () => store.ring(serviceRingKey('rings', sid));
    const destRing = () => store.ring(destRingKey('rings', sid, destinationId(service.destinations[0]!)));
    server.table = first;
    store.acquire('rings');
    await settle();
    vi.useFakeTimers();
    try {
      let version = 1;
      // a counters-only tick: the store records it through its rings kept in table order
      const tick = () => {
        version++;
        const delta: TableDelta = {
          epoch: 'run-r',
          version,
          updatedAt: version * 1000,
          changed: [
            {
              id: sid,
              changedDestinations: [{ id: destinationId(service.destinations[0]!), set: { weight: version } }],
            },
          ],
        };
        (getSocket() as unknown as EventEmitter).emit('director:delta', { director: 'rings', delta });
      };
      expect(serviceRing()?.length).toBe(1);
      expect(destRing()).toBeUndefined();
      tick();
      expect(serviceRing()?.length).toBe(2);
      expect(destRing()).toBeUndefined(); // nobody looks at the service: its real servers get no ring

      const release = store.watchService('rings', sid);
      tick();
      tick();
      expect(
        destRing()
          ?.samples()
          .map((s) => s.weight),
      ).toEqual([3, 4]);

      release();
      vi.advanceTimersByTime(LINGER_MS - 1);
      tick();
      expect(destRing()?.length).toBe(3); // kept and recorded while lingering (page to page navigation)
      vi.advanceTimersByTime(1);
      expect(destRing()).toBeUndefined();
      tick();
      expect(destRing()).toBeUndefined();
      expect(serviceRing()?.length).toBe(6); // the service's own ring stays for every service (the overview)

      // watched again before the linger ran out: kept
      const again = store.watchService('rings', sid);
      tick();
      again();
      vi.advanceTimersByTime(LINGER_MS - 1);
      const back = store.watchService('rings', sid);
      vi.advanceTimersByTime(LINGER_MS * 2);
      tick();
      expect(
        destRing()
          ?.samples()
          .map((s) => s.weight),
      ).toEqual([7, 8]);
      back();
    } finally {
      vi.useRealTimers();
    }
  });
});
