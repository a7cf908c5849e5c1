// Login sessions. The cookie carries a random token; the database keeps only its SHA-256, so a copy of the database
// does not let anyone in. Sessions end after 12 h without use or 7 days after login, on logout, on "log out
// everywhere", on a password change, and when the user is deleted (foreign key).
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/db';

export const IDLE_MS = 12 * 3600_000;
export const MAX_AGE_MS = 7 * 24 * 3600_000;
/** lastSeen is written at most this often per session: not on every Socket.IO event. */
const TOUCH_EVERY_MS = 60_000;

export interface Session {
  id: string;
  userId: number;
  createdAt: number;
  lastSeen: number;
  address: string;
  userAgent: string;
}

interface SessionRow {
  id: string;
  user_id: number;
  created_at: number;
  last_seen: number;
  address: string;
  user_agent: string;
}

const toSession = (r: SessionRow): Session => ({
  id: r.id,
  userId: r.user_id,
  createdAt: r.created_at,
  lastSeen: r.last_seen,
  address: r.address,
  userAgent: r.user_agent,
});

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session; returns the token for the cookie (shown once, never stored). */
  create(userId: number, meta: { address: string; userAgent: string }): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const id = randomBytes(9).toString('base64url');
    const t = this.now();
    this.db
      .prepare(
        'INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen, address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, digest(token), userId, t, t, meta.address, meta.userAgent.slice(0, 200));
    return {
      token,
      session: {
        id,
        userId,
        createdAt: t,
        lastSeen: t,
        address: meta.address,
        userAgent: meta.userAgent.slice(0, 200),
      },
    };
  }

  /** Revokes the session when it has expired (idle or absolute); true when it has. */
  private expired(r: Pick<SessionRow, 'id' | 'last_seen' | 'created_at'>): boolean {
    const t = this.now();
    if (t - r.last_seen <= IDLE_MS && t - r.created_at <= MAX_AGE_MS) return false;
    this.revoke(r.id);
    return true;
  }

  private valid(r: SessionRow | undefined): Session | undefined {
    if (!r || this.expired(r)) return undefined;
    const t = this.now();
    if (t - r.last_seen > TOUCH_EVERY_MS) {
      this.db.prepare('UPDATE sessions SET last_seen = ? WHERE id = ?').run(t, r.id);
      r.last_seen = t;
    }
    return toSession(r);
  }

  /** The live session for a cookie token, or undefined (unknown, expired or revoked). */
  byToken(token: string): Session | undefined {
    return this.valid(
      this.db.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(digest(token)) as SessionRow | undefined,
    );
  }

  byId(id: string): Session | undefined {
    return this.valid(this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined);
  }

  /** Which of `ids` are still live, without counting the check as use (expired ones are revoked). */
  live(ids: readonly string[]): Set<string> {
    const get = this.db.prepare('SELECT id, last_seen, created_at FROM sessions WHERE id = ?');
    return new Set(
      ids.filter((id) => {
        const r = get.get(id) as Pick<SessionRow, 'id' | 'last_seen' | 'created_at'> | undefined;
        return r !== undefined && !this.expired(r);
      }),
    );
  }

  listForUser(userId: number): Session[] {
    const rows = this.db
      .prepare('SELECT * FROM sessions WHERE user_id = ? ORDER BY last_seen DESC')
      .all(userId) as SessionRow[];
    return rows.map((r) => this.valid(r)).filter((s): s is Session => s !== undefined);
  }

  revoke(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
  }

  /** Ends every session of the user (except `keep`); returns the ids ended so live sockets can be closed. */
  revokeAllForUser(userId: number, keep?: string): string[] {
    const ids = (this.db.prepare('SELECT id FROM sessions WHERE user_id = ?').all(userId) as { id: string }[])
      .map((r) => r.id)
      .filter((id) => id !== keep);
    const del = this.db.prepare('DELETE FROM sessions WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => del.run(id)))();
    return ids;
  }
}
