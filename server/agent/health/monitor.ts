// The agent's health checks: runs every configured check (CheckScheduler), folds results into each real server's
// state machine, and once a second (and at once after a transition) plans the service's edits and runs them through
// the agent's own edit queue, one at a time, each confirmed against the re-read table like any edit. It keeps the
// configured weights in the state directory, pushes per-real-server health to subscribers, and records transitions,
// edits and quorum changes in a journal (actor "health-check") and the log.
import {
  initialHealth,
  isStuck,
  nextCheckInMs,
  observe,
  parseHealthConfig,
  planService,
  slowStartAt,
  type CheckConfig,
  type CheckResult,
  type DestHealth,
  type HealthConfig,
  type HealthJournalEntry,
  type HealthRow,
  type HealthUpdate,
  type HealthView,
  type KeptWeight,
} from '../../../lib/health';
import { destinationId, serviceId, serviceKey } from '../../../lib/ipvs';
import type { Logger } from '../../log';
import type { Agent } from '../agent';
import { runCheck } from './checkers';
import { QuorumWatch } from './quorum';
import { sameFlat, sameKept, signatureOf } from './same';
import { CheckScheduler } from './scheduler';
import { JOURNAL_KEEP, type HealthStore, type KeptWeights } from './store';

export interface HealthMonitorOptions {
  agent: Agent;
  store: HealthStore;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Checks in flight at once (default 256: 1,000 checks a second at up to 250 ms each). */
  concurrency?: number;
  /** How often the plan runs and updates are pushed (ms, default 1000). */
  reconcileMs?: number;
  now?: () => number;
}

interface Target {
  /** `service|destination`: its scheduler job's and its row's key. */
  key: string;
  service: string;
  destination: string;
  address: string;
  port: number;
  check: CheckConfig;
  /** The check's configuration as JSON: a changed one starts over. */
  signature: string;
  health: DestHealth;
  /** When it was added or last finished a check (for "stuck"). */
  lastRunAt: number;
}

export type HealthListener = (u: HealthUpdate) => void;

export class HealthMonitor {
  private config: HealthConfig = { services: [] };
  private configError: string | null = null;
  private kept: KeptWeights = new Map();
  private readonly targets = new Map<string, Target>();
  private readonly scheduler: CheckScheduler;
  private readonly listeners = new Set<HealthListener>();
  /** The rows last pushed, by row key: a row is pushed again only when one of its fields changed. */
  private readonly pushed = new Map<string, HealthRow>();
  private readonly quorum: QuorumWatch;
  private pushedQuorum = '{}';
  private journal: HealthJournalEntry[] = [];
  private seq = 0;
  /** Entries were journalled since the last push: the next one goes out even with no row changed (the hub copies the
   * journal into the audit when a push arrives). */
  private journalled = false;
  private timer: NodeJS.Timeout | undefined;
  /** Checks finished since the start (for benchmarks and metrics). */
  checksRun = 0;
  private reconciling: Promise<void> | null = null;
  private again = false;
  private readonly now: () => number;
  private readonly log: HealthMonitorOptions['logger'];

  constructor(private readonly opts: HealthMonitorOptions) {
    this.scheduler = new CheckScheduler(opts.concurrency ?? 256);
    this.now = opts.now ?? Date.now;
    this.log = opts.logger;
    this.quorum = new QuorumWatch((e) => this.record(e), opts.logger);
  }

  start(): void {
    const { config, error } = this.opts.store.loadConfig();
    this.config = config;
    this.configError = error;
    if (error) this.log.error({ err: error }, `health checks off: ${error}`);
    const weights = this.opts.store.loadWeights();
    this.kept = weights.weights;
    if (weights.error) this.log.warn({ err: weights.error }, `kept weights not read: ${weights.error}`);
    this.journal = this.opts.store.loadJournal();
    this.seq = this.journal.at(-1)?.seq ?? 0;
    const tick = () => {
      void this.reconcile().finally(() => this.push());
      this.timer = setTimeout(tick, this.opts.reconcileMs ?? 1000);
    };
    tick();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.scheduler.stop();
  }

  getConfig(): { config: HealthConfig; error: string | null } {
    return { config: this.config, error: this.configError };
  }

  /** Validate, save and use a new checks configuration. Throws an `invalid` ApiError naming the field. */
  async setConfig(input: unknown): Promise<HealthConfig> {
    const config = parseHealthConfig(input);
    this.opts.store.saveConfig(config); // saved first: a failing disk leaves the running checks as they were
    this.config = config;
    this.configError = null;
    this.log.info({ services: config.services.length }, 'health checks configuration changed');
    await this.reconcile();
    this.push();
    return config;
  }

  view(): HealthView {
    const now = this.now();
    const kernel = this.kernelWeights();
    const swapped = this.quorum.swappedOut(this.config.services);
    return {
      rows: [...this.targets.values()].map((t) => this.row(t, now, kernel, swapped)),
      configError: this.configError,
      quorum: this.quorum.all(),
    };
  }

  /** Entries after `since` (a seq), oldest first, at most `limit`. */
  journalSince(since: number, limit = JOURNAL_KEEP): HealthJournalEntry[] {
    return this.journal.filter((e) => e.seq > since).slice(0, limit);
  }

  /** Changed rows are pushed once per reconcile period. Returns the unsubscribe function. */
  subscribe(listener: HealthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The kernel's weight of every real server of a checked service, by row key. */
  private kernelWeights(): Map<string, number> {
    const out = new Map<string, number>();
    const checked = new Set(this.config.services.map((c) => serviceId(c.service)));
    for (const s of this.opts.agent.state?.services ?? []) {
      const id = serviceId(serviceKey(s));
      if (checked.has(id)) for (const d of s.destinations) out.set(`${id}|${destinationId(d)}`, d.weight);
    }
    return out;
  }

  private row(t: Target, now: number, kernel: ReadonlyMap<string, number>, swapped: Set<string>): HealthRow {
    const last = t.health.last;
    const kept = this.kept.get(t.service)?.get(t.destination);
    const ramp = kept && !swapped.has(t.service) && slowStartAt(t.health, t.check, kept.config.weight, now);
    return {
      service: t.service,
      destination: t.destination,
      status: t.health.checked ? t.health.status : 'unknown',
      lastCheckAt: last?.at ?? null,
      latencyMs: last?.latencyMs ?? null,
      lastError: last && !last.ok ? (last.error ?? 'failed') : null,
      stuck: isStuck(t.lastRunAt, t.check.intervalMs, now),
      since: t.health.since,
      intervalMs: t.check.intervalMs,
      configuredWeight: kept?.config.weight ?? null,
      kernelWeight: kernel.get(t.key) ?? null,
      ...(ramp ? { rampWeight: ramp.weight, rampTarget: ramp.target } : {}),
    };
  }

  private push(): void {
    const now = this.now();
    const rows: HealthRow[] = [];
    const seen = new Set<string>();
    const kernel = this.kernelWeights();
    const swapped = this.quorum.swappedOut(this.config.services);
    for (const t of this.targets.values()) {
      const row = this.row(t, now, kernel, swapped);
      seen.add(t.key);
      const before = this.pushed.get(t.key);
      if (before && sameFlat(before, row)) continue;
      rows.push(row);
      this.pushed.set(t.key, row);
    }
    const removed = [...this.pushed.keys()].filter((k) => !seen.has(k));
    for (const k of removed) this.pushed.delete(k);
    const quorum = this.quorum.all();
    const quorumText = JSON.stringify(quorum);
    const quorumChanged = quorumText !== this.pushedQuorum;
    this.pushedQuorum = quorumText;
    if (rows.length === 0 && removed.length === 0 && !quorumChanged && !this.journalled) return;
    this.journalled = false;
    const update: HealthUpdate = { rows, removed, at: now, ...(quorumChanged ? { quorum } : {}) };
    for (const l of this.listeners) {
      try {
        l(update);
      } catch {
        /* a broken subscriber must not stop the others */
      }
    }
  }

  /** The journal entry of another part of the agent that changes the table by itself (the drain keeper). */
  journalOf(actor: 'drain'): (entry: Omit<HealthJournalEntry, 'seq' | 'at' | 'actor'>) => void {
    return (entry) => this.record(entry, actor);
  }

  private record(
    entry: Omit<HealthJournalEntry, 'seq' | 'at' | 'actor'>,
    actor: HealthJournalEntry['actor'] = 'health-check',
  ): void {
    const e: HealthJournalEntry = { seq: ++this.seq, at: this.now(), actor, ...entry };
    this.journalled = true;
    this.journal.push(e);
    if (this.journal.length > JOURNAL_KEEP) this.journal.splice(0, this.journal.length - JOURNAL_KEEP);
    try {
      this.opts.store.appendJournal(e, this.journal);
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'cannot write the health journal');
    }
  }

  /** Plan and apply every service; one run at a time (a request meanwhile runs once more after it). */
  reconcile(): Promise<void> {
    if (this.reconciling) {
      this.again = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      do {
        this.again = false;
        try {
          await this.reconcileOnce();
        } catch (e) {
          this.log.error({ err: (e as Error).message }, `health checks: ${(e as Error).message}`);
        }
      } while (this.again);
    })().finally(() => (this.reconciling = null));
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    const state = this.opts.agent.state;
    if (!state) return;
    const wanted = new Set<string>();
    let keptChanged = false;
    const configured = new Set(this.config.services.map((s) => serviceId(s.service)));
    const healthBy = new Map<string, Map<string, DestHealth>>();
    for (const t of this.targets.values()) {
      const m = healthBy.get(t.service) ?? new Map<string, DestHealth>();
      healthBy.set(t.service, m.set(t.destination, t.health));
    }
    const live = new Map(state.services.map((s) => [serviceId(serviceKey(s)), s]));
    for (const svcCfg of this.config.services) {
      const id = serviceId(svcCfg.service);
      const service = live.get(id);
      const before = this.kept.get(id) ?? new Map<string, KeptWeight>();
      const health = healthBy.get(id) ?? new Map<string, DestHealth>();
      const plan = planService({
        key: svcCfg.service,
        service,
        config: svcCfg,
        health,
        kept: before,
        now: this.now(),
        quorumBefore: this.quorum.held(id),
      });
      const kept = new Map(plan.kept);
      for (const p of plan.edits) {
        const { epoch, state } = this.opts.agent;
        const r = await this.opts.agent.edit({ edit: p.edit, epoch, version: state?.version ?? 0 }, 'health-check');
        const result = r.ok ? r.data.result : r.error.result;
        this.record({
          kind: 'edit',
          service: id,
          destination: p.destination,
          reason: r.ok ? p.reason : `${p.reason}; the edit failed: ${r.error.message}`,
          ...(result ? { result } : {}),
        });
        if (r.ok) this.log.info({ actor: 'health-check', service: id, destination: p.destination }, p.reason);
        else {
          this.log.warn(
            { actor: 'health-check', service: id, err: r.error.message },
            `health edit failed: ${r.error.message}`,
          );
          // the kernel did not change: keep what was known before, the next run tries again
          const old = before.get(p.destination);
          if (old) kept.set(p.destination, old);
          else kept.delete(p.destination);
        }
      }
      if (!sameKept(before, kept)) {
        this.kept.set(id, kept);
        keptChanged = true;
      }
      for (const [dest, check] of plan.members) {
        const k = kept.get(dest);
        if (k) this.ensureTarget(id, dest, k, check, wanted);
      }
      this.quorum.judge(id, svcCfg, plan.healthyWeight);
    }
    for (const id of this.kept.keys())
      if (!configured.has(id)) {
        this.kept.delete(id); // checks removed from the service: its weights are the kernel's own again
        keptChanged = true;
      }
    this.quorum.keepOnly(configured);
    for (const [key] of this.targets)
      if (!wanted.has(key)) {
        this.targets.delete(key);
        this.scheduler.remove(key);
      }
    if (keptChanged) {
      try {
        this.opts.store.saveWeights(this.kept);
      } catch (e) {
        this.log.error({ err: (e as Error).message }, 'cannot save the kept weights');
      }
    }
  }

  private ensureTarget(
    service: string,
    destination: string,
    k: KeptWeight,
    check: CheckConfig,
    wanted: Set<string>,
  ): void {
    const tkey = `${service}|${destination}`;
    wanted.add(tkey);
    const signature = signatureOf(check);
    const existing = this.targets.get(tkey);
    if (existing?.signature === signature) return;
    const target: Target = {
      key: tkey,
      service,
      destination,
      address: check.address ?? k.config.address,
      port: check.port ?? k.config.port,
      check,
      signature,
      // held out by this agent before it restarted (or before the check changed): out until proven up again
      health: initialHealth({ startState: heldOut(k) ? 'down' : check.startState }, this.now()),
      lastRunAt: this.now(),
    };
    this.targets.set(tkey, target);
    const checkTarget = {
      address: target.address,
      port: target.port,
      timeoutMs: check.timeoutMs,
      service,
      ...(check.sourceAddress ? { sourceAddress: check.sourceAddress } : {}),
    };
    // one closure per target, not per run (a thousand runs a second)
    const onResult = (result: CheckResult): number | undefined => {
      this.checksRun++;
      if (this.targets.get(tkey) !== target) return; // replaced or removed meanwhile
      target.lastRunAt = result.at;
      const o = observe(target.health, result, check);
      target.health = o.health;
      if (o.transition) {
        const { from, to, reason } = o.transition;
        this.record({ kind: 'transition', service, destination, from, to, reason });
        const fields = { actor: 'health-check', service, destination, from, to, reason };
        if (to === 'down') this.log.warn(fields, `${service} ${destination} down: ${reason}`);
        else this.log.info(fields, `${service} ${destination} up: ${reason}`);
        void this.reconcile().finally(() => this.push());
      }
      return nextCheckInMs(o.health, check);
    };
    this.scheduler.add(tkey, {
      intervalMs: check.intervalMs,
      run: () => runCheck(check.check, checkTarget, this.now).then(onResult),
    });
  }
}

const heldOut = (k: KeptWeight) => k.applied === null || (k.applied === 0 && k.config.weight > 0);
