// The hub holds N directors' agent links: their tables, statuses and problems, relayed as events. The stores
// (accounts, sessions, audit, snapshots, stats) are services beside it; it is given the two it writes to: the stats
// history (one point per tick) and the audit (what restore-on-boot did).
import { EventEmitter } from 'node:events';
import { fail, ok, type Ack, type DirectorSummary } from '../../lib/events';
import type { HealthUpdate } from '../../lib/health';
import type { TableDelta, TableState } from '../../lib/ipvs';
import { AgentLink } from './agent-link';
import type { AgentEndpoint, AgentLinkOptions } from './agent-link-types';
import type { AuditLog } from './store/audit';
import type { StatsHistory } from './store/stats-history';
import { createLogger, type Logger } from '../log';

export interface HubEvents {
  directors: [DirectorSummary[]];
  snapshot: [string, TableState];
  delta: [string, TableDelta];
  /** A director's real servers whose health changed (`fresh`: the whole set after its agent (re)connected). */
  health: [string, HealthUpdate & { fresh?: true }];
}

export interface HubOptions extends AgentLinkOptions {
  agents: readonly AgentEndpoint[];
  /** Where restore-on-boot runs are recorded. */
  audit: Pick<AuditLog, 'begin' | 'finish'>;
  /** Where each tick's rates and counts are recorded. */
  stats: Pick<StatsHistory, 'record' | 'flush'>;
  log?: Logger;
}

export class Hub extends EventEmitter<HubEvents> {
  readonly links = new Map<string, AgentLink>();
  readonly log: Logger;
  private readonly audit: HubOptions['audit'];
  private readonly stats: HubOptions['stats'];
  private readonly linkOptions: AgentLinkOptions;

  constructor(opts: HubOptions) {
    super();
    this.log = opts.log ?? createLogger('lvs-dashboard', 1);
    this.audit = opts.audit;
    this.stats = opts.stats;
    this.linkOptions = opts;
    for (const a of opts.agents) this.connect(a);
  }

  /** Starts the link to a director (also while running: a director added in the UI). */
  connect(a: AgentEndpoint): AgentLink {
    if (this.links.has(a.name)) throw new Error(`two agents are named ${a.name}`);
    const link = new AgentLink(a, this.linkOptions);
    link.on('snapshot', (s) => {
      this.record(a.name, s);
      this.emit('snapshot', a.name, s);
    });
    link.on('delta', (d) => {
      if (link.state) this.record(a.name, link.state);
      this.emit('delta', a.name, d);
    });
    link.on('health', (u) => this.emit('health', a.name, u));
    link.on('status', (status) => {
      this.log.info({ director: a.name, status, problem: link.problem?.message }, `director ${a.name} is ${status}`);
      this.emit('directors', this.directors());
    });
    link.on('restored', (r) => {
      const failed = r.results.find((x) => !x.ok);
      const id = this.audit.begin({
        user: 'restore-on-boot',
        source: 'restore',
        director: a.name,
        operation: 'restore-on-boot',
        target: 'table',
        before: null,
        after: null,
        argv: r.plan.map((p) => ['ipvsadm', ...p]),
      });
      this.audit.finish(id, {
        ok: !failed,
        ...(failed ? { error: `${failed.argv.join(' ')}: ${failed.stderr}` } : {}),
      });
      this.log.info(
        { director: a.name, at: r.at, operations: r.plan.length, ok: !failed },
        `director ${a.name}: restore-on-boot applied ${r.results.filter((x) => x.ok).length} of ${r.plan.length} operations`,
      );
    });
    link.on('problem', (p) => {
      if (p)
        this.log.warn(
          { director: a.name, url: a.url, reason: p.kind, message: p.message },
          `director ${a.name}: ${p.message}`,
        );
      this.emit('directors', this.directors());
    });
    this.links.set(a.name, link);
    this.emit('directors', this.directors());
    return link;
  }

  /** Ends the link to a director (removed or about to be reconnected with new settings). */
  disconnect(name: string): boolean {
    const link = this.links.get(name);
    if (!link) return false;
    link.close();
    this.links.delete(name);
    this.emit('directors', this.directors());
    return true;
  }

  /** One stats point per agent tick; a database problem is logged, never allowed to stop the live relay. */
  private record(director: string, state: TableState): void {
    try {
      this.stats.record(director, state);
    } catch (e) {
      this.log.error({ director, err: e }, `stats history for ${director} not recorded`);
    }
  }

  directors(): DirectorSummary[] {
    return [...this.links.values()].map((l) =>
      l.state?.simulated ? { ...l.summary(), simulated: true } : l.summary(),
    );
  }

  link(name: string): AgentLink | undefined {
    return this.links.get(name);
  }

  /** The director's link, or the error that says there is none (socket handlers, REST routes and changes share it). */
  find(director: string): Ack<AgentLink> {
    const link = this.links.get(director);
    return link ? ok(link) : fail('not_found', `no director named ${director}`, 'director');
  }

  /** The director's link and its current table, or the error that says why there is none. */
  live(director: string): Ack<{ link: AgentLink; state: TableState }> {
    const found = this.find(director);
    if (!found.ok) return found;
    const link = found.data;
    return link.state
      ? ok({ link, state: link.state })
      : fail('unavailable', `director ${director} has not sent its table yet (${link.status})`);
  }

  close(): void {
    for (const l of this.links.values()) l.close();
    this.stats.flush(); // the minute being summed in memory
    this.removeAllListeners();
  }
}

export function createHub(opts: HubOptions): Hub {
  return new Hub(opts);
}
