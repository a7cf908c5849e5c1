// Helpers for lab tests: they run inside the lab VM as root, against the real kernel. Reading the kernel back always
// goes through a separate ipvsadm call, never through the code under test.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

export const VIP = '10.1.0.10';

export function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function ipvsadm(...args: string[]): string {
  return sh('ipvsadm', args);
}

/** ipvsadm without blocking the test's event loop: for polling while an agent, its health checks or a dashboard run
 * in the same process (a synchronous listing stalls their timers for its whole run, up to seconds under TCG). */
export async function ipvsadmAsync(...args: string[]): Promise<string> {
  return (await promisify(execFile)('ipvsadm', args, { encoding: 'utf8' })).stdout;
}

/** Real server `destination` (ADDR:PORT) of an `ipvsadm -Ln` listing: its weight and connection counts (undefined:
 * not listed). */
export function listedDestination(
  listing: string,
  destination: string,
): { weight: number; active: number; inactive: number } | undefined {
  const m = new RegExp(`->\\s+${destination.replace(/\./g, '\\.')}\\s+\\w+\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)`).exec(
    listing,
  );
  return m ? { weight: Number(m[1]), active: Number(m[2]), inactive: Number(m[3]) } : undefined;
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
export function inNs(
  ns: string,
  cmd: string,
  args: string[],
  timeoutMs = 60_000,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** n requests, concurrency c, from the client namespace (ab). Returns the number completed. */
export function load(url: string, n: number, c = 10): number {
  const r = inNs('client', 'ab', ['-q', '-s', '5', '-n', String(n), '-c', String(c), url], 300_000);
  const m = /Complete requests:\s+(\d+)/.exec(r.stdout);
  if (!m) throw new Error(`ab ${url}: ${r.stderr || r.stdout}`);
  return Number(m[1]);
}

/** Retry an assertion (or an async one) until it holds or `ms` pass (for what the kernel updates on a timer). */
export async function eventually(check: () => void | Promise<void>, ms = 6000, every = 250): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, every));
    }
  }
}

/** Run a command, ignoring failure (cleanup of what may not exist). Returns whether it succeeded. */
export function tryRun(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** nftables in the director's (root) namespace. */
export function nft(...args: string[]): string {
  return sh('nft', args);
}

/** Sequential GETs from the client namespace, each on a new TCP connection (so IPVS schedules each), in one curl
 * process: under TCG, starting `ip netns exec` + curl costs far more than a request (up to seconds). The bodies, in order
 * (the lab's real servers answer with one line each). */
export function fetchAll(urls: string[], from?: string): string[] {
  const source = from ? ['--interface', from] : [];
  const r = inNs(
    'client',
    'curl',
    ['-s', '-S', '-f', '-m', '10', '-H', 'Connection: close', ...source, ...urls],
    120_000,
  );
  if (r.status !== 0) throw new Error(`curl ${urls.join(' ')} failed (${r.status}): ${r.stderr}`);
  const bodies = r.stdout.split('\n').filter(Boolean);
  if (bodies.length !== urls.length)
    // curl's status is its last transfer's: an earlier one that failed leaves a body out, and says why on stderr
    throw new Error(
      `curl: ${urls.length} requests, ${bodies.length} bodies: ${JSON.stringify(r.stdout)}; stderr: ${r.stderr.trim()}`,
    );
  return bodies;
}

/** `count` sequential GETs of one URL from the client namespace, each a new TCP connection. */
export function fetchMany(url: string, count: number, from?: string): string[] {
  return fetchAll(Array<string>(count).fill(url), from);
}

/** Give the client namespace one more address on the lan (10.1.0.0/24) to send from, for a test of its own: the
 * kernel keeps connection entries for minutes after the table is cleared (TIME_WAIT, DR's FIN_WAIT, templates), and
 * a new connection whose client port happens to match an old entry's follows that entry instead of being scheduled.
 * Returns a function that removes the address again. */
export function clientAddress(address: string): () => void {
  tryRun('ip', ['-n', 'client', 'addr', 'del', `${address}/24`, 'dev', 'eth0']);
  sh('ip', ['-n', 'client', 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
  return () => void tryRun('ip', ['-n', 'client', 'addr', 'del', `${address}/24`, 'dev', 'eth0']);
}

/** The kernel's own connection table, /proc/net/ip_vs_conn, as text. */
export function procConnText(): string {
  return readFileSync('/proc/net/ip_vs_conn', 'utf8');
}
