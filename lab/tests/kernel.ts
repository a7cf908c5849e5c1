// Helpers for lab tests: they run inside the lab VM as root, against the real kernel. Reading the kernel back always
// goes through a separate ipvsadm call, never through the code under test.
import { execFileSync, spawnSync } from 'node:child_process';

export const VIP = '10.1.0.10';

export function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function ipvsadm(...args: string[]): string {
  return sh('ipvsadm', args);
}

/** `ipvsadm -Sn` as a set of lines. */
export function savedLines(): Set<string> {
  return new Set(ipvsadm('-Sn').split('\n').filter(Boolean));
}

/** Only tests may clear the table (the product never flushes). */
export function clearTable(): void {
  ipvsadm('-C');
}

/** Run a command in a lab namespace (client, nat1, ...). */
export function inNs(ns: string, cmd: string, args: string[], timeoutMs = 60_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One HTTP GET from the client namespace; returns the body (the real servers answer with their own names). */
export function fetchFromClient(url: string): string {
  const r = inNs('client', 'curl', ['-s', '-m', '5', url]);
  if (r.status !== 0) throw new Error(`curl ${url} failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

/** n requests, concurrency c, from the client namespace (ab). Returns the number completed. */
export function load(url: string, n: number, c = 10): number {
  const r = inNs('client', 'ab', ['-q', '-s', '5', '-n', String(n), '-c', String(c), url], 300_000);
  const m = /Complete requests:\s+(\d+)/.exec(r.stdout);
  if (!m) throw new Error(`ab ${url}: ${r.stderr || r.stdout}`);
  return Number(m[1]);
}

/** Retry an assertion until it holds or `ms` pass (for what the kernel updates on a timer). */
export async function eventually(check: () => void, ms = 6000, every = 250): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, every));
    }
  }
}
