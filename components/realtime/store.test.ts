import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TableDelta, TableState } from '@/lib/ipvs';

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

const { DirectorStore } = await import('./store');
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
});
