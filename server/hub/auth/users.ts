// Local accounts: name, role, scrypt hash. Names are case-insensitive (stored lower-case).
import { ApiError } from '../../../lib/errors';
import type { Role } from '../../../lib/roles';
import type { Db } from '../store/db';
import { dummyHash, hashPassword, verifyPassword } from './passwords';

export interface User {
  id: number;
  name: string;
  role: Role;
  createdAt: number;
  passwordChangedAt: number;
}

interface UserRow {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  password_changed_at: number;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: r.created_at,
  passwordChangedAt: r.password_changed_at,
});

export class UserStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  private row(name: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE name = ?').get(name.toLowerCase()) as UserRow | undefined;
  }

  get(name: string): User | undefined {
    const r = this.row(name);
    return r && toUser(r);
  }

  byId(id: number): User | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return r && toUser(r);
  }

  list(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(toUser);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  /** The new account; a taken name (in any case) is a `conflict` ApiError about the field `name`. */
  async add(name: string, password: string, role: Role): Promise<User> {
    const hash = await hashPassword(password);
    const now = this.now();
    try {
      const { lastInsertRowid } = this.db
        .prepare(
          'INSERT INTO users (name, role, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(name.toLowerCase(), role, hash, now, now);
      return this.byId(Number(lastInsertRowid)) as User;
    } catch (e) {
      if (e instanceof Error && /UNIQUE/.test(e.message)) {
        throw new ApiError('conflict', `a user named ${name.toLowerCase()} already exists`, { field: 'name' });
      }
      throw e;
    }
  }

  /** The user when the password is right; takes as long for an unknown name as for a wrong password. */
  async verify(name: string, password: string): Promise<User | undefined> {
    const r = this.row(name);
    const ok = await verifyPassword(password, r?.password_hash ?? (await dummyHash()));
    return ok && r ? toUser(r) : undefined;
  }

  async setPassword(id: number, password: string): Promise<void> {
    const hash = await hashPassword(password);
    this.db
      .prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?')
      .run(hash, this.now(), id);
  }

  setRole(id: number, role: Role): void {
    this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, id);
  }

  remove(id: number): void {
    this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
  }

  admins(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin'").get() as { n: number }).n;
  }
}
