import { afterEach, describe, expect, it, vi } from 'vitest';
import { serviceId, serviceKey, type Service, type ServiceKey } from '../../lib/ipvs';
import { createAgent, type AgentMessage } from './agent';
import { MemoryBackend } from './memory-backend';

const RULES = `-A -t 10.1.0.10:80 -s wrr
-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1
`;
const web = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;

/** A kernel whose table reads are held until released (a long read), recording what ran in what order. */
class SlowReads extends MemoryBackend {
  readonly order: string[] = [];
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.gate = undefined;
    this.open?.();
  }
  private one = false;
  override async readServices(): Promise<Service[]> {
    if (!this.one) this.order.push('read');
    await this.gate;
    return super.readServices();
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

afterEach(() => {
  vi.useRealTimers();
});

describe('agent queue', () => {
  it('runs an edit queued during a long read before the reads queued after it, and shares waiting reads', async () => {
    const backend = new SlowReads(RULES);
    const agent = createAgent({ backend, tickMs: 3_600_000 });
    await agent.start();
    backend.order.length = 0;
    backend.hold();
    const running = agent.refresh();
    await vi.waitFor(() => expect(backend.order).toEqual(['read'])); // the long read is under way
    const waiting = [agent.refresh(), agent.refresh()];
    const { epoch, version } = agent.state!;
    const edit = agent.edit({
      epoch,
      version,
      edit: { kind: 'set-weight', service: web, destination: { address: '10.2.0.11', port: 80 }, weight: 5 },
    });
    await Promise.resolve();
    backend.release();
    await Promise.all([running, ...waiting]);
    const reply = await edit;
    expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true, data: { confirmed: true } });
    agent.stop();
    // the read that was running, the edit, its confirmation (that service only), then one read for both refreshes
    expect(backend.order[0]).toBe('read');
    expect(backend.order[1]).toMatch(/^-e -t 10\.1\.0\.10:80 -r 10\.2\.0\.11:80 .*-w 5/);
    expect(backend.order.slice(2)).toEqual(['read tcp/10.1.0.10:80', 'read']);
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
