// The agent core: polls the kernel through a Backend, keeps the table version, pushes a snapshot then deltas to
// subscribers, and applies edits one at a time with conflict detection and confirmation.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AgentAck, ApplyOutcome, EditOutcome, OpResult } from '../../lib/events';
import { ApiError } from '../../lib/errors';
import {
  blockingProblem,
  describeProblem,
  configSignature,
  diffState,
  editArgv,
  mergeListing,
  type Listing,
  keepingUnnamed,
  parseEditRequest,
  planApply,
  resolveEdit,
  type Edit,
  type Service,
  serviceId,
  serviceKey,
  type TableDelta,
  type TableState,
  type AgentChangeSource,
} from '../../lib/ipvs';
import type { Backend, CommandResult } from './backend';
import { confirmEdit } from './confirm';
import { ConnectionWatcher } from './connection-watcher';
import { DoctorRunner } from './doctor/runner';
import { createLogger, type Logger } from '../log';
import { KernelQueue } from './queue';
import { ReadOverlaps, withConfirmed } from './read-overlaps';
import { TickLoop, type TickInfo } from './tick-loop';
import { TABLE_SETTINGS, changedService } from './edit-reads';
import { ProblemLog, tableProblems } from './table-problems';
import { editRefusal } from './edit-conflicts';

/** Who asked for a kernel change: a person's edit, a whole-table apply, or the agent's own health checks. */
export type OperationSource = 'edit' | 'apply' | 'health-check' | 'drain';

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
  /** After an edit or a (non-dry) apply made through this agent changed the table: serve saves it for restore-on-boot. */
  onChanged?: (state: TableState) => void;
  /** Every kernel change run by an edit or an apply, with its argv and result (serve logs each). */
  onOperation?: (source: OperationSource, result: OpResult) => void;
  /** Where unreadable listing lines are reported (once per distinct line); the agent's logger on stderr by default. */
  logger?: Pick<Logger, 'warn'>;
  /** This run's table epoch (TableState.epoch); a fresh random id by default. */
  epoch?: string;
}

export type EditReply = AgentAck<EditOutcome>;

/** One dropped read is re-read at the next tick (adding a service must not make edits wait); a second in a row is
 * a stream of whole-table changes, and the read after it holds them off. */
const DROPS_BEFORE_EXCLUSIVE = 2;

const opResult = (r: CommandResult): OpResult => ({
  argv: r.argv,
  ok: r.ok,
  exitCode: r.exitCode,
  stderr: r.stderr,
  durationMs: Math.round(r.durationMs),
});

export class Agent {
  readonly name: string;
  /** Versions count from 1 in each run of the agent: (epoch, version) identifies a table. */
  readonly epoch: string;
  readonly connections: ConnectionWatcher;
  /** `lvs-agent doctor` on request. */
  readonly doctor: DoctorRunner;
  private readonly backend: Backend;
  private readonly tickMs: number;
  private readonly slowEvery: number;
  private readonly opTimeoutMs: number;
  private readonly now: () => number;
  private readonly onChanged: ((state: TableState) => void) | undefined;
  private readonly onOperation: AgentOptions['onOperation'];
  private readonly queue = new KernelQueue();
  /** Which changes each tick read overlapped: it must not publish over what their confirmations published. */
  private readonly overlaps = new ReadOverlaps();
  /** Tick reads dropped in a row (each overlapped a change of the whole table, whose own read published): after
   * DROPS_BEFORE_EXCLUSIVE of them the next one runs with no change alongside, so reads cannot starve. */
  private readsDropped = 0;
  private readonly listeners = new Set<Listener>();
  private current: TableState | null = null;
  private signature = '';
  private ticks = 0;
  /** The last --persistent-conn listing: template counts change slowly and cost a spawn, so they are read on slow ticks. */
  private persistSlice: Listing | undefined;
  private readonly ticker: TickLoop;
  /** A table read queued and not started yet: every refresh asked meanwhile shares it (reads never pile up). */
  private pendingRead: Promise<TableState> | undefined;
  private readonly problemLog: ProblemLog;
  lastError: string | null = null;
  /** How long the last tick's read of the table took (ms); null before the first one ended. */
  lastReadMs: number | null = null;

  constructor(opts: AgentOptions) {
    this.backend = opts.backend;
    this.tickMs = opts.tickMs ?? 1000;
    this.slowEvery = opts.slowEvery ?? 10;
    this.opTimeoutMs = opts.opTimeoutMs ?? 15_000;
    this.now = opts.now ?? Date.now;
    this.onChanged = opts.onChanged;
    this.onOperation = opts.onOperation;
    this.name = opts.name ?? hostname();
    this.epoch = opts.epoch ?? randomUUID();
    this.problemLog = new ProblemLog(opts.logger ?? createLogger('lvs-agent'));
    this.connections = new ConnectionWatcher(this.backend);
    this.doctor = new DoctorRunner(this.backend, this.now);
    this.ticker = new TickLoop(() => this.refresh(), this.tickMs, this.now);
  }

  /** The cadence: interval, how long the last tick took, and whether overrunning ticks stretched it. */
  get tick(): TickInfo {
    return this.ticker.info();
  }

  get state(): TableState | null {
    return this.current;
  }

  async start(): Promise<void> {
    try {
      await this.refresh();
    } finally {
      this.ticker.start(); // a failed first read is retried every tick, like any other
    }
  }

  stop(): void {
    this.ticker.stop();
    this.connections.stop();
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

  /** Read the kernel now (after the read under way, alongside any change) and push what changed. */
  refresh(): Promise<TableState> {
    this.pendingRead ??= this.queue.run(
      () => {
        this.pendingRead = undefined;
        return this.read({ watched: true });
      },
      this.opTimeoutMs,
      this.readsDropped >= DROPS_BEFORE_EXCLUSIVE ? 'exclusive' : 'read',
    );
    return this.pendingRead;
  }

  /**
   * `settings`: read the timeouts and sync daemons now (after an edit of them), whatever the tick. `changedBy`: the
   * agent's own change this read confirms (health checks, drains). `watched`: a tick's read, which may overlap changes.
   */
  private async read(
    opts: { settings?: boolean; changedBy?: AgentChangeSource; watched?: boolean } = {},
  ): Promise<TableState> {
    const slow = this.current === null || this.ticks++ % this.slowEvery === 0 || !!opts.settings;
    const started = performance.now();
    const watch = opts.watched ? this.overlaps.readStarted() : undefined;
    try {
      const [read, persist, timeouts, daemons, owners, totals] = await Promise.all([
        this.backend.readServices({ counters: true }),
        slow && this.backend.readPersistConns ? this.backend.readPersistConns() : Promise.resolve(this.persistSlice),
        slow ? this.backend.readTimeouts() : Promise.resolve(this.current?.timeouts),
        slow ? this.backend.readDaemons() : Promise.resolve(this.current?.daemons ?? []),
        slow ? this.backend.otherOwners() : Promise.resolve(this.current?.owners ?? []),
        // the totals only feed /metrics: without them (no ip_vs_stats file) the table is still live
        this.backend.readTotals?.().catch(() => undefined),
      ]);
      // keepalived restores its own services on its next reload or check: say which ones they are
      const keepalived = !owners.includes('keepalived')
        ? undefined
        : slow
          ? await this.backend.keepalivedOwnership?.()
          : this.current?.keepalived;
      this.persistSlice = persist;
      this.lastReadMs = performance.now() - started;
      this.lastError = null;
      if (watch) this.readsDropped = watch.whole && this.current !== null ? this.readsDropped + 1 : 0;
      if (watch?.whole && this.current) return this.current; // the change publishes a newer whole table
      // the slice may be several ticks old: take only its template counts, never its weights
      const merged = persist ? mergeListing(read, persist, ['persistConns']) : read;
      const services =
        watch?.touched.size && this.current ? withConfirmed(merged, this.current.services, watch.touched) : merged;
      const problems = tableProblems([...(this.backend.problems?.() ?? []), ...(persist?.problems ?? [])]);
      this.problemLog.log(problems);
      const ipvs = this.backend.ipvsInfo?.() ?? null;
      const table = {
        services,
        daemons,
        owners,
        ...(keepalived ? { keepalived } : {}),
        ...(timeouts ? { timeouts } : {}),
        ...(problems.length ? { problems } : {}),
        ...(this.backend.simulated ? { simulated: true as const } : {}),
        ...(totals ? { totals } : {}),
        ...(ipvs ? { ipvs } : {}),
      };
      return this.publish(table, opts.changedBy);
    } catch (e) {
      this.lastError = (e as Error).message;
      throw e;
    } finally {
      if (watch) this.overlaps.readEnded(watch);
    }
  }

  /** The table as read: a new version when its configuration changed, pushed to subscribers (a delta after the first). */
  private publish(
    table: Omit<TableState, 'epoch' | 'version' | 'updatedAt'>,
    changing?: AgentChangeSource,
  ): TableState {
    const prev = this.current;
    const signature = configSignature(table, prev?.services);
    const version = prev === null ? 1 : signature === this.signature ? prev.version : prev.version + 1;
    // it names the version the agent's own change made (health checks, drains): kept while that version holds
    const changedBy = version === prev?.version ? prev.changedBy : changing;
    const next: TableState = {
      epoch: this.epoch,
      version,
      updatedAt: this.now(),
      ...table,
      ...(changedBy ? { changedBy } : {}),
    };
    this.signature = signature;
    this.current = next;
    if (prev === null) this.emit({ type: 'snapshot', state: next });
    else {
      const delta = diffState(prev, next);
      // an unchanged table still moves updatedAt: subscribers learn the data is fresh, in a few bytes
      this.emit({ type: 'delta', delta: delta ?? { epoch: this.epoch, version, updatedAt: next.updatedAt } });
    }
    return next;
  }

  /**
   * The confirmation read after an edit: only the service it changed when the backend can read one (at 10,000
   * services a full read takes seconds), that service replaced in the current table or gone from it. A new service,
   * the table-wide settings and counters zeroed everywhere are read whole.
   */
  private async readAfter(edit: Edit, changedBy: AgentChangeSource | undefined): Promise<TableState> {
    const key = changedService(edit);
    if (!key || !this.current || !this.backend.readService)
      return this.read({ settings: TABLE_SETTINGS.has(edit.kind), changedBy });
    const id = serviceId(serviceKey(key));
    let one: Service | null;
    try {
      one = await this.backend.readService(serviceKey(key));
    } catch {
      return this.read({ changedBy }); // the one-service read failed: the whole table says what the edit did
    }
    // the table as it is now: a tick's read may have published while this service was read
    const prev = this.current;
    // template counts come on slow ticks (ipvsadm): keep the last ones rather than blank them until then
    if (one && this.persistSlice) one = mergeListing([one], this.persistSlice, ['persistConns'])[0] ?? one;
    const services = prev.services.flatMap((s) => (serviceId(serviceKey(s)) === id ? (one ? [one] : []) : [s]));
    const { epoch: _e, version: _v, updatedAt: _u, changedBy: _c, ...rest } = prev;
    return this.publish({ ...rest, services }, changedBy);
  }

  /** Apply one edit request ({edit, epoch, version}); never throws, always answers with a typed reply. */
  async edit(input: unknown, source: OperationSource = 'edit'): Promise<EditReply> {
    let req;
    try {
      req = parseEditRequest(input);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return { ok: false, error: e.toAck() };
    }
    try {
      return await this.queue.run(async () => {
        const state = this.current ?? (await this.read());
        const refused = editRefusal(req, state);
        if (refused) return refused;
        let edit: Edit;
        let argv: string[];
        try {
          edit = resolveEdit(req.edit, state.services);
          argv = editArgv(edit);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          // a real server that is not there: the person saw another table, so the answer carries the current one
          return { ok: false, error: e.code === 'not_found' ? { ...e.toAck(), state } : e.toAck() };
        }
        const changed = changedService(edit);
        this.overlaps.changeStarted(changed ? serviceId(serviceKey(changed)) : null);
        let r: CommandResult;
        let after: TableState;
        try {
          r = await this.backend.run(argv, this.opTimeoutMs);
          // timeouts and daemons are read on slow ticks only: read them now, or the reply would confirm nothing
          after = await this.readAfter(edit, source === 'health-check' || source === 'drain' ? source : undefined);
        } finally {
          this.overlaps.changeEnded();
        }
        const result = opResult(r);
        this.onOperation?.(source, result);
        if (!r.ok) {
          return {
            ok: false,
            error: { code: r.timedOut ? 'timeout' : 'kernel', message: r.stderr, result, state: after },
          };
        }
        this.onChanged?.(after);
        return { ok: true, data: { edit, result, confirmed: confirmEdit(edit, after), version: after.version } };
      }, this.opTimeoutMs * 3);
    } catch (e) {
      if (e instanceof ApiError) return { ok: false, error: e.toAck() };
      return { ok: false, error: { code: 'internal', message: (e as Error).message } };
    }
  }

  /** Make the kernel table equal `desired` with the minimal plan (never a flush). Stops at the first failure.
   * `keepOthers`: the live services `desired` names none of stay. */
  async apply(
    desired: Service[],
    opts: { dryRun?: boolean; keepOthers?: boolean; onStep?: (i: number, total: number, r: OpResult) => void } = {},
  ): Promise<ApplyOutcome> {
    return this.queue.run(async () => {
      const live = await this.backend.readServices({ counters: false });
      // a service whose line did not read is missing from `live`: a plan would add it again or leave it in place
      const blocked = blockingProblem(tableProblems(this.backend.problems?.() ?? []));
      if (blocked)
        throw new ApiError(
          'unavailable',
          `the table cannot be applied while the director is degraded: ${describeProblem(blocked)}`,
        );
      const edits = planApply(live, opts.keepOthers ? keepingUnnamed(live, desired) : desired);
      const plan = edits.map((e) => editArgv(e));
      const results: OpResult[] = [];
      let state = this.current;
      if (!opts.dryRun) {
        this.overlaps.changeStarted(null);
        try {
          for (const [i, argv] of plan.entries()) {
            const r = opResult(await this.backend.run(argv, this.opTimeoutMs));
            results.push(r);
            this.onOperation?.('apply', r);
            opts.onStep?.(i, plan.length, r);
            if (!r.ok) break;
          }
          state = await this.read();
        } finally {
          this.overlaps.changeEnded();
        }
      }
      if (!opts.dryRun && results.length > 0 && state) this.onChanged?.(state);
      return {
        plan,
        results,
        dryRun: !!opts.dryRun,
        version: state?.version ?? 0,
        ...(opts.dryRun ? {} : { after: await this.backend.readSave() }),
      };
    }, 6 * 3600_000); // each kernel operation has its own limit; a large apply may take long as a whole
  }
}

export function createAgent(opts: AgentOptions): Agent {
  return new Agent(opts);
}
