// Password guesses (sign-in and password change), limited per client address and per account with
// rate-limiter-flexible. Each attempt is counted BEFORE the password is checked, so concurrent guesses cannot slip
// past the limit. A right password gives back only its own point: a success never wipes the failures of its address
// or account. In memory: a restart forgets, which only helps an attacker who can restart the dashboard.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from '../../../lib/errors';

/** One address: 10 attempts in 15 min, then that address waits 15 min (even with the right password). */
export const ADDRESS_LIMIT = { points: 10, duration: 15 * 60, blockDuration: 15 * 60 };
/** One account, from any addresses: 20 attempts in 15 min, then 1 min of pause. It slows an attack spread over many
 * addresses without locking the owner out for long. */
export const ACCOUNT_LIMIT = { points: 20, duration: 15 * 60, blockDuration: 60 };

/** Over a limit: HTTP 429 with Retry-After (code `forbidden`, as the API has always answered it). */
function tooManyAttempts(retryAfterMs: number): ApiError {
  return new ApiError(
    'forbidden',
    `too many wrong passwords: try again in ${Math.max(1, Math.ceil(retryAfterMs / 60_000))} min`,
    { status: 429, headers: { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) } },
  );
}

export interface Attempt {
  /** The password was right: give back this attempt's points (and only them). */
  succeeded(): Promise<void>;
}

export class LoginLimiter {
  private readonly byAddress = new RateLimiterMemory({ keyPrefix: 'address', ...ADDRESS_LIMIT });
  private readonly byAccount = new RateLimiterMemory({ keyPrefix: 'account', ...ACCOUNT_LIMIT });

  /** Counts one attempt for the address and the account, or throws a 429 ApiError (without counting the account
   * when the address is already over its limit). */
  async attempt(address: string, account: string): Promise<Attempt> {
    const name = account.toLowerCase();
    await take(this.byAddress, address);
    await take(this.byAccount, name);
    return {
      succeeded: async () => {
        await Promise.all([this.byAddress.reward(address, 1), this.byAccount.reward(name, 1)]);
      },
    };
  }
}

async function take(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key, 1);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw tooManyAttempts(e.msBeforeNext);
    throw e;
  }
}
