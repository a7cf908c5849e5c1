// Reaching into the lab VM from the e2e tests (lab project only), through the request files lab/guest-ctl answers in
// the lab's state folder: stop/pause the agent and bring it back, and list the kernel's IPVS table with an ipvsadm of
// its own, so that a test can check the kernel without trusting the agent.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Stack } from './stack';

/** pause: SIGSTOP (socket open, no updates: stale); stop: SIGTERM (unreachable); start: restart or SIGCONT. */
export type AgentAction = 'pause' | 'resume' | 'stop' | 'start' | 'status';

/** Sends one request line to the guest and returns its output; throws on a non-zero status or no answer in time. */
export async function askGuest(stack: Stack, request: string, timeoutMs = 240_000): Promise<string> {
  const state = stack.state;
  if (!state) throw new Error('this project has no lab VM (stack.state is unset)');
  const id = `e2e-${randomBytes(6).toString('hex')}`;
  const req = path.join(state, `ctl-guest-${id}`);
  const answer = path.join(state, `guest-${id}.out`);
  await writeFile(path.join(state, `tmp-${id}`), `${request}\n`);
  await rename(path.join(state, `tmp-${id}`), req);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // written in place: complete once its last line is the status
    const m = /^(?:([^]*)\n)?status (\d+)\n$/.exec((await readFile(answer, 'utf8').catch(() => undefined)) ?? '');
    if (m) {
      await rm(answer, { force: true });
      const output = m[1] ?? '';
      if (m[2] !== '0') throw new Error(`lab guest: ${request}: status ${m[2]}\n${output}`);
      return output;
    }
    if (Date.now() > deadline) {
      await rm(req, { force: true });
      throw new Error(`lab guest: no answer to "${request}" in ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function agent(stack: Stack, action: AgentAction): Promise<string> {
  return askGuest(stack, `agent ${action}`);
}

export interface Signalled {
  /** On the test's clock: the guest sent the signal between these two times (ms since the epoch). */
  after: number;
  before: number;
}

/**
 * pause/resume/stop the agent and tell when the signal went: after the request was written plus the time the guest
 * took from reading it to the signal, and before the answer arrived minus the time the guest took after the signal.
 */
export async function signalAgent(stack: Stack, action: 'pause' | 'resume' | 'stop'): Promise<Signalled> {
  const asked = Date.now();
  const out = await agent(stack, action);
  const answered = Date.now();
  const m = /^timing: signal (\d+) ms after reading the request, answer (\d+) ms after the signal$/m.exec(out);
  if (!m) throw new Error(`lab guest: no timing line in the answer to agent ${action}:\n${out}`);
  return { after: asked + Number(m[1]), before: answered - Number(m[2]) };
}

/** `ipvsadm -Sn` run in the VM's director namespace by the guest itself, not by the agent. */
export function kernelSave(stack: Stack): Promise<string> {
  return askGuest(stack, 'ipvsadm -Sn');
}

/**
 * The weight of a real server in `ipvsadm -Sn` text, read from its own line (`-a -t VIP:PORT -r RS:PORT -m -w 5`)
 * rather than with the dashboard's parser; undefined when the real server is not listed.
 */
export function weightIn(save: string, protocol: 'tcp' | 'udp', service: string, dest: string): number | undefined {
  const flag = protocol === 'tcp' ? '-t' : '-u';
  for (const line of save.split('\n')) {
    const t = line.trim().split(/\s+/);
    if (t[0] !== '-a' || t[1] !== flag || t[2] !== service || t[t.indexOf('-r') + 1] !== dest) continue;
    const w = t.indexOf('-w');
    return w < 0 ? undefined : Number(t[w + 1]);
  }
  return undefined;
}
