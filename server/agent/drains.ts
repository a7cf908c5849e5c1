// Drains with a finish line, kept by the agent: a drain remembers the weight the real server had (in the state
// directory: a reload, a dashboard restart or an agent restart never turns "restore weight 62" into "weight 1"), an
// undrain puts that weight back, and a drain asked to "remove when empty" deletes the real server once its active and
// inactive connections and persistence templates are gone. A drain ends when its real server gets a weight again
// from anyone, or goes.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Ack, EditOutcome } from '../../lib/events';
import type { HealthJournalEntry } from '../../lib/health';
import {
  KeptDrain,
  destinationId,
  parseEditRequest,
  type Drains,
  serviceId,
  serviceKey,
  type EditRequest,
  type TableId,
  type TableState,
} from '../../lib/ipvs';
import type { Agent } from './agent';

const DrainsFile = z.object({ drains: z.record(z.string(), KeptDrain) });

type Logger = { warn(o: object, msg: string): void };
/** Where the agent's own changes are journalled for the audit (the health monitor's journal). */
export type DrainJournal = (entry: Omit<HealthJournalEntry, 'seq' | 'at' | 'actor'>) => void;

export class DrainKeeper {
  private drains = new Map<string, KeptDrain>();
  private removing = new Set<string>();
  /** Drains whose removal the kernel refused, journalled once (the removal is tried again on each table). */
  private refused = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private readonly now: () => number;
  private readonly journal: DrainJournal;

  /** `file`: where the drains are kept (none: in memory only); `journal`: where a removal is told for the audit. */
  constructor(
    private readonly agent: Agent,
    private readonly file: string | undefined,
    private readonly log: Logger,
    opts: { now?: () => number; journal?: DrainJournal } = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.journal = opts.journal ?? (() => undefined);
    this.load();
  }

  start(): void {
    this.unsubscribe = this.agent.subscribe(() => {
      const state = this.agent.state;
      if (state) this.observe(state);
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  list(): Drains {
    return Object.fromEntries(this.drains);
  }

  /** An edit request through the keeper: drains remember, undrains restore; anything else goes straight through. */
  async edit(input: unknown): Promise<Ack<EditOutcome>> {
    let req: EditRequest;
    try {
      req = parseEditRequest(input);
    } catch {
      return this.agent.edit(input); // the agent answers with the field and the reason
    }
    const e = req.edit;
    if (e.kind !== 'drain' && e.kind !== 'undrain') return this.agent.edit(req);
    const key = `${serviceId(e.service)}|${destinationId(e.destination)}`;
    if (e.kind === 'undrain') {
      const weight = this.drains.get(key)?.weight ?? 1;
      const r = await this.agent.edit({ ...req, edit: { ...e, kind: 'set-weight', weight } });
      if (r.ok) this.forget(key);
      return r;
    }
    const before = this.weightOf(key);
    const r = await this.agent.edit(req);
    if (!r.ok) return r;
    const kept = this.drains.get(key);
    const weight = before && before > 0 ? before : kept?.weight;
    if (weight) {
      this.drains.set(key, { weight, since: kept?.since ?? this.now(), removeWhenEmpty: e.removeWhenEmpty ?? false });
      this.save();
    }
    return r;
  }

  private weightOf(key: string): number | undefined {
    for (const s of this.agent.state?.services ?? []) {
      const sid = serviceId(serviceKey(s));
      for (const d of s.destinations) if (`${sid}|${destinationId(d)}` === key) return d.weight;
    }
    return undefined;
  }

  /** On each table: drains whose real server is weighted again or gone end; empty ones asked to go are removed. */
  private observe(state: TableState): void {
    const seen = new Set<string>();
    for (const s of state.services) {
      const sid = serviceId(serviceKey(s));
      for (const d of s.destinations) {
        const key = `${sid}|${destinationId(d)}`;
        const drain = this.drains.get(key);
        if (!drain) continue;
        seen.add(key);
        if (d.weight > 0) this.forget(key);
        else if (drain.removeWhenEmpty && d.activeConns + d.inactiveConns + (d.persistConns ?? 0) === 0)
          void this.remove(key, drain, serviceKey(s), { address: d.address, port: d.port }, state);
      }
    }
    // a real server that is gone ends its drain; a service not read this time (degraded) keeps them
    const unread = new Set((state.problems ?? []).map((p) => p.service).filter(Boolean));
    for (const key of [...this.drains.keys()]) if (!seen.has(key) && !unread.has(key.split('|')[0])) this.forget(key);
  }

  private async remove(
    key: string,
    drain: KeptDrain,
    service: ReturnType<typeof serviceKey>,
    destination: { address: string; port: number },
    table: TableId,
  ): Promise<void> {
    if (this.removing.has(key)) return;
    this.removing.add(key);
    try {
      const edit = { kind: 'delete-destination', service, destination } as const;
      const r = await this.agent.edit({ edit, epoch: table.epoch, version: table.version }, 'drain');
      const [sid = '', did = ''] = key.split('|');
      const entry = { kind: 'edit' as const, service: sid, destination: did, from: 'draining' };
      const asked = `drained since ${new Date(drain.since).toISOString()}, weight ${drain.weight} kept`;
      if (r.ok) {
        this.forget(key);
        this.journal({
          ...entry,
          to: 'removed',
          reason: `empty: no active or inactive connections and no persistence templates (${asked})`,
          result: r.data.result,
        });
      } else {
        this.log.warn({ drain: key, err: r.error.message }, `drained ${key} not removed: ${r.error.message}`);
        // a stale table (conflict) is retried on the next one without a word; a refusal is told once
        if (r.error.code !== 'conflict' && !this.refused.has(key)) {
          this.refused.add(key);
          const result = r.error.result;
          this.journal({
            ...entry,
            reason: `empty, but not removed: ${r.error.message}`,
            ...(result ? { result } : {}),
          });
        }
      }
    } finally {
      this.removing.delete(key);
    }
  }

  private forget(key: string): void {
    this.refused.delete(key);
    if (this.drains.delete(key)) this.save();
  }

  private load(): void {
    if (!this.file) return;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        this.log.warn({ file: this.file, err: (e as Error).message }, `drains not read: ${(e as Error).message}`);
      return;
    }
    try {
      this.drains = new Map(Object.entries(DrainsFile.parse(JSON.parse(text)).drains));
    } catch (e) {
      this.log.warn(
        { file: this.file },
        `${this.file}: not a drains file, drains start empty: ${(e as Error).message}`,
      );
    }
  }

  private save(): void {
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileSync(`${this.file}.tmp`, JSON.stringify({ drains: this.list() }) + '\n', { mode: 0o600 });
      renameSync(`${this.file}.tmp`, this.file);
    } catch (e) {
      this.log.warn({ file: this.file, err: (e as Error).message }, `drains not saved: ${(e as Error).message}`);
    }
  }
}
