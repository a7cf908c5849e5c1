// The first start's setup link: with no account yet, the console prints a link holding a random token that opens a
// page to create the first admin. The token lives only in this process, works once, and (unless allowed otherwise)
// only from the machine itself, so a dashboard reachable from a network cannot be claimed by whoever finds it first.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../../lib/errors';
import type { User, UserStore } from './users';

const refused = (message: string) => new ApiError('forbidden', message, { field: 'token' });

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export class FirstAdminSetup {
  private token: string | null = null;
  /** Accept the link from any address (LVS_SETUP_REMOTE=1), not only 127.0.0.0/8 and ::1. */
  allowRemote = false;

  constructor(private readonly users: UserStore) {}

  /** Is there still no account at all? */
  needed(): boolean {
    return this.users.count() === 0;
  }

  /** A fresh token when no account exists (any earlier one stops working), else null. */
  issue(): string | null {
    this.token = this.needed() ? randomBytes(24).toString('base64url') : null;
    return this.token;
  }

  /** Create the first admin with the link's token; throws an ApiError saying why not (conflict: an account exists;
   * forbidden: the token or the address). */
  async complete(token: string, name: string, password: string, address: string): Promise<User> {
    if (!this.needed()) throw new ApiError('conflict', 'an account exists already: sign in instead');
    if (!this.allowRemote && !LOOPBACK.test(address)) {
      throw refused('the setup link works only from the dashboard machine itself (127.0.0.1)');
    }
    const expected = this.token;
    const given = Buffer.from(token);
    if (expected === null || given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
      throw refused('this setup link is not valid: use the one the dashboard printed at its last start');
    }
    // used up before the (slow) password hash, so that two requests with the same link cannot both create an admin
    this.token = null;
    try {
      return await this.users.add(name, password, 'admin');
    } catch (e) {
      this.token = expected;
      throw e;
    }
  }
}
