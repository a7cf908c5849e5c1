// The hub holds N directors' agent links and the dashboard's database stores; it is what the dashboard's HTTP
// routes and Socket.IO handlers talk to.
import { EventEmitter } from 'node:events';
import { fail, ok, type Ack, type DirectorSummary } from '../../lib/events';
import type { TableDelta, TableState } from '../../lib/ipvs';
import { AgentLink, type AgentEndpoint, type AgentLinkOptions } from './agent-link';
import { FirstAdminSetup } from './auth/first-admin';
import { LoginLimiter } from './auth/login-limiter';
import { SessionStore } from './auth/sessions';
import { UserStore } from './auth/users';
import { Changes } from './changes';
import { QueryLimiter } from './query-limiter';
import { AuditLog } from './store/audit';
import type { Db } from './store/db';
import { SnapshotStore } from './store/snapshots';
import { StatsHistory } from './store/stats-history';
import { createLogger, type Logger } from '../log';

export interface HubEvents {
  directors: [DirectorSummary[]];
  snapshot: [string, TableState];
  delta: [string, TableDelta];
}

export interface HubOptions extends AgentLinkOptions {
  db: Db;
  agents: readonly AgentEndpoint[];
  log?: Logger;
}

export class Hub extends EventEmitter<HubEvents> {
  readonly links = new Map<string, AgentLink>();
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly audit: AuditLog;
  readonly snapshots: SnapshotStore;
  readonly changes: Changes;
  readonly loginLimiter = new LoginLimiter();
  /** Connection queries per user. */
  readonly connQueries = new QueryLimiter();
  readonly stats: StatsHistory;
  readonly log: Logger;
  readonly firstAdmin: FirstAdminSetup;

  constructor(opts: HubOptions) {
    super();
    this.log = opts.log ?? createLogger('lvs-dashboard', 1);
    this.users = new UserStore(opts.db);
    this.firstAdmin = new FirstAdminSetup(this.users);
    this.sessions = new SessionStore(opts.db);
    this.audit = new AuditLog(opts.db);
    this.snapshots = new SnapshotStore(opts.db);
    this.changes = new Changes(this, this.audit, this.snapshots);
    this.stats = new StatsHistory(opts.db);
    for (const a of opts.agents) {
      if (this.links.has(a.name)) throw new Error(`two agents are named ${a.name}`);
      const link = new AgentLink(a, opts);
      link.on('snapshot', (s) => {
        this.record(a.name, s);
        this.emit('snapshot', a.name, s);
      });
      link.on('delta', (d) => {
        if (link.state) this.record(a.name, link.state);
        this.emit('delta', a.name, d);
      });
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
    }
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
