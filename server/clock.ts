// Where the dashboard's parts read the time (sessions, audit and snapshot times, accounts, stats, staleness): the
// system clock, or in tests a FakeClock (server/testing/fake-clock.ts) that moves only when told. The rate limiters
// (server/hub/auth/login-limiter.ts, query-limiter.ts) are the exception: rate-limiter-flexible's RateLimiterMemory
// reads Date.now() and sets its own timers, and takes no clock.
export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
