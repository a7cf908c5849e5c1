// The agent core: polls the kernel through a Backend, keeps the table version, pushes a snapshot then deltas to
// subscribers, and applies edits one at a time with conflict detection and confirmation.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AgentAck, ApplyOutcome, EditOutcome, OpResult } from '../../lib/events';
import {
  NotFoundError,
  ValidationError,
  blockingProblem,
  describeProblem,
  editedServiceId,
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
  type ParseProblem,
  type Service,
  type TableDelta,
  type TableProblem,
  type TableState,
  type AgentChangeSource,
} from '../../lib/ipvs';
import type { Backend, CommandResult } from './backend';
import { confirmEdit } from './confirm';
import { ConnectionWatcher } from './connection-watcher';
import { DoctorRunner } from './doctor/runner';
import { createLogger, type Logger } from '../log';
import { SerialQueue, TimeoutError } from './queue';

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

/** At most this many unreadable lines travel with the table (the count of the rest is in the last one's reason). */
const MAX_PROBLEMS = 50;

/** The problems of one read, without repeats (the same line may fail in several listings), bounded. */
function tableProblems(all: readonly ParseProblem[]): TableProblem[] {
  const seen = new Map<string, TableProblem>();
  for (const p of all) {
    const key = `${p.line}\n${p.reason}`;
    if (!seen.has(key)) seen.set(key, { ...p, line: p.line.slice(0, 1000), reason: p.reason.slice(0, 1000) });
  }
  const out = [...seen.values()];
  if (out.length <= MAX_PROBLEMS) return out;
  const kept = out.slice(0, MAX_PROBLEMS);
  const last = kept[MAX_PROBLEMS - 1] as TableProblem;
  kept[MAX_PROBLEMS - 1] = {
    ...last,
    reason: `${last.reason} (and ${out.length - MAX_PROBLEMS} more unreadable lines)`,
  };
  return kept;
}

export type EditReply = AgentAck<EditOutcome>;

/** A whole-table apply refused because some line of the kernel's listing did not read. */
export class DegradedError extends Error {
  override name = 'DegradedError';
}

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
  private readonly queue = new SerialQueue();
  private readonly listeners = new Set<Listener>();
  private current: TableState | null = null;
  private signature = '';
  private ticks = 0;
  /** The last --persistent-conn listing: template counts change slowly and cost a spawn, so they are read on slow ticks. */
  private persistSlice: Listing | undefined;
  /** The agent's own change being made now (health checks, drains): the version it makes is marked as theirs. */
  private changing: AgentChangeSource | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly logger: Pick<Logger, 'warn'>;
  /** Unreadable lines already logged: each is logged once, not every tick. */
  private readonly loggedProblems = new Set<string>();
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
    this.logger = opts.logger ?? createLogger('lvs-agent');
    this.connections = new ConnectionWatcher(this.backend);
    this.doctor = new DoctorRunner(this.backend, this.now);
  }

  get state(): TableState | null {
    return this.current;
  }

  async start(): Promise<void> {
    this.running = true;
    try {
      await this.refresh();
    } finally {
      this.schedule(); // a failed first read is retried every tick, like any other
    }
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

  /** `settings`: read the timeouts and sync daemons now (after an edit of them), whatever the tick. */
  private async read(settings = false): Promise<TableState> {
    const slow = this.current === null || this.ticks++ % this.slowEvery === 0 || settings;
    const started = performance.now();
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
      this.persistSlice = persist;
      // the slice may be several ticks old: take only its template counts, never its weights
      const services = persist ? mergeListing(read, persist, ['persistConns']) : read;
      const problems = tableProblems([...(this.backend.problems?.() ?? []), ...(persist?.problems ?? [])]);
      this.logProblems(problems);
      const ipvs = this.backend.ipvsInfo?.() ?? null;
      const signature = configSignature({ services, timeouts, daemons });
      const prev = this.current;
      const version = prev === null ? 1 : signature === this.signature ? prev.version : prev.version + 1;
      const changedBy = version === prev?.version ? prev.changedBy : this.changing;
      const next: TableState = {
        epoch: this.epoch,
        version,
        updatedAt: this.now(),
        services,
        daemons,
        owners,
        ...(timeouts ? { timeouts } : {}),
        ...(problems.length ? { problems } : {}),
        ...(this.backend.simulated ? { simulated: true as const } : {}),
        ...(totals ? { totals } : {}),
        ...(ipvs ? { ipvs } : {}),
        ...(changedBy ? { changedBy } : {}),
      };
      this.signature = signature;
      this.current = next;
      this.lastError = null;
      this.lastReadMs = performance.now() - started;
      if (prev === null) this.emit({ type: 'snapshot', state: next });
      else {
        const delta = diffState(prev, next);
        // an unchanged table still moves updatedAt: subscribers learn the data is fresh, in a few bytes
        this.emit({ type: 'delta', delta: delta ?? { epoch: this.epoch, version, updatedAt: next.updatedAt } });
      }
      return next;
    } catch (e) {
      this.lastError = (e as Error).message;
      throw e;
    }
  }

  private logProblems(problems: readonly TableProblem[]): void {
    for (const p of problems) {
      const key = `${p.line}\n${p.reason}`;
      if (this.loggedProblems.has(key)) continue;
      if (this.loggedProblems.size >= 1000) this.loggedProblems.clear(); // bounded: a churning listing logs again
      this.loggedProblems.add(key);
      this.logger.warn(
        { line: p.line, lineNumber: p.lineNumber, reason: p.reason, service: p.service },
        'director degraded: a listing line cannot be read; the rest of the table stays live',
      );
    }
  }

  /** Apply one edit request ({edit, epoch, version}); never throws, always answers with a typed reply. */
  async edit(input: unknown, source: OperationSource = 'edit'): Promise<EditReply> {
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
        // any edit, a weight too: the real server it names may not be the one the person saw, or not there at all
        if (req.epoch !== state.epoch) {
          return {
            ok: false,
            error: {
              code: 'conflict',
              message: `the table was replaced by a restarted agent (you saw the table of agent run ${req.epoch.slice(0, 8)}, this is run ${state.epoch.slice(0, 8)} at version ${state.version}): nothing was changed; review the new table and retry`,
              field: 'epoch',
              state,
            },
          };
        }
        if (req.version !== state.version && !isWeightOnly(req.edit, state.services)) {
          return {
            ok: false,
            error: {
              code: 'conflict',
              message: `the table changed (you saw version ${req.version}, it is now ${state.version}): review and retry`,
              state,
            },
          };
        }
        // zeroing all counters or timeouts cannot hurt a service we could not read; anything naming one might
        const service = editedServiceId(req.edit);
        const blocked = service === undefined ? undefined : blockingProblem(state.problems, service);
        if (blocked) {
          return {
            ok: false,
            error: {
              code: 'unavailable',
              message: `${service} cannot be changed while the director is degraded: ${describeProblem(blocked)}`,
              field: 'service',
              state,
            },
          };
        }
        let edit: Edit;
        let argv: string[];
        try {
          edit = resolveEdit(req.edit, state.services);
          argv = editArgv(edit);
        } catch (e) {
          if (e instanceof NotFoundError)
            return { ok: false, error: { code: 'not_found', message: e.message, field: e.field, state } };
          if (e instanceof ValidationError)
            return { ok: false, error: { code: 'invalid', message: e.message, field: e.field } };
          throw e;
        }
        const r = await this.backend.run(argv, this.opTimeoutMs);
        // timeouts and daemons are read on slow ticks only: read them now, or the reply would confirm nothing
        this.changing = source === 'health-check' || source === 'drain' ? source : undefined;
        let after: TableState;
        try {
          after = await this.read(TABLE_SETTINGS.has(edit.kind));
        } finally {
          this.changing = undefined;
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
      if (e instanceof TimeoutError) return { ok: false, error: { code: 'timeout', message: e.message } };
      return { ok: false, error: { code: 'internal', message: (e as Error).message } };
    }
  }

  /** Make the kernel table equal `desired` with the minimal plan (never a flush). Stops at the first failure. */
  async apply(
    desired: Service[],
    opts: { dryRun?: boolean; onStep?: (i: number, total: number, r: OpResult) => void } = {},
  ): Promise<ApplyOutcome> {
    return this.queue.run(async () => {
      const live = await this.backend.readServices({ counters: false });
      // a service whose line did not read is missing from `live`: a plan would add it again or leave it in place
      const blocked = blockingProblem(tableProblems(this.backend.problems?.() ?? []));
      if (blocked)
        throw new DegradedError(
          `the table cannot be applied while the director is degraded: ${describeProblem(blocked)}`,
        );
      const edits = planApply(live, desired);
      const plan = edits.map((e) => editArgv(e));
      const results: OpResult[] = [];
      if (!opts.dryRun) {
        for (const [i, argv] of plan.entries()) {
          const r = opResult(await this.backend.run(argv, this.opTimeoutMs));
          results.push(r);
          this.onOperation?.('apply', r);
          opts.onStep?.(i, plan.length, r);
          if (!r.ok) break;
        }
      }
      const state = opts.dryRun ? this.current : await this.read();
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

/** Edits of the table-wide settings that the agent reads on slow ticks only. */
const TABLE_SETTINGS = new Set<Edit['kind']>(['set-timeouts', 'start-daemon', 'stop-daemon']);

export function createAgent(opts: AgentOptions): Agent {
  return new Agent(opts);
}
