// What the control surface (control.ts) can do to a simulated director beyond the kernel's own behaviour: fail the
// next ipvsadm command with a given text, slow every command or every read of the connection table, report listing
// lines as unreadable, stop the simulated time, go back to the first table. Off until asked; the director behaves as a kernel otherwise.
import { readFileSync } from 'node:fs';
import {
  ConnectionTable,
  parseProcConns,
  serviceId,
  serviceKey,
  type ParseProblem,
  type ConnectionEntry,
  type Service,
} from '../../../lib/ipvs';
import type { CommandResult } from '../backend';
import { KERNEL_TIMEOUTS, MemoryBackend, NO_KEEPALIVED_CONF } from '../memory-backend';
import { SimulatedDirector, type SimulatorOptions } from './director';

export interface ControlledOptions extends SimulatorOptions {
  /** Captured /proc/net/ip_vs_conn tables shown along with the simulated entries, their timers cycling. */
  recorded?: string[];
}

export class ControlledDirector extends SimulatedDirector {
  /** The next ipvsadm command fails with this text as the kernel's error (once). */
  failNext: string | null = null;
  /** Every read of the connection table takes this long (a large table on a busy director). */
  connsDelayMs = 0;
  /** Listing lines reported unreadable: their services leave the table read, as a line the parser skips. */
  unreadable: ParseProblem[] = [];
  private readonly seed: string;
  private readonly recorded: ConnectionEntry[];
  private readonly started: number;

  private readonly clock: { frozenAt: number | null; now: () => number };

  constructor(opts: ControlledOptions = {}) {
    const clock = { frozenAt: null as number | null, now: opts.now ?? Date.now };
    super({ ...opts, now: () => clock.frozenAt ?? clock.now() });
    this.clock = clock;
    this.seed = opts.seed ?? '';
    this.recorded = (opts.recorded ?? []).flatMap((file) => parseProcConns(readFileSync(file, 'utf8')).toArray());
    this.started = clock.now();
  }

  /** Stop the simulated time: no connection opens, ages or closes and the counters hold, until thawed. */
  freeze(): void {
    this.clock.frozenAt ??= this.clock.now();
  }

  /** Time runs again from where it stopped (the frozen span is skipped, not caught up). */
  thaw(): void {
    if (this.clock.frozenAt === null) return;
    const skipped = this.clock.now() - this.clock.frozenAt;
    const base = this.clock.now;
    this.clock.now = () => base() - skipped;
    this.clock.frozenAt = null;
  }

  problems(): readonly ParseProblem[] {
    return this.unreadable;
  }

  override async readServices(): Promise<Service[]> {
    const read = await super.readServices();
    if (this.unreadable.length === 0) return read;
    const skipped = new Set(this.unreadable.map((p) => p.service));
    return read.filter((s) => !skipped.has(serviceId(serviceKey(s))));
  }

  override async run(args: string[]): Promise<CommandResult> {
    if (this.failNext === null) return super.run(args);
    const stderr = this.failNext;
    this.failNext = null;
    this.log.push(args);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    return { argv: ['ipvsadm', ...args], ok: false, exitCode: 2, stdout: '', stderr, durationMs: 1, timedOut: false };
  }

  override async readConnections(): Promise<ConnectionTable> {
    if (this.connsDelayMs) await new Promise((r) => setTimeout(r, this.connsDelayMs));
    const table = await super.readConnections();
    if (this.recorded.length === 0) return table;
    // A recorded entry counts down from its captured expiry and starts over when it runs out.
    const elapsed = Math.floor(((this.clock.frozenAt ?? this.clock.now()) - this.started) / 1000);
    const id = (s: string) => table.text.id(s);
    for (const c of this.recorded) {
      const period = c.expires > 200 ? 301 : 121;
      table.push({
        protocol: id(c.protocol),
        state: id(c.state),
        expires: (((c.expires - elapsed) % period) + period) % period,
        client: id(c.clientAddress),
        clientPort: c.clientPort,
        virtual: id(c.virtualAddress),
        virtualPort: c.virtualPort,
        dest: id(c.destAddress),
        destPort: c.destPort,
      });
    }
    return table;
  }

  /** Back to the first table, the kernel's default timeouts, no sync daemon and no keepalived; every fault off and the
   * command log empty. */
  reset(): void {
    this.services = new MemoryBackend(this.seed).services;
    this.timeouts = { ...KERNEL_TIMEOUTS };
    this.daemons = [];
    this.owners = [];
    this.keepalived = { ...NO_KEEPALIVED_CONF };
    this.failNext = null;
    this.delayMs = 0;
    this.connsDelayMs = 0;
    this.unreadable = [];
    this.log.length = 0;
    this.thaw();
    this.sync();
  }
}
