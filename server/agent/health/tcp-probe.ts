// TCP checks through dist/tcp-probe (native/tcp-probe.c): one long-running child connects for every TCP check, the
// requests and results batched as lines on its pipes, at a fraction of node:net's CPU per connect (issue #14). When
// the helper is not there, or its child dies, TCP checks go through node:net (the caller's fallback), and `info` says
// so; a dead child is started again at most once a RESPAWN_MS.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getSystemErrorName } from 'node:util';
import type { CheckResult } from '../../../lib/health';

/** What a probe needs of a check's target (checkers.ts's CheckTarget, which imports this file). */
export interface ProbeTarget {
  address: string;
  port: number;
  sourceAddress?: string;
  timeoutMs: number;
}

/** Where the helper is looked for: beside the bundled agent (dist/lvs-agent.mjs), or dist/ of the checkout. */
export function defaultTcpProbePaths(): string[] {
  return [new URL('./tcp-probe', import.meta.url), new URL('../../../dist/tcp-probe', import.meta.url)].map((u) =>
    fileURLToPath(u),
  );
}

export const RESPAWN_MS = 60_000;

interface Pending {
  t: ProbeTarget;
  sentAt: number;
  now: () => number;
  resolve: (r: CheckResult | Promise<CheckResult>) => void;
  /** The check by node:net, for a probe the helper could not answer. */
  fallback: () => Promise<CheckResult>;
}

export class TcpProber {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private batch = '';
  private flushing = false;
  private partial = '';
  private sweep: NodeJS.Timeout | undefined;
  private diedAt = -Infinity;
  private why: string;

  /** `helper` undefined: TCP checks by node:net, for the reason `missing`. A probe the child has not answered
   * `graceMs` after its own timeout is given up on (a stuck child). */
  constructor(
    readonly helper: string | undefined,
    missing = 'no helper',
    private readonly graceMs = 2000,
  ) {
    this.why = helper ? 'not started yet' : missing;
  }

  /** Whether checks go through the helper now (starting its child when it is due). */
  ready(): boolean {
    if (this.child) return true;
    if (!this.helper || performance.now() - this.diedAt < RESPAWN_MS) return false;
    this.startChild(this.helper);
    return this.child !== undefined;
  }

  /** The child's process id while it runs (benchmarks add its CPU time to the agent's). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** What runs the TCP checks, for the agent's info and log. */
  get info(): string {
    if (this.child) return `tcp checks: ${this.helper} (pid ${this.child.pid})`;
    if (this.helper && this.why === 'not started yet') return `tcp checks: ${this.helper} (from the first TCP check)`;
    return `tcp checks: node:net (${this.why})`;
  }

  /** The check's result; `fallback`'s when the helper could not answer it. */
  probe(t: ProbeTarget, now: () => number, fallback: () => Promise<CheckResult>): Promise<CheckResult> {
    const id = this.nextId++;
    this.batch += `${id} ${t.address} ${t.port} ${t.timeoutMs}${t.sourceAddress ? ` ${t.sourceAddress}` : ''}\n`;
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(this.flush); // every check started in this turn goes in one write
    }
    return new Promise((resolve) => this.pending.set(id, { t, sentAt: performance.now(), now, resolve, fallback }));
  }

  stop(): void {
    this.child?.kill();
    this.dropChild('stopped');
  }

  private readonly flush = () => {
    this.flushing = false;
    const lines = this.batch;
    this.batch = '';
    if (this.child) this.child.stdin.write(lines);
  };

  private startChild(helper: string): void {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(helper, [], { stdio: 'pipe' });
    } catch (e) {
      this.died(`cannot start ${helper}: ${(e as Error).message}`);
      return;
    }
    this.child = child;
    this.why = 'running';
    let stderr = '';
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => this.read(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-500)));
    child.stdin.on('error', () => undefined); // the child's exit says why
    child.on('error', (e) => this.childGone(child, `${helper}: ${e.message}`));
    child.on('exit', (code, signal) =>
      this.childGone(child, `${helper} exited (${signal ?? `status ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`),
    );
    // the agent does not stay up for its helper, nor for a check in flight (its own servers keep it)
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void }).unref?.();
    this.sweep = setInterval(() => this.giveUpStuck(), 1000);
    this.sweep.unref();
  }

  private childGone(child: ChildProcessWithoutNullStreams, why: string): void {
    if (this.child !== child) return;
    this.died(why);
  }

  private died(why: string): void {
    this.diedAt = performance.now();
    this.dropChild(`${why}; tried again after ${RESPAWN_MS / 1000} s`);
  }

  /** Every probe in flight is checked by node:net. */
  private dropChild(why: string): void {
    this.child = undefined;
    this.why = why;
    clearInterval(this.sweep);
    this.partial = '';
    const lost = [...this.pending.values()];
    this.pending.clear();
    for (const p of lost) p.resolve(p.fallback());
  }

  private read(chunk: string): void {
    const text = this.partial + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.answer(text, start, nl);
      start = nl + 1;
    }
    this.partial = start < text.length ? text.slice(start) : '';
  }

  /** One result line, text[from, to): `ID RESULT LATENCY_US` (read in place: a thousand a second). */
  private answer(text: string, from: number, to: number): void {
    const a = text.indexOf(' ', from);
    const b = text.indexOf(' ', a + 1);
    if (a < 0 || b < 0 || b > to) return;
    const id = digits(text, from, a);
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    const latencyMs = Math.round(digits(text, b + 1, to) / 100) / 10;
    if (text.charCodeAt(a + 1) === OK) return p.resolve({ ok: true, at: p.now(), latencyMs });
    const { t } = p;
    const code = text.slice(a + 1, b);
    let error: string;
    if (code === 'timeout') error = `timed out after ${t.timeoutMs} ms`;
    else {
      const errno = Number(code.slice(1));
      const name = errno > 0 ? getSystemErrorName(-errno) : code;
      if (code[0] === 'c') error = `connect ${name} ${t.address}:${t.port}`;
      else if (code[0] === 'b') error = `bind ${name} ${t.sourceAddress}`;
      else return p.resolve(p.fallback()); // not a request it could take: node:net says why
    }
    p.resolve({ ok: false, at: p.now(), latencyMs, error });
  }

  /** A probe unanswered well past its timeout: the child is stuck; it is killed, and its probes rerun by node:net. */
  private giveUpStuck(): void {
    const now = performance.now();
    for (const p of this.pending.values())
      if (now - p.sentAt > p.t.timeoutMs + this.graceMs) {
        this.child?.kill('SIGKILL');
        return this.died(`${this.helper} did not answer a probe within its timeout`);
      }
  }
}

const OK = 'o'.charCodeAt(0);
const ZERO = '0'.charCodeAt(0);

function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + text.charCodeAt(i) - ZERO;
  return n;
}

let shared: TcpProber | undefined;
/** The agent's one prober (the helper found at the default paths, or none). */
export function tcpProber(): TcpProber {
  if (shared) return shared;
  const paths = defaultTcpProbePaths();
  const why = `no TCP probe helper (tcp-probe) at ${paths.join(' or ')}; it is built at install with a C compiler (node scripts/build-ipvs-dump.mjs)`;
  shared = new TcpProber(
    paths.find((p) => existsSync(p)),
    why,
  );
  return shared;
}
