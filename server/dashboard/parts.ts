// The dashboard's parts: the directors (the hub) and the stores and limiters beside it, each built on its own from
// the database. createDashboard takes them ready-made (tests pass their own twins) or builds them with openParts.
import type { AgentEndpoint, AgentLinkOptions } from '../hub/agent-link';
import { FirstAdminSetup } from '../hub/auth/first-admin';
import { LoginLimiter } from '../hub/auth/login-limiter';
import { SessionStore } from '../hub/auth/sessions';
import { UserStore } from '../hub/auth/users';
import { Changes } from '../hub/changes';
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
}

export function openParts({ db, ...hubOptions }: PartsOptions): DashboardParts {
  const users = new UserStore(db);
  const audit = new AuditLog(db);
  const snapshots = new SnapshotStore(db);
  const stats = new StatsHistory(db);
  const directors = createHub({ ...hubOptions, audit, stats });
  // the key that seals stored agent tokens lives beside the database file (an in-memory database: for this run)
  const box = db.memory ? SecretBox.ephemeral() : SecretBox.fromKeyFile(join(dirname(db.name), 'director-key'));
  const fleet = new DirectorRegistry(directors, new DirectorStore(db, box), hubOptions.agents);
  fleet.connectStored();
  return {
    directors,
    fleet,
    pairs: new PairDrift(directors, new PairStore(db), audit),
    users,
    sessions: new SessionStore(db),
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
