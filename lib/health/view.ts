// What the agent pushes about its checks (health:subscribe, health:update) and the audit entries it keeps for the
// dashboard (health:journal): the JSON contract between the agent and the hub.

export type HealthDisplay = 'up' | 'down' | 'unknown';

export interface HealthRow {
  /** serviceId form: tcp/10.1.0.10:80 */
  service: string;
  /** address:port of the real server */
  destination: string;
  /** unknown until its first check finished */
  status: HealthDisplay;
  /** Epoch ms of the last finished check, null before the first. */
  lastCheckAt: number | null;
  latencyMs: number | null;
  /** Why the last check failed, null when it passed. */
  lastError: string | null;
  /** The checker has not run for 3 intervals. */
  stuck: boolean;
  /** Since when the status holds (epoch ms). */
  since: number;
  intervalMs: number;
  /** The weight kept for it (restored on recovery), and the weight the kernel has now (null: removed). */
  configuredWeight: number | null;
  kernelWeight: number | null;
  /** While slow start ramps it up after a recovery: the weight reached now and the weight it ramps to (absent
   * otherwise). */
  rampWeight?: number;
  rampTarget?: number;
}

/** A service's quorum as the agent judges it (services with a quorum only). */
export interface QuorumState {
  held: boolean;
  /** The sum of its healthy real servers' weights. */
  healthyWeight: number;
  minWeight: number;
  hysteresis: number;
}

export interface HealthView {
  rows: HealthRow[];
  /** Why the checks file could not be used (the agent runs without checks then); null when it could. */
  configError: string | null;
  /** By serviceId. */
  quorum: Record<string, QuorumState>;
}

/** The rows that changed since the last push, and the keys (service|destination) of rows that went away. */
export interface HealthUpdate {
  rows: HealthRow[];
  removed: string[];
  at: number;
  /** Every service's quorum, when any of them changed. */
  quorum?: Record<string, QuorumState>;
}

/** Whether a quorum holds at `healthyWeight`, given whether it held before (undefined: first judged). */
export function quorumHeld(
  q: { minWeight: number; hysteresis: number },
  healthyWeight: number,
  before: boolean | undefined,
): boolean {
  if (before === undefined) return healthyWeight >= q.minWeight;
  return before ? healthyWeight >= q.minWeight - q.hysteresis : healthyWeight >= q.minWeight + q.hysteresis;
}

export const rowKey = (r: Pick<HealthRow, 'service' | 'destination'>): string => `${r.service}|${r.destination}`;

/** One audit entry of the agent's own doing: by "health-check" a transition, a kernel edit it made, a quorum change
 * or a hook run; by "drain" the removal of a drained real server once it was empty. */
export interface HealthJournalEntry {
  seq: number;
  at: number;
  actor: 'health-check' | 'drain';
  kind: 'transition' | 'edit' | 'quorum' | 'hook';
  service: string;
  destination?: string;
  from?: string;
  to?: string;
  reason: string;
  /** The kernel command it ran and what came of it (OpResult of lib/events). */
  result?: { argv: string[]; ok: boolean; exitCode: number | null; stderr: string; durationMs: number };
}

/** A checker is stuck when it has not finished a check for 3 intervals. */
export function isStuck(lastRunAt: number, intervalMs: number, now: number): boolean {
  return now - lastRunAt > 3 * intervalMs;
}
