import { afterEach, describe, expect, it, vi } from 'vitest';
import { serviceId, serviceKey, type Service, type ServiceKey, type TableState } from '../../lib/ipvs';
import { createAgent, type AgentMessage } from './agent';
import { MemoryBackend } from './memory-backend';

const RULES = `-A -t 10.1.0.10:80 -s wrr
-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1
`;
const TWO = `${RULES}-a -t 10.1.0.10:80 -r 10.2.0.12:80 -m -w 2
-A -u 10.1.0.10:53 -s rr
-a -u 10.1.0.10:53 -r 10.2.0.13:53 -m -w 1
`;
/** A change the agent does not make (another tool's): only a read of the whole table shows it. */
const elsewhere = ['-e', '-u', '10.1.0.10:53', '-r', '10.2.0.13:53', '-m', '-w', '7'];
const dnsWeight = (s: TableState) => s.services.find((x) => x.protocol === 'udp')?.destinations.map((d) => d.weight);
const web = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;

/**
 * A kernel whose next full table read can be held (a long read): it takes its snapshot when it starts, as a dump
 * walks the table, and answers when released. One-service reads are never held. Records what ran in what order.
 */
class SlowReads extends MemoryBackend {
  readonly order: string[] = [];
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  private one = false;
  /** The next full read waits for release(). */
  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open?.();
  }
  override async readServices(): Promise<Service[]> {
    if (this.one) return super.readServices();
    const gate = this.gate;
    this.gate = undefined;
    this.order.push(gate ? 'held read' : 'read');
    const snapshot = super.readServices();
    await gate;
    if (gate) this.order.push('held read ends');
    return snapshot;
  }
  override async readService(key: ServiceKey): Promise<Service | null> {
    this.order.push(`read ${serviceId(key)}`);
    this.one = true;
    try {
      return await super.readService(key);
    } finally {
      this.one = false;
    }
  }
  override async run(args: string[]) {
    this.order.push(args.join(' '));
    return super.run(args);
  }
}

const setWeight = (address: string, weight: number) =>
  ({ kind: 'set-weight', service: web, destination: { address, port: 80 }, weight }) as const;

/** The weight of each real server of tcp/10.1.0.10:80. */
function weightsOf(state: TableState): Record<string, number> {
  const s = state.services.find((x) => serviceId(serviceKey(x)) === 'tcp/10.1.0.10:80');
  return Object.fromEntries(s?.destinations.map((d) => [d.address, d.weight]) ?? []);
}

afterEach(() => {
  vi.useRealTimers();
});

/** An agent on held reads that ticks only when asked, and every table it publishes. */
async function watched() {
  const backend = new SlowReads(TWO);
  const agent = createAgent({ backend, tickMs: 3_600_000 });
  await agent.start();
  const seen: TableState[] = [];
  agent.subscribe(() => seen.push(structuredClone(agent.state!)));
  return { backend, agent, seen };
}

describe('agent queue', () => {
  it('answers an edit made during a long read before that read ends, and the read does not undo it', async () => {
    const { backend, agent, seen } = await watched();
    await backend.run(elsewhere); // before the long read: that read is the one to publish it
    backend.order.length = 0;
    backend.hold();
    const running = agent.refresh();
    await vi.waitFor(() => expect(backend.order).toEqual(['held read']));
    const { epoch, version } = agent.state!;
    const reply = await agent.edit({ epoch, version, edit: setWeight('10.2.0.11', 5) });
    expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true, data: { confirmed: true, version: version + 1 } });
    expect(backend.order).toEqual([
      'held read',
      expect.stringMatching(/^-e .*10\.2\.0\.11:80 .*-w 5/),
      'read tcp/10.1.0.10:80',
    ]);
    backend.release();
    const after = await running;
    agent.stop();
    // the read saw weight 1 (its snapshot is older than the edit): it publishes that service as confirmed, the rest as read
    expect(weightsOf(after)).toEqual({ '10.2.0.11': 5, '10.2.0.12': 2 });
    expect(dnsWeight(after)).toEqual([7]);
    expect(after.version).toBe(version + 2);
    expect(seen.map((s) => weightsOf(s)['10.2.0.11'])).toEqual([1, 5, 5]);
    expect(seen.map((s) => s.version)).toEqual([version, version + 1, version + 2]);
  });

  it('drops a read that overlapped a change of the whole table; after two in a row the next holds changes off', async () => {
    const { backend, agent, seen } = await watched();
    const { epoch, version } = agent.state!;
    for (const [i, address] of ['10.1.0.20', '10.1.0.21'].entries()) {
      backend.hold();
      const dropped = agent.refresh();
      await vi.waitFor(() => expect(backend.order.at(-1)).toBe('held read'));
      // it runs while the read is held: after one dropped read, the next one still runs alongside changes
      const added = await agent.edit({
        epoch,
        version: version + i,
        edit: { kind: 'add-service', service: { ...web, address, scheduler: 'rr', flags: [], ops: false } },
      });
      expect(added, JSON.stringify(added)).toMatchObject({
        ok: true,
        data: { confirmed: true, version: version + i + 1 },
      });
      backend.release();
      // the read's snapshot has not the new service: published, it would take it away again
      expect((await dropped).version).toBe(version + i + 1);
      expect(agent.state?.services.map((s) => serviceId(serviceKey(s)))).toContain(`tcp/${address}:80`);
    }
    expect(seen.map((s) => s.services.length)).toEqual([2, 3, 4]); // nothing from the dropped reads
    // reads do not starve: the next one holds changes off while it runs, then publishes
    backend.order.length = 0;
    backend.hold();
    const next = agent.refresh();
    await vi.waitFor(() => expect(backend.order).toEqual(['held read']));
    const edit = agent.edit({ epoch, version: version + 2, edit: setWeight('10.2.0.11', 3) });
    for (let turn = 0; turn < 10; turn++) await new Promise((r) => setImmediate(r)); // turns in which it could run
    expect(backend.order).toEqual(['held read']); // the edit waits for this read
    backend.release();
    expect((await edit).ok).toBe(true);
    agent.stop();
    expect(backend.order.slice(1, 3)).toEqual([
      'held read ends',
      expect.stringMatching(/^-e .*10\.2\.0\.11:80 .*-w 3/),
    ]);
    expect(weightsOf(await next)).toEqual({ '10.2.0.11': 1, '10.2.0.12': 2 });
  });

  it('publishes a read that overlapped a stream of edits of one service, with their confirmed results', async () => {
    const backend = new SlowReads(TWO);
    const agent = createAgent({ backend, tickMs: 3_600_000 });
    await agent.start();
    await backend.run(elsewhere);
    backend.hold();
    const running = agent.refresh();
    await vi.waitFor(() => expect(backend.order).toContain('held read'));
    for (let w = 2; w <= 6; w++) {
      const { epoch, version } = agent.state!;
      expect(await agent.edit({ epoch, version, edit: setWeight('10.2.0.11', w) })).toMatchObject({ ok: true });
    }
    backend.release();
    const after = await running;
    agent.stop();
    expect(weightsOf(after)).toEqual({ '10.2.0.11': 6, '10.2.0.12': 2 });
    expect(dnsWeight(after)).toEqual([7]);
  });

  it('confirms an edit of a service by reading that service only, and pushes the change as a delta', async () => {
    const backend = new SlowReads(`${RULES}-A -u 10.1.0.10:53 -s rr\n`);
    const agent = createAgent({ backend, tickMs: 3_600_000 });
    await agent.start();
    const seen: AgentMessage[] = [];
    agent.subscribe((m) => seen.push(m));
    backend.order.length = 0;
    const { epoch, version } = agent.state!;
    const dest = { address: '10.2.0.12', port: 80, forward: 'masq', weight: 2 } as const;
    const added = await agent.edit({
      epoch,
      version,
      edit: { kind: 'add-destination', service: web, destination: dest },
    });
    expect(added).toMatchObject({ ok: true, data: { confirmed: true, version: version + 1 } });
    const gone = await agent.edit({
      epoch,
      version: version + 1,
      edit: { kind: 'delete-service', service: { protocol: 'udp', address: '10.1.0.10', port: 53 } },
    });
    expect(gone).toMatchObject({ ok: true, data: { confirmed: true, version: version + 2 } });
    agent.stop();
    expect(backend.order.filter((o) => o.startsWith('read'))).toEqual([
      'read tcp/10.1.0.10:80',
      'read udp/10.1.0.10:53',
    ]);
    expect(agent.state?.services.map((s) => [serviceId(serviceKey(s)), s.destinations.map((d) => d.weight)])).toEqual([
      ['tcp/10.1.0.10:80', [1, 2]],
    ]);
    expect(seen.slice(1).map((m) => m.type)).toEqual(['delta', 'delta']);
  });
});

describe('agent ticks', () => {
  it('stretches the cadence when a tick overruns its interval (next tick = end + interval) and says so', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const starts: number[] = [];
    let readMs = 2500;
    const backend = new (class extends MemoryBackend {
      override async readServices(): Promise<Service[]> {
        starts.push(Date.now());
        vi.setSystemTime(Date.now() + readMs); // the read takes readMs of the agent's clock
        return super.readServices();
      }
    })(RULES);
    vi.setSystemTime(0);
    const agent = createAgent({ backend, tickMs: 1000, now: Date.now });
    await agent.start(); // 0 -> 2500, then the first tick one interval later
    expect(agent.tick).toEqual({ tickMs: 1000, lastTickMs: null, stretched: false });
    await vi.advanceTimersByTimeAsync(1000); // tick at 3500 -> 6000: overran
    expect(agent.tick).toEqual({ tickMs: 1000, lastTickMs: 2500, stretched: true });
    await vi.advanceTimersByTimeAsync(1000); // at 7000, not at 6000
    readMs = 300;
    await vi.advanceTimersByTimeAsync(1000); // at 10500 -> 10800: within its interval again
    await vi.advanceTimersByTimeAsync(1000); // back to the fixed rate: 11500
    agent.stop();
    expect(starts).toEqual([0, 3500, 7000, 10500, 11500]);
    expect(agent.tick).toEqual({ tickMs: 1000, lastTickMs: 300, stretched: false });
  });
});
