// The agent core: polls the kernel through a Backend, keeps the table version, pushes a snapshot then deltas to
// subscribers, and applies edits one at a time with conflict detection and confirmation.
import { hostname } from 'node:os';
import type { AgentAck, ApplyOutcome, EditOutcome, OpResult } from '../../lib/events';
import {
  NotFoundError,
  ValidationError,
  configSignature,
  diffState,
  editArgv,
  mergeListing,
  type Listing,
  isWeightOnly,
  parseEditRequest,
  planApply,
  resolveEdit,
  type Edit,
  type Service,
  type TableDelta,
  type TableState,
} from '../../lib/ipvs';
import type { Backend, CommandResult } from './backend';
import { confirmEdit } from './confirm';
import { ConnectionWatcher } from './connection-watcher';
import { SerialQueue, TimeoutError } from './queue';

export type AgentMessage = { type: 'snapshot'; state: TableState } | { type: 'delta'; delta: TableDelta };
export type Listener = (m: AgentMessage) => void;

export interface AgentOptions {
  backend: Backend;
  /** Poll period for services, counters and rates (ms). */
  tickMs?: number;
  /** Timeouts, sync daemons and other table owners are read every this many ticks. */
  slowEvery?: number;
  /** Limit for one kernel operation (ms). */
  opTimeoutMs?: number;
  name?: string;
  now?: () => number;
}

export type EditReply = AgentAck<EditOutcome>;

const opResult = (r: CommandResult): OpResult => ({ argv: r.argv, ok: r.ok, exitCode: r.exitCode, stderr: r.stderr, durationMs: Math.round(r.durationMs) });

export class Agent {
  readonly name: string;
  readonly connections: ConnectionWatcher;
  private readonly backend: Backend;
  private readonly tickMs: number;
  private readonly slowEvery: number;
  private readonly opTimeoutMs: number;
  private readonly now: () => number;
  private readonly queue = new SerialQueue();
  private readonly listeners = new Set<Listener>();
  private current: TableState | null = null;
  private signature = '';
  private ticks = 0;
  /** The last --persistent-conn listing: template counts change slowly and cost a spawn, so they are read on slow ticks. */
  private persistSlice: Listing | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  lastError: string | null = null;

  constructor(opts: AgentOptions) {
    this.backend = opts.backend;
    this.tickMs = opts.tickMs ?? 1000;
    this.slowEvery = opts.slowEvery ?? 10;
    this.opTimeoutMs = opts.opTimeoutMs ?? 15_000;
    this.now = opts.now ?? Date.now;
    this.name = opts.name ?? hostname();
    this.connections = new ConnectionWatcher(this.backend);
  }

  get state(): TableState | null {
    return this.current;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.refresh();
    this.schedule();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.connections.stop();
  }

  /** Fixed-rate ticks: the next read starts one tick after the last one started, not after it ended. */
  private schedule(delay = this.tickMs): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      const started = this.now();
      this.refresh()
        .catch(() => undefined)
        .finally(() => this.schedule(Math.max(0, this.tickMs - (this.now() - started))));
    }, delay);
  }

  /** Subscribe to the table: a full snapshot now (if read yet), then deltas. Returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.current) listener({ type: 'snapshot', state: this.current });
    return () => this.listeners.delete(listener);
  }

  private emit(m: AgentMessage): void {
    for (const l of this.listeners) {
      try {
        l(m);
      } catch {
        /* a broken subscriber must not stop the others */
      }
    }
  }

  /** Read the kernel now (queued behind any running edit) and push what changed. */
  refresh(): Promise<TableState> {
    return this.queue.run(() => this.read(), this.opTimeoutMs);
  }

  private async read(): Promise<TableState> {
    const slow = this.current === null || this.ticks++ % this.slowEvery === 0;
    try {
      const [read, persist, timeouts, daemons, owners] = await Promise.all([
        this.backend.readServices({ counters: true }),
        slow ? this.backend.readPersistConns() : Promise.resolve(this.persistSlice),
        slow ? this.backend.readTimeouts() : Promise.resolve(this.current?.timeouts),
        slow ? this.backend.readDaemons() : Promise.resolve(this.current?.daemons ?? []),
        slow ? this.backend.otherOwners() : Promise.resolve(this.current?.owners ?? []),
      ]);
      this.persistSlice = persist;
      // the slice may be several ticks old: take only its template counts, never its weights
      const services = persist ? mergeListing(read, persist, ['persistConns']) : read;
      const signature = configSignature({ services, timeouts, daemons });
      const prev = this.current;
      const version = prev === null ? 1 : signature === this.signature ? prev.version : prev.version + 1;
      const next: TableState = {
        version,
        updatedAt: this.now(),
        services,
        daemons,
        owners,
        ...(timeouts ? { timeouts } : {}),
        ...(this.backend.simulated ? { simulated: true as const } : {}),
      };
      this.signature = signature;
      this.current = next;
      this.lastError = null;
      if (prev === null) this.emit({ type: 'snapshot', state: next });
      else {
        const delta = diffState(prev, next);
        // an unchanged table still moves updatedAt: subscribers learn the data is fresh, in a few bytes
        this.emit({ type: 'delta', delta: delta ?? { version, updatedAt: next.updatedAt } });
      }
      return next;
    } catch (e) {
      this.lastError = (e as Error).message;
      throw e;
    }
  }

  /** Apply one edit request ({edit, version}); never throws, always answers with a typed reply. */
  async edit(input: unknown): Promise<EditReply> {
    let req;
    try {
      req = parseEditRequest(input);
    } catch (e) {
      const v = e as ValidationError;
      return { ok: false, error: { code: 'invalid', message: v.message, field: v.field } };
    }
    try {
      return await this.queue.run(async () => {
        const state = this.current ?? (await this.read());
        if (req.version !== state.version && !isWeightOnly(req.edit, state.services)) {
          return { ok: false, error: { code: 'conflict', message: `the table changed (you saw version ${req.version}, it is now ${state.version}): review and retry`, state } };
        }
        let edit: Edit;
        let argv: string[];
        try {
          edit = resolveEdit(req.edit, state.services);
          argv = editArgv(edit);
        } catch (e) {
          if (e instanceof NotFoundError) return { ok: false, error: { code: 'not_found', message: e.message, field: e.field, state } };
          if (e instanceof ValidationError) return { ok: false, error: { code: 'invalid', message: e.message, field: e.field } };
          throw e;
        }
        const r = await this.backend.run(argv, this.opTimeoutMs);
        const after = await this.read();
        const result = opResult(r);
        if (!r.ok) {
          return { ok: false, error: { code: r.timedOut ? 'timeout' : 'kernel', message: r.stderr, result, state: after } };
        }
        return { ok: true, data: { edit, result, confirmed: confirmEdit(edit, after), version: after.version } };
      }, this.opTimeoutMs * 3);
    } catch (e) {
      if (e instanceof TimeoutError) return { ok: false, error: { code: 'timeout', message: e.message } };
      return { ok: false, error: { code: 'internal', message: (e as Error).message } };
    }
  }

  /** Make the kernel table equal `desired` with the minimal plan (never a flush). Stops at the first failure. */
  async apply(desired: Service[], opts: { dryRun?: boolean; onStep?: (i: number, total: number, r: OpResult) => void } = {}): Promise<ApplyOutcome> {
    return this.queue.run(async () => {
      const live = await this.backend.readServices({ counters: false });
      const edits = planApply(live, desired);
      const plan = edits.map((e) => editArgv(e));
      const results: OpResult[] = [];
      if (!opts.dryRun) {
        for (const [i, argv] of plan.entries()) {
          const r = opResult(await this.backend.run(argv, this.opTimeoutMs));
          results.push(r);
          opts.onStep?.(i, plan.length, r);
          if (!r.ok) break;
        }
      }
      const state = opts.dryRun ? this.current : await this.read();
      return { plan, results, dryRun: !!opts.dryRun, version: state?.version ?? 0, ...(opts.dryRun ? {} : { after: await this.backend.readSave() }) };
    }, 6 * 3600_000); // each kernel operation has its own limit; a large apply may take long as a whole
  }
}

export function createAgent(opts: AgentOptions): Agent {
  return new Agent(opts);
}
