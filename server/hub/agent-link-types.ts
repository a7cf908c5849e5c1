// What the dashboard's link to one agent is given and emits (server/hub/agent-link.ts holds the link itself).
import type { AgentInfo, AgentServerEvents, DirectorProblem, DirectorStatus } from '../../lib/events';
import type { HealthRow, HealthUpdate, QuorumState } from '../../lib/health';
import type { TableDelta, TableState } from '../../lib/ipvs';

export type ApplyProgress = Parameters<AgentServerEvents['apply:progress']>[0];

export interface AgentEndpoint {
  /** Short name shown to people and used in URLs (`lab`, `lvs1`). */
  name: string;
  url: string;
  token: string;
  /** PEM: the agent's own (self-signed) certificate or the CA that signed it; only it is trusted for this agent. */
  ca?: string;
  /** SHA-256 of the agent's certificate (AB:CD:...): only that certificate is accepted, whoever signed it. */
  fingerprint?: string;
}

export interface AgentLinkEvents {
  snapshot: [TableState];
  delta: [TableDelta];
  status: [DirectorStatus];
  /** Why the director is not live changed (null: it is live again). */
  problem: [DirectorProblem | null];
  /** The agent reports what restore-on-boot applied before this connection (once). */
  restored: [NonNullable<AgentInfo['restored']>];
  /** Real servers whose health changed; `fresh` on the first answer after each (re)connection. */
  health: [HealthUpdate & { fresh?: true }];
}

/** The agent's health checks as last reported: null until it answered health:subscribe (false: it runs none). */
export interface HealthSeen {
  available: boolean;
  rows: Map<string, HealthRow>;
  configError: string | null;
  /** Each service's quorum, by serviceId. */
  quorum: Record<string, QuorumState>;
}

export interface AgentLinkOptions {
  /** No update for this long means stale; STALE_AFTER_MS unless a test says otherwise. */
  staleAfterMs?: number;
  requestTimeoutMs?: number;
  /** A connection attempt without an answer for this long is a timeout. */
  connectTimeoutMs?: number;
  /** The time staleness and problems are judged by (Date.now unless a test moves its own clock). */
  now?: () => number;
}
