// The real backend: ipvsadm (always execFile with an argv array) and /proc/net/ip_vs*.
import type { KeepalivedOwnership } from '../../lib/ipvs/table-state';
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import {
  listingToTable,
  mergeListing,
  parseDaemons,
  parseListing,
  parseProcStats,
  parseTimeouts,
  parseVersionLine,
  type ConnectionTable,
  type IpvsInfo,
  type Listing,
  type ParseProblem,
  type Service,
  type ServiceKey,
  serviceArgs,
} from '../../lib/ipvs';
import type { Backend, CommandResult, Readiness } from './backend';
import { gatherFacts } from './doctor/gather';
import { keepalivedOwnership } from './keepalived-ownership';
import { ConnectionReader } from './conn-reader';

export interface IpvsadmBackendOptions {
  ipvsadm?: string;
  procDir?: string;
  defaultTimeoutMs?: number;
  /** A whole-table listing's limit: a hang guard only (a read that overruns the tick stretches the cadence), far above
   * the time 10,000 services take to list (tens of seconds under the lab's emulated CPU). */
  listTimeoutMs?: number;
}

/** How long a read of the whole table may take before it is given up: a guard against a hung process, not a
 * cadence (a 10 s limit failed every read of a 10,000 x 10 table in the lab, and the netlink probe with it). */
export const TABLE_READ_TIMEOUT_MS = 120_000;

/** ipvsadm's text for a service the kernel does not hold (captured: __fixtures__/lab/error-noservice.txt.err). */
const NO_SUCH_SERVICE = /^No such service$/m;

export class IpvsadmBackend implements Backend {
  readonly name = 'ipvsadm';
  private readonly bin: string;
  private readonly proc: string;
  private readonly timeoutMs: number;
  private readonly listTimeoutMs: number;
  private connReader: ConnectionReader | undefined;
  private lastProblems: ParseProblem[] = [];
  private lastInfo: IpvsInfo | null = null;

  constructor(opts: IpvsadmBackendOptions = {}) {
    this.bin = opts.ipvsadm ?? 'ipvsadm';
    this.proc = opts.procDir ?? '/proc/net';
    this.timeoutMs = opts.defaultTimeoutMs ?? 10_000;
    this.listTimeoutMs = opts.listTimeoutMs ?? TABLE_READ_TIMEOUT_MS;
  }

  run(args: string[], timeoutMs = this.timeoutMs): Promise<CommandResult> {
    const started = performance.now();
    return new Promise((resolve) => {
      execFile(
        this.bin,
        args,
        { timeout: timeoutMs, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
        (err, stdout, stderr) => {
          const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
          const exitCode = e ? (typeof e.code === 'number' ? e.code : null) : 0;
          const timedOut = Boolean(e?.killed);
          let text = stderr.trim();
          if (e && !text) text = timedOut ? `ipvsadm did not finish within ${timeoutMs} ms` : e.message;
          resolve({
            argv: [this.bin, ...args],
            ok: !e,
            exitCode,
            stdout,
            stderr: text,
            durationMs: performance.now() - started,
            timedOut,
          });
        },
      );
    });
  }

  private async list(args: string[]): Promise<string> {
    const r = await this.run(args, this.listTimeoutMs);
    if (!r.ok) throw new Error(`${r.argv.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  async check(): Promise<Readiness> {
    if (typeof process.getuid === 'function' && process.getuid() !== 0)
      return { ok: false, reason: 'not root: changing IPVS needs CAP_NET_ADMIN (run the agent as root)' };
    const l = await this.run(['-Ln'], 5000);
    if (l.ok) return { ok: true };
    // exit status null without a timeout: the program could not be started at all
    if (l.exitCode === null && !l.timedOut)
      return { ok: false, reason: `no ipvsadm binary (${this.bin}): apt-get install ipvsadm` };
    return {
      ok: false,
      reason: `IPVS is not available in this kernel (${l.stderr.split('\n').pop()}): modprobe ip_vs`,
    };
  }

  async readServices({ counters }: { counters: boolean }): Promise<Service[]> {
    // One spawn per listing, in parallel: configuration (with tunnel info) and thresholds always, counters on demand.
    const reads = [this.list(['-Ln', '--tun-info']), this.list(['-Ln', '--thresholds'])];
    if (counters) reads.push(this.list(['-Ln', '--stats', '--exact']), this.list(['-Ln', '--rate', '--exact']));
    const [config, ...slices] = await Promise.all(reads);
    // a line that does not read is skipped and reported, not a failed read: the rest of the table stays live
    const table = listingToTable(parseListing(config as string, { lenient: true }));
    this.lastInfo = parseVersionLine((config as string).split('\n', 1)[0] ?? '');
    let services = table.services;
    const problems = table.problems;
    for (const text of slices) {
      const slice = parseListing(text, { lenient: true });
      problems.push(...slice.problems);
      services = mergeListing(services, slice);
    }
    this.lastProblems = problems;
    return services;
  }

  /** `ipvsadm -Ln -t VIP:PORT` (or -u, --sctp-service, -f) in the same four listings as a tick: libipvs asks the
   * kernel for that service and its real servers only. */
  async readService(key: ServiceKey): Promise<Service | null> {
    const only = serviceArgs(key);
    const listings = [['--tun-info'], ['--thresholds'], ['--stats', '--exact'], ['--rate', '--exact']];
    const results = await Promise.all(listings.map((extra) => this.run(['-Ln', ...only, ...extra])));
    if (results.some((r) => !r.ok && NO_SUCH_SERVICE.test(r.stderr))) return null;
    const failed = results.find((r) => !r.ok);
    if (failed) throw new Error(`${failed.argv.join(' ')}: ${failed.stderr}`);
    const [config, ...slices] = results.map((r) => parseListing(r.stdout, { lenient: true }));
    let services = listingToTable(config as Listing).services;
    for (const slice of slices) services = mergeListing(services, slice);
    // the kernel says "No such service" for one it does not hold: a listing without it was not read
    if (!services[0]) throw new Error(`ipvsadm -Ln ${only.join(' ')}: the listing held no service`);
    return services[0];
  }

  async readTotals() {
    return parseProcStats(await readFile(`${this.proc}/ip_vs_stats`, 'utf8'));
  }

  /** From the version line of the last configuration listing. */
  ipvsInfo(): IpvsInfo | null {
    return this.lastInfo;
  }

  doctorFacts() {
    return gatherFacts();
  }

  problems(): readonly ParseProblem[] {
    return this.lastProblems;
  }

  async readPersistConns(): Promise<Listing> {
    return parseListing(await this.list(['-Ln', '--persistent-conn']), { lenient: true });
  }

  async readTimeouts() {
    return parseTimeouts(await this.list(['-L', '--timeout']));
  }

  async readDaemons() {
    return parseDaemons(await this.list(['-L', '--daemon']));
  }

  async readConnections(): Promise<ConnectionTable> {
    // procfs directly, in large blocking reads on a worker: ipvsadm -Lnc reads the same file in 4x as many read()
    // calls (each one re-walks the kernel's hash table) and formats every line
    this.connReader ??= new ConnectionReader(`${this.proc}/ip_vs_conn`);
    return this.connReader.read();
  }

  async readSave(): Promise<string> {
    return this.list(['-S', '-n']);
  }

  keepalivedOwnership(): Promise<KeepalivedOwnership> {
    return keepalivedOwnership();
  }

  async otherOwners(): Promise<string[]> {
    const owners = new Set<string>();
    let pids: string[] = [];
    try {
      pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p));
    } catch {
      return [];
    }
    await Promise.all(
      pids.map(async (pid) => {
        try {
          const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
          if (comm === 'keepalived' || comm === 'ldirectord' || comm === 'lvsd') owners.add(comm);
        } catch {
          /* the process ended while we looked */
        }
      }),
    );
    return [...owners];
  }
}
