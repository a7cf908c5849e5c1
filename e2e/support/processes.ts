// Child processes of the e2e run: started in their own process group, logged to test-results/, and stopped by pid
// (with every descendant, found through /proc: `lab up` runs QEMU under `timeout`, which makes its own group).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const LOG_DIR = path.join(ROOT, 'test-results', 'e2e-logs');

export interface Proc {
  name: string;
  child: ChildProcess;
  /** Resolves with the first stdout line matching, for processes that announce where they listen. */
  output: string[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** `unset`: variables of this process's environment the child must not see. */
export function start(
  name: string,
  cmd: string,
  args: string[],
  env: Record<string, string>,
  unset: string[] = [],
): Proc {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = createWriteStream(path.join(LOG_DIR, `${name}.log`));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env };
  for (const k of unset) delete childEnv[k];
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    output.push(...chunk.toString().split('\n').filter(Boolean));
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return { name, child, output };
}

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  proc?: Proc,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc && proc.child.exitCode !== null) {
      throw new Error(
        `${proc.name} exited (${proc.child.exitCode}) before ${what}; see ${path.join(LOG_DIR, `${proc.name}.log`)}:\n${proc.output.slice(-15).join('\n')}`,
      );
    }
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) {
      const tail = proc ? `; last lines of ${proc.name}'s output:\n${proc.output.slice(-40).join('\n')}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function httpOk(url: string): Promise<true | undefined> {
  const r = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return r.ok ? true : undefined;
}

/** An lvs-agent listens at `url`: it answers any plain HTTP path with its name (Socket.IO needs the token). */
export async function agentAnswers(url: string): Promise<true | undefined> {
  const r = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return (await r.text()).startsWith('lvs-agent') ? true : undefined;
}

/** Every descendant of pid (children first in the list's end), from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM the process and all its descendants by pid, then SIGKILL whatever still runs after graceMs. */
export async function stop(proc: Proc, graceMs = 8000): Promise<void> {
  const pid = proc.child.pid;
  if (pid === undefined) return;
  const all = [pid, ...descendants(pid)];
  for (const p of all) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + graceMs;
  while (all.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const p of all) {
    if (!alive(p)) continue;
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
