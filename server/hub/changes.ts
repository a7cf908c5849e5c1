// Every change to a director's table goes through here: audited edits (intent before the kernel call, result after),
// whole-table applies (automatic snapshot first, minimal plan, progress), and changes made outside the dashboard,
// noticed when a director's table version moves without an edit of ours (or of the agent's own health checks and drains).
import type { ApplyResult, AuditSource } from '../../lib/api/contracts';
import { fail, type Ack, type EditOutcome } from '../../lib/events';
import {
  countDestinations,
  editArgv,
  blockingProblem,
  describeProblem,
  keepingUnnamed,
  planApply,
  renderSave,
  type EditRequest,
  type Service,
  type TableState,
} from '../../lib/ipvs';
import type { AgentLink } from './agent-link';
import type { ApplyProgress } from './agent-link-types';
import { configChange, describeEdit } from './describe-edit';
import { settlePending } from './settle-pending';
import type { AuditLog } from './store/audit';
import type { SnapshotStore } from './store/snapshots';

export interface Actor {
  user: string;
  source: AuditSource;
}

interface DirectorWatch {
  /** The table as of the last change we accounted for. */
  baseline: TableState | null;
  inFlight: number;
  /** Table versions our own edits produced, not yet seen in the stream. */
  own: Set<number>;
}

/** What changes need of the hub: its directors' links, and a call on each table it receives. */
export interface DirectorLinks {
  link(director: string): AgentLink | undefined;
  find(director: string): Ack<AgentLink>;
  live(director: string): Ack<{ link: AgentLink; state: TableState }>;
  on(event: 'snapshot' | 'delta', listener: (director: string) => void): unknown;
}

export class Changes {
  private readonly watches = new Map<string, DirectorWatch>();
  /** Rows up to this id were written by an earlier run: pending ones among them are settled, never ours. */
  private readonly startedAfter: number;

  constructor(
    private readonly hub: DirectorLinks,
    private readonly audit: AuditLog,
    private readonly snapshots: SnapshotStore,
  ) {
    this.startedAfter = audit.lastId();
    hub.on('snapshot', (d) => this.observe(d));
    hub.on('delta', (d) => this.observe(d));
  }

  private watch(director: string): DirectorWatch {
    let w = this.watches.get(director);
    if (!w) this.watches.set(director, (w = { baseline: null, inFlight: 0, own: new Set() }));
    return w;
  }

  private observe(director: string): void {
    const state = this.hub.link(director)?.state;
    const w = this.watch(director);
    if (!state) return;
    if (!w.baseline) {
      w.baseline = state;
      this.settleEarlierRows(director, state);
      return;
    }
    // (epoch, version) names a table: a restarted agent counts from 1 again, and our versions were of the old run.
    const sameRun = state.epoch === w.baseline.epoch;
    // While our edit runs, a version move may be ours: judge it when the edit is done.
    if ((sameRun && state.version === w.baseline.version) || w.inFlight > 0) return;
    if (!sameRun) w.own.clear();
    // the agent's own health checks and drains made it: their rows come from its journal, not as an outside change
    if (!w.own.delete(state.version) && !state.changedBy) {
      const change = configChange(w.baseline, state);
      if (change)
        this.audit.record({
          user: 'external',
          source: 'external',
          director,
          operation: 'external-change',
          ...change,
          argv: [],
        });
    }
    for (const v of w.own) if (v <= state.version) w.own.delete(v);
    w.baseline = state;
  }

  /** Rows an earlier run left pending (stopped mid-apply): judged against the first table read since. */
  private settleEarlierRows(director: string, state: TableState): void {
    for (const row of this.audit.pending(director, this.startedAfter))
      this.audit.settle(row.id, settlePending(row, state));
  }

  private async tracked<T>(director: string, run: () => Promise<Ack<T>>, versionOf: (t: T) => number): Promise<Ack<T>> {
    const w = this.watch(director);
    w.inFlight++;
    try {
      const r = await run();
      if (r.ok) w.own.add(versionOf(r.data));
      return r;
    } finally {
      w.inFlight--;
      if (w.inFlight === 0) this.observe(director);
    }
  }

  async edit(actor: Actor, director: string, request: EditRequest): Promise<Ack<EditOutcome>> {
    const found = this.hub.find(director);
    if (!found.ok) return found;
    const link = found.data;
    const d = describeEdit(request.edit, link.state);
    const id = this.audit.begin({ ...actor, director, ...d });
    const r = await this.tracked(
      director,
      () => link.edit(request),
      (o) => o.version,
    );
    if (r.ok) {
      const made = r.data.edit;
      // an undrain's weight is the one the agent kept: known only from the edit it made
      const after = request.edit.kind === 'undrain' && made.kind === 'edit-destination' ? made.destination : undefined;
      this.audit.finish(id, { ok: true, argv: [r.data.result.argv], ...(after ? { after } : {}) });
    } else {
      const { code, message, result } = r.error;
      this.audit.finish(id, { ok: false, error: `${code}: ${message}`, argv: result ? [result.argv] : undefined });
    }
    return r;
  }

  /** The plan (ipvsadm argv, program first) that would make the live table equal `desired`. */
  plan(live: readonly Service[], desired: readonly Service[]): string[][] {
    return planApply(live, desired).map((e) => ['ipvsadm', ...editArgv(e)]);
  }

  /** Makes the director's table equal `desired` (its canonical rules text, as renderSave gives, and those rules
   * parsed) with the minimal plan, after saving the live table as an automatic snapshot (the rollback point). One
   * audit row for the whole apply, with every operation's argv and result. `keepOthers`: the live services `desired`
   * names none of stay; the agent decides which against its table when it applies. */
  async apply(
    actor: Actor,
    director: string,
    desired: { rules: string; services: Service[] },
    opts: { reason: string; keepOthers?: boolean; onProgress?: (p: ApplyProgress) => void },
  ): Promise<Ack<ApplyResult>> {
    const found = this.hub.live(director);
    if (!found.ok) return found;
    const { link, state: live } = found.data;
    const blocked = blockingProblem(live.problems);
    if (blocked) {
      return fail('unavailable', `nothing was applied: the director is degraded, ${describeProblem(blocked)}`);
    }
    let liveRules: string;
    try {
      liveRules = renderSave(live.services);
    } catch (e) {
      return fail(
        'internal',
        `cannot save the live table before changing it, so nothing was applied: ${(e as Error).message}`,
      );
    }
    const target = opts.keepOthers ? keepingUnnamed(live.services, desired.services) : desired.services;
    const plan = this.plan(live.services, target);
    const snapshot =
      plan.length === 0
        ? null
        : this.snapshots.save({
            name: `before ${opts.reason}`,
            director,
            kind: 'auto',
            createdBy: actor.user,
            rules: liveRules,
            services: live.services.length,
            destinations: countDestinations(live.services),
          });
    const id = this.audit.begin({
      ...actor,
      director,
      operation: 'apply',
      target: opts.reason,
      before: liveRules,
      after: opts.keepOthers ? renderSave(target) : desired.rules,
      argv: plan,
    });
    const r = await this.tracked(
      director,
      () =>
        link.apply(
          { rules: desired.rules, dryRun: false, ...(opts.keepOthers ? { others: 'keep' as const } : {}) },
          opts.onProgress,
        ),
      (o) => o.version,
    );
    if (!r.ok) {
      this.audit.finish(id, { ok: false, error: `${r.error.code}: ${r.error.message}` });
      return r;
    }
    const failed = r.data.results.find((x) => !x.ok);
    this.audit.finish(id, {
      ok: !failed,
      error: failed ? `${failed.argv.join(' ')}: ${failed.stderr.trim()}` : undefined,
      argv: r.data.results.map((x) => x.argv),
      after: r.data.after,
    });
    return { ok: true, data: { ...r.data, snapshot, auditId: id } };
  }
}
