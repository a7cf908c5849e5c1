// The health of one real server as a pure state machine: check results in, rise/fall counting, transitions out, and
// the weight the kernel should have for it at a given time (quiesced, warming up, ramping in slow start, or the
// configured weight).
import type { CheckConfig } from './config';

export type HealthStatus = 'up' | 'down';

export interface CheckResult {
  ok: boolean;
  /** When the check finished (epoch ms). */
  at: number;
  latencyMs: number;
  /** Why it failed (absent when it passed). */
  error?: string;
  /** A weight the check itself reported (external command with dynamicWeight). */
  weight?: number;
}

export interface DestHealth {
  status: HealthStatus;
  /** No check has finished yet: shown as unknown, in or out of service by the start state. */
  checked: boolean;
  /** Consecutive passes (while down) or failures (while up) towards the next transition. */
  passes: number;
  failures: number;
  /** When the current status began (epoch ms). */
  since: number;
  last?: CheckResult;
  /** The weight the last passing check reported, if it reports one. */
  reportedWeight?: number;
  /** It came up by a transition (not by its start state): it warms up and ramps from `since`. */
  recovered?: true;
}

export interface Transition {
  from: HealthStatus;
  to: HealthStatus;
  at: number;
  reason: string;
}

export function initialHealth(cfg: Pick<CheckConfig, 'startState'>, now: number): DestHealth {
  return { status: cfg.startState, checked: false, passes: 0, failures: 0, since: now };
}

/** Fold one check result into the health; a transition when rise passes or fall failures in a row were reached.
 * Runs on every check (1,000 a second): the new health is built field by field, not spread from the old one. */
export function observe(
  h: DestHealth,
  r: CheckResult,
  cfg: Pick<CheckConfig, 'rise' | 'fall'>,
): { health: DestHealth; transition?: Transition } {
  if (r.ok) {
    const passes = h.status === 'down' ? h.passes + 1 : 0;
    if (h.status === 'down' && passes >= cfg.rise) {
      const reason = `${passes} check${passes > 1 ? 's' : ''} in a row passed (rise ${cfg.rise})`;
      return {
        health: healthOf('up', 0, 0, r.at, r, r.weight, true),
        transition: { from: 'down', to: 'up', at: r.at, reason },
      };
    }
    return { health: healthOf(h.status, passes, 0, h.since, r, r.weight, h.recovered) };
  }
  const failures = h.status === 'up' ? h.failures + 1 : 0;
  if (h.status === 'up' && failures >= cfg.fall) {
    const reason = `${failures} check${failures > 1 ? 's' : ''} in a row failed (fall ${cfg.fall}): ${r.error ?? 'failed'}`;
    return {
      health: healthOf('down', 0, 0, r.at, r, h.reportedWeight, undefined),
      transition: { from: 'up', to: 'down', at: r.at, reason },
    };
  }
  // a failed check keeps the weight the last passing one reported
  return { health: healthOf(h.status, 0, failures, h.since, r, h.reportedWeight, h.recovered) };
}

function healthOf(
  status: HealthStatus,
  passes: number,
  failures: number,
  since: number,
  last: CheckResult,
  reportedWeight: number | undefined,
  recovered: true | undefined,
): DestHealth {
  const h: DestHealth = { status, checked: true, passes, failures, since, last };
  if (reportedWeight !== undefined) h.reportedWeight = reportedWeight;
  if (recovered) h.recovered = true;
  return h;
}

/** How long after this check the next one runs: an up real server that failed, short of fall, is retried after
 * retryIntervalMs when set (keepalived's delay_before_retry); any other after the interval. */
export function nextCheckInMs(h: DestHealth, cfg: Pick<CheckConfig, 'intervalMs' | 'retryIntervalMs'>): number {
  return h.status === 'up' && h.failures > 0 && cfg.retryIntervalMs !== undefined
    ? cfg.retryIntervalMs
    : cfg.intervalMs;
}

/** What the kernel should hold for a checked real server now: absent (removed) or a weight. */
export type DesiredWeight = { present: false } | { present: true; weight: number };

/**
 * The weight for `h` at `now`: out of service while down or warming up (weight 0, or removed); then the configured
 * weight (or the check's reported one), ramped up in `slowStart.steps` equal steps over `slowStart.durationMs`.
 * A real server that recovered keeps `since` = the moment it came up, so the ramp is a function of time alone.
 */
export function desiredWeight(
  h: DestHealth,
  cfg: Pick<CheckConfig, 'warmupMs' | 'slowStart' | 'onFailure'>,
  configured: number,
  now: number,
): DesiredWeight {
  const out: DesiredWeight = cfg.onFailure === 'remove' ? { present: false } : { present: true, weight: 0 };
  if (h.status === 'down') return out;
  const target = h.reportedWeight ?? configured;
  // a server in service since the start (never transitioned) does not warm up or ramp
  if (h.recovered !== true) return { present: true, weight: target };
  const elapsed = now - h.since;
  if (elapsed < cfg.warmupMs) return out;
  const ramp = cfg.slowStart;
  if (!ramp || target === 0) return { present: true, weight: target };
  const inRamp = elapsed - cfg.warmupMs;
  if (inRamp >= ramp.durationMs) return { present: true, weight: target };
  const step = Math.floor(inRamp / (ramp.durationMs / ramp.steps)) + 1;
  return { present: true, weight: Math.max(1, Math.floor((target * step) / ramp.steps)) };
}

/** Slow start in progress for `h` at `now`: the weight it has reached and the one it ramps to; undefined while down or
 * warming up, for a server up from the start, and once the ramp is done. */
export function slowStartAt(
  h: DestHealth,
  cfg: Pick<CheckConfig, 'warmupMs' | 'slowStart' | 'onFailure'>,
  configured: number,
  now: number,
): { weight: number; target: number } | undefined {
  const want = desiredWeight(h, cfg, configured, now);
  const target = h.reportedWeight ?? configured;
  if (h.status !== 'up' || !want.present || want.weight === 0 || want.weight >= target) return undefined;
  return { weight: want.weight, target };
}
