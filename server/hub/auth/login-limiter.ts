// Login attempts per client address: after MAX_FAILURES wrong passwords within WINDOW_MS the address is locked out
// for LOCK_MS (a correct password does not get through either). In memory: a restart forgets, which only helps an
// attacker who can restart the dashboard.
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;

interface Entry {
  failures: number[];
  lockedUntil: number;
}

export class LoginLimiter {
  private readonly byAddress = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds until the address may try again, or 0. */
  lockedFor(address: string): number {
    const e = this.byAddress.get(address);
    return e ? Math.max(0, e.lockedUntil - this.now()) : 0;
  }

  failed(address: string): void {
    const t = this.now();
    const e = this.byAddress.get(address) ?? { failures: [], lockedUntil: 0 };
    e.failures = e.failures.filter((f) => t - f < WINDOW_MS);
    e.failures.push(t);
    if (e.failures.length >= MAX_FAILURES) {
      e.lockedUntil = t + LOCK_MS;
      e.failures = [];
    }
    this.byAddress.set(address, e);
    if (this.byAddress.size > 10_000) this.sweep(t);
  }

  succeeded(address: string): void {
    this.byAddress.delete(address);
  }

  private sweep(t: number): void {
    for (const [k, e] of this.byAddress)
      if (e.lockedUntil < t && e.failures.every((f) => t - f >= WINDOW_MS)) this.byAddress.delete(k);
  }
}
