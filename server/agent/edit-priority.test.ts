import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Service } from '../../lib/ipvs';
import { createAgent } from './agent';
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
  override async readServices(): Promise<Service[]> {
    this.order.push('read');
    await this.gate;
    return super.readServices();
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
    // the read that was running, the edit, its confirmation, then one read for both waiting refreshes
    expect(backend.order[0]).toBe('read');
    expect(backend.order[1]).toMatch(/^-e -t 10\.1\.0\.10:80 -r 10\.2\.0\.11:80 .*-w 5/);
    expect(backend.order.slice(2)).toEqual(['read', 'read']);
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
