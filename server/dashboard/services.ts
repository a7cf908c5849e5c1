// What the operations' handlers work with: the directors (the hub's agent links), the stores and limiters beside
// them, and the broadcasts that carry an operation's effects to the browsers, whichever transport ran it.
import type { ApplyProgressEvent, ServiceUpdated } from '../../lib/events';
import type { Clock } from '../clock';
import type { FirstAdminSetup } from '../hub/auth/first-admin';
import type { LoginLimiter } from '../hub/auth/login-limiter';
import type { SessionStore } from '../hub/auth/sessions';
import type { UserStore } from '../hub/auth/users';
import type { Changes } from '../hub/changes';
import type { DirectorRegistry } from '../hub/director-registry';
import type { Hub } from '../hub/hub';
import type { PairDrift } from '../hub/pair-drift';
import type { ImportRunner } from '../hub/imports/runner';
import type { QueryLimiter } from '../hub/query-limiter';
import type { AuditLog } from '../hub/store/audit';
import type { SnapshotStore } from '../hub/store/snapshots';
import type { StatsHistory } from '../hub/store/stats-history';

export interface Broadcasts {
  /** Ends the live connections of sessions that were revoked. */
  endSessions(ids: readonly string[]): void;
  /** One operation of a whole-table apply, to everyone watching the director. */
  applyProgress(p: ApplyProgressEvent): void;
  /** An edit, to everyone watching the director (their activity log). */
  serviceUpdated(u: ServiceUpdated): void;
}

export interface Services {
  /** The time every part reads (a test's FakeClock in tests). */
  clock: Clock;
  directors: Hub;
  /** The configured directors: LVS_AGENTS's and those admins added. */
  fleet: DirectorRegistry;
  /** Pairs of directors and their drift. */
  pairs: PairDrift;
  users: UserStore;
  sessions: SessionStore;
  firstAdmin: FirstAdminSetup;
  loginLimiter: LoginLimiter;
  audit: AuditLog;
  snapshots: SnapshotStore;
  stats: StatsHistory;
  changes: Changes;
  /** Connection queries per user. */
  connQueries: QueryLimiter;
  /** Import texts are read and diffed off the event loop. */
  imports: ImportRunner;
  broadcast: Broadcasts;
}
