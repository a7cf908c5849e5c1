// The agent unit tests' common set-up: a memory director with a small table, an agent on it with a fast tick, and
// what each test started, stopped after it.
import { createAgent, type Agent } from '../agent/agent';
import { MemoryBackend } from '../agent/memory-backend';

export const RULES = `-A -t 10.1.0.10:80 -s wrr
-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1
-a -t 10.1.0.10:80 -r 10.2.0.12:80 -m -w 3
-A -u 10.1.0.10:53 -s rr
`;
export const web = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;

export type Cleanup = () => Promise<void> | void;

/** What a test started: `push` as it goes, `run` (newest first) from afterEach. */
export function cleanups(): { push(c: Cleanup): void; run(): Promise<void> } {
  let list: Cleanup[] = [];
  return {
    push: (c) => void list.push(c),
    run: async () => {
      for (const c of list.reverse()) await c();
      list = [];
    },
  };
}

export async function startedAgent(
  cleanup: { push(c: Cleanup): void },
  backend = new MemoryBackend(RULES),
): Promise<{ agent: Agent; backend: MemoryBackend }> {
  const agent = createAgent({ backend, tickMs: 20, name: 'test' });
  await agent.start();
  cleanup.push(() => agent.stop());
  return { agent, backend };
}
