// The doctor on request (the dashboard's Diagnostics panel): one run at a time per agent, and a report younger than
// REUSE_MS answers again instead of a new run, however many people ask. A run reads procfs and spawns `ip` once per
// address (at most MAX_ROUTE_LOOKUPS).
import { diagnose } from '../../../lib/doctor/checks';
import type { DoctorReport } from '../../../lib/doctor/facts';
import type { Backend } from '../backend';

export const REUSE_MS = 5000;

export class DoctorRunner {
  private running: Promise<DoctorReport> | null = null;
  private last: DoctorReport | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether this director can be checked (a backend without a host to look at cannot). */
  get available(): boolean {
    return this.backend.doctorFacts !== undefined;
  }

  run(): Promise<DoctorReport> {
    const gather = this.backend.doctorFacts?.bind(this.backend);
    if (!gather) return Promise.reject(new Error('this agent cannot check its director'));
    if (this.last && this.now() - this.last.checkedAt < REUSE_MS) return Promise.resolve(this.last);
    this.running ??= gather()
      .then((facts) => {
        const report: DoctorReport = {
          findings: diagnose(facts),
          checkedAt: this.now(),
          ...(this.backend.simulated ? { simulated: true as const } : {}),
        };
        this.last = report;
        return report;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
