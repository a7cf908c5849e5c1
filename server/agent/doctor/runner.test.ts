import { describe, expect, it } from 'vitest';
import type { DoctorFacts } from '../../../lib/doctor/facts';
import { MemoryBackend } from '../memory-backend';
import { SimulatedDirector } from '../simulator/director';
import { DoctorRunner, REUSE_MS } from './runner';

const RULES = `-A -t 10.1.0.10:80 -s wrr
-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1
`;

describe('the doctor on request', () => {
  it('runs once for any number of people asking at once, and answers the same report for a few seconds', async () => {
    const backend = new MemoryBackend(RULES);
    let gathered = 0;
    const facts = backend.doctorFacts.bind(backend);
    backend.doctorFacts = async (): Promise<DoctorFacts> => (gathered++, facts());
    let now = 1_000_000;
    const runner = new DoctorRunner(backend, () => now);
    const [a, b] = await Promise.all([runner.run(), runner.run()]);
    expect(gathered).toBe(1);
    expect(b).toBe(a);
    now += REUSE_MS - 1;
    expect(await runner.run()).toBe(a);
    now += 1;
    expect((await runner.run()).checkedAt).toBe(now);
    expect(gathered).toBe(2);
  });

  it("checks an in-memory director's made-up host like a kernel's, and says when it is simulated", async () => {
    const report = await new DoctorRunner(new MemoryBackend(RULES)).run();
    expect(report.simulated).toBeUndefined();
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.findings.find((f) => f.id === 'rs-route:10.2.0.11')).toMatchObject({
      message: 'Real server 10.2.0.11 (NAT) is reached via eth0 (on link)',
      services: ['tcp/10.1.0.10:80'],
    });
    const simulated = await new DoctorRunner(new SimulatedDirector({ seed: RULES })).run();
    expect(simulated.simulated).toBe(true);
  });

  it('says so when the backend cannot look at a host', async () => {
    const backend = new MemoryBackend(RULES);
    Object.assign(backend, { doctorFacts: undefined });
    const runner = new DoctorRunner(backend);
    expect(runner.available).toBe(false);
    await expect(runner.run()).rejects.toThrow('this agent cannot check its director');
  });
});
