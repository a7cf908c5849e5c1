// The table read through the kernel's IPVS generic-netlink family: dist/ipvs-dump (native/ipvs-dump.c), run once per
// tick (and for one service after an edit of it), gives services, real servers, counters, rates, timeouts and sync
// daemons in one pass, written as it reads the kernel and decoded here as it comes. Everything else (edits, the restore format, the connection table, totals, readiness) stays with the ipvsadm backend: an edit's
// argv is what operators read in the history.
//
// One child per read rather than a long-lived one: nothing to frame, time out or restart between ticks, a crash
// costs one tick, and the spawn (a few ms) is small against the dump it runs.
import type { KeepalivedOwnership } from '../../lib/ipvs/table-state';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  IpvsDumpDecoder,
  type ConnectionTable,
  type IpvsDump,
  type ParseProblem,
  type Service,
  type ServiceKey,
  type SyncDaemon,
  type Timeouts,
} from '../../lib/ipvs';
import type { Backend, CommandResult, Readiness } from './backend';
import { TABLE_READ_TIMEOUT_MS, type IpvsadmBackend } from './ipvsadm-backend';

/** Where the helper is looked for: beside the bundled agent (dist/lvs-agent.mjs), or dist/ of the checkout. */
export function defaultIpvsDumpPaths(): string[] {
  return [new URL('./ipvs-dump', import.meta.url), new URL('../../dist/ipvs-dump', import.meta.url)].map((u) =>
    fileURLToPath(u),
  );
}

/** Work between two turns of the event loop while a dump is decoded. */
const DECODE_SLICE_MS = 4;

/** Run decode steps on the agent's thread, giving the event loop a turn (setImmediate: edits, timers, sockets) whenever
 * DECODE_SLICE_MS of work has passed, so that no edit waits behind a large read. Not a worker thread: its decoded table
 * comes back through a structured clone, and the clone's deserialization alone, on this thread, costs more than the
 * whole decode (10,000 x 10 on the host: 300-650 ms vs 220-310 ms of CPU), in one piece. */
export async function inTurns<T>(steps: Generator<void, T>, sliceMs = DECODE_SLICE_MS): Promise<T> {
  let since = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - since >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
}

/** What of the helper's error output is kept for its error's message. */
const STDERR_KEPT = 4096;

export class NetlinkBackend implements Backend {
  readonly name = 'netlink';
  private lastProblems: ParseProblem[] = [];
  /** One dump serves every read of a tick that asks at once (services, timeouts, daemons); never a read asked after a
   * change began (reads run alongside changes: the dump under way may not hold the change). */
  private inFlight: Promise<IpvsDump> | undefined;
  /** The last whole-table dump that decoded: the next one keeps its services where their blocks did not change. */
  private last: IpvsDump | undefined;

  constructor(
    readonly helper: string,
    private readonly ipvsadm: IpvsadmBackend,
    private readonly timeoutMs = TABLE_READ_TIMEOUT_MS,
  ) {}

  /** One run of the helper over the whole table, decoded. Throws with the helper's own error text. */
  dump(): Promise<IpvsDump> {
    if (this.inFlight) return this.inFlight;
    const dump = this.runHelper([], this.last)
      .then((d) => (this.last = d))
      .finally(() => {
        if (this.inFlight === dump) this.inFlight = undefined;
      });
    this.inFlight = dump;
    return dump;
  }

  /** That service alone (IPVS_CMD_GET_SERVICE for it, then its real servers): the confirmation read after an edit. */
  async readService(key: ServiceKey): Promise<Service | null> {
    const args =
      key.protocol === 'fwmark'
        ? ['--fwmark', String(key.fwmark), key.ipv6 ? 'inet6' : 'inet']
        : ['--service', key.protocol, key.address, String(key.port)];
    const d = await this.runHelper(args);
    if (d.problems[0]) throw new Error(`${this.helper}: ${d.problems[0].reason}`);
    return d.services[0] ?? null;
  }

  /** The helper run with `args`, its stream decoded piece by piece while it still reads the kernel (the pipe paused
   * while a piece is decoded, so a slow decode holds the helper back rather than piling the stream up here); the dump
   * once it exited 0 and its stream checked whole. */
  private runHelper(args: string[], last?: IpvsDump): Promise<IpvsDump> {
    return new Promise<IpvsDump>((resolve, reject) => {
      const child = spawn(this.helper, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const decoder = new IpvsDumpDecoder(last);
      let stderr = '';
      let failure: string | undefined;
      let decoding = Promise.resolve();
      const fail = (why: string) => {
        failure ??= why;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => fail(`did not finish within ${this.timeoutMs} ms`), this.timeoutMs);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (piece: string) => {
        child.stdout.pause();
        decoding = decoding
          .then(() => (failure ? undefined : inTurns(decoder.write(piece))))
          .catch((e: Error) => fail(e.message))
          .finally(() => child.stdout.resume());
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => {
        if (stderr.length < STDERR_KEPT) stderr += text.slice(0, STDERR_KEPT - stderr.length);
      });
      child.on('error', (e) => fail(e.message));
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        void decoding.then(async () => {
          if (!failure && code !== 0)
            failure = stderr.trim() || `exited with ${signal ? `signal ${signal}` : `status ${code}`}`;
          if (failure) return reject(new Error(`${this.helper}: ${failure}`));
          try {
            resolve(await inTurns(decoder.end()));
          } catch (e) {
            reject(new Error(`${this.helper}: ${(e as Error).message}`));
          }
        });
      });
    });
  }

  check(): Promise<Readiness> {
    return this.ipvsadm.check();
  }

  async readServices(): Promise<Service[]> {
    const d = await this.dump();
    this.lastProblems = d.problems;
    return d.services;
  }

  problems(): readonly ParseProblem[] {
    return this.lastProblems;
  }

  async readTimeouts(): Promise<Timeouts> {
    return (await this.dump()).timeouts;
  }

  async readDaemons(): Promise<SyncDaemon[]> {
    return (await this.dump()).daemons;
  }

  readTotals() {
    return this.ipvsadm.readTotals();
  }

  readConnections(): Promise<ConnectionTable> {
    return this.ipvsadm.readConnections();
  }

  readSave(): Promise<string> {
    return this.ipvsadm.readSave();
  }

  run(args: string[], timeoutMs?: number): Promise<CommandResult> {
    this.inFlight = undefined;
    return this.ipvsadm.run(args, timeoutMs);
  }

  otherOwners(): Promise<string[]> {
    return this.ipvsadm.otherOwners();
  }
  keepalivedOwnership(): Promise<KeepalivedOwnership> {
    return this.ipvsadm.keepalivedOwnership();
  }
}

export interface BackendChoice {
  backend: Backend;
  /** Why this backend reads the table: shown in the agent's info and logged at start. */
  reason: string;
}

/** At start: the netlink reader when its helper is here and a probe read succeeds, else ipvsadm, with the reason. */
export async function chooseBackend(
  ipvsadm: IpvsadmBackend,
  candidates: readonly string[] = defaultIpvsDumpPaths(),
): Promise<BackendChoice> {
  const helper = candidates.find((p) => existsSync(p));
  if (!helper) {
    return {
      backend: ipvsadm,
      reason: `ipvsadm listings: no netlink reader (ipvs-dump) at ${candidates.join(' or ')}; it is built at install with a C compiler (node scripts/build-ipvs-dump.mjs)`,
    };
  }
  const netlink = new NetlinkBackend(helper, ipvsadm);
  try {
    const probe = await netlink.dump();
    return {
      backend: netlink,
      reason: `netlink: one generic-netlink dump per tick by ${helper} (probe read ${probe.services.length} services)`,
    };
  } catch (e) {
    return {
      backend: ipvsadm,
      reason: `ipvsadm listings: the netlink reader failed its probe read: ${(e as Error).message}`,
    };
  }
}
