// Connection queries per user (every socket and tab of one user together): a flood from one viewer must not keep the
// director's agent busy for everyone. In memory, like the login limiter.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** A user may send this many connection queries per window: the connection view asks 1-3 pages every 2 s, more while
 * scrolling. */
export const QUERIES_PER_WINDOW = 20;
export const QUERY_WINDOW_S = 2;

export class QueryLimiter {
  private readonly limiter = new RateLimiterMemory({ points: QUERIES_PER_WINDOW, duration: QUERY_WINDOW_S });

  /** Counts one query of `user`: 0 when it may go on, else the milliseconds until the next one may. */
  async take(user: string): Promise<number> {
    try {
      await this.limiter.consume(user);
      return 0;
    } catch (e) {
      if (e instanceof RateLimiterRes) return Math.max(1, e.msBeforeNext);
      throw e;
    }
  }
}
