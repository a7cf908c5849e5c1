// The dashboard's parts: the clock, the directors (the hub) and the stores and limiters beside it, each built on its
// own from the database. createDashboard takes them ready-made (tests pass their own twins) or builds them with
// openParts.
import { systemClock, type Clock } from '../clock';
import type { AgentEndpoint, AgentLinkOptions } from '../hub/agent-link-types';
import { FirstAdminSetup } from '../hub/auth/first-admin';
import { LoginLimiter } from '../hub/auth/login-limiter';
import { SessionStore } from '../hub/auth/sessions';
import { UserStore } from '../hub/auth/users';
import { Changes } from '../hub/changes';
import { HealthAudit } from '../hub/health-audit';
import { dirname, join } from 'node:path';
import { DirectorRegistry } from '../hub/director-registry';
import { createHub } from '../hub/hub';
import { PairDrift } from '../hub/pair-drift';
import { PairStore } from '../hub/store/pairs';
import { ImportRunner } from '../hub/imports/runner';
import { QueryLimiter } from '../hub/query-limiter';
import { AuditLog } from '../hub/store/audit';
import type { Db } from '../hub/store/db';
import { SecretBox } from '../hub/store/director-secrets';
import { DirectorStore } from '../hub/store/directors';
import { SnapshotStore } from '../hub/store/snapshots';
import { StatsHistory } from '../hub/store/stats-history';
import type { Logger } from '../log';
import type { Services } from './services';

export type DashboardParts = Omit<Services, 'broadcast'>;

export interface PartsOptions extends AgentLinkOptions {
  db: Db;
  agents: readonly AgentEndpoint[];
  log?: Logger;
  /** What every part reads the time from (the system clock unless a test gives its own). */
  clock?: Clock;
}

export function openParts({ db, clock = systemClock, ...hubOptions }: PartsOptions): DashboardParts {
  const now = () => clock.now();
  const users = new UserStore(db, now);
  const audit = new AuditLog(db, now);
  const snapshots = new SnapshotStore(db, now);
  const stats = new StatsHistory(db, { now });
  const directors = createHub({ ...hubOptions, now, audit, stats });
  new HealthAudit(directors, audit); // listens to the hub for as long as it lives
  // the key that seals stored agent tokens lives beside the database file (an in-memory database: for this run)
  const box = db.memory ? SecretBox.ephemeral() : SecretBox.fromKeyFile(join(dirname(db.name), 'director-key'));
  const fleet = new DirectorRegistry(directors, new DirectorStore(db, box), hubOptions.agents);
  fleet.connectStored();
  return {
    clock,
    directors,
    fleet,
    pairs: new PairDrift(directors, new PairStore(db), audit),
    users,
    sessions: new SessionStore(db, now),
    firstAdmin: new FirstAdminSetup(users),
    loginLimiter: new LoginLimiter(),
    audit,
    snapshots,
    stats,
    changes: new Changes(directors, audit, snapshots),
    connQueries: new QueryLimiter(),
    imports: new ImportRunner(),
  };
}
