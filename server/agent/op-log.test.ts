import { describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { createAgent } from './agent';
import { MemoryBackend } from './memory-backend';
import { logOperation } from './op-log';

describe("the agent's log of kernel changes", () => {
  it('writes one JSON line per kernel change with its argv and result, failures as warnings', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger('lvs-agent', 2, {
      write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>),
    });
    const backend = new MemoryBackend('-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1\n');
    const agent = createAgent({ backend, tickMs: 60_000, onOperation: logOperation(log) });
    await agent.start();
    const svc = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
    await agent.edit({
      epoch: agent.epoch,
      version: agent.state!.version,
      edit: { kind: 'set-weight', service: svc, destination: { address: '10.2.0.11', port: 80 }, weight: 3 },
    });
    agent.stop();
    // a change the kernel refuses (MemoryBackend answers argv as the kernel does)
    const refused = await backend.run(['-D', '-t', '10.9.9.9:80']);
    logOperation(log)('apply', { ...refused, durationMs: 1 });
    expect(lines.map((l) => [l.level, l.name, l.source, l.ok, (l.argv as string[]).slice(1).join(' ')])).toEqual([
      [30, 'lvs-agent', 'edit', true, '-e -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 3'],
      [40, 'lvs-agent', 'apply', false, '-D -t 10.9.9.9:80'],
    ]);
    expect(lines[1]).toMatchObject({
      stderr: expect.any(String),
      msg: expect.stringMatching(/^apply failed: .*-D -t 10\.9\.9\.9:80: ./),
    });
  });
});
