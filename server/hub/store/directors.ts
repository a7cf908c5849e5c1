// Directors registered by admins, in SQLite, their agent tokens sealed (director-secrets.ts).
import { ApiError } from '../../../lib/errors';
import type { DirectorConfigInput, DirectorConfigPatch } from '../../../lib/api/director-config';
import type { AgentEndpoint } from '../agent-link-types';
import type { Db } from './db';
import type { SecretBox } from './director-secrets';

export interface StoredDirector {
  name: string;
  url: string;
  fingerprint?: string;
  ca?: string;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
}

interface Row {
  name: string;
  url: string;
  token_sealed: string;
  fingerprint: string | null;
  ca: string | null;
  created_at: number;
  created_by: string;
  updated_at: number;
}

const toStored = (r: Row): StoredDirector => ({
  name: r.name,
  url: r.url,
  ...(r.fingerprint ? { fingerprint: r.fingerprint } : {}),
  ...(r.ca ? { ca: r.ca } : {}),
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
});

export class DirectorStore {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly now: () => number = Date.now,
  ) {}

  list(): StoredDirector[] {
    return (this.db.prepare('SELECT * FROM directors ORDER BY name').all() as Row[]).map(toStored);
  }

  get(name: string): StoredDirector | undefined {
    const r = this.db.prepare('SELECT * FROM directors WHERE name = ?').get(name) as Row | undefined;
    return r && toStored(r);
  }

  /** What the hub connects with: the token opened. */
  endpoint(name: string): AgentEndpoint | undefined {
    const r = this.db.prepare('SELECT * FROM directors WHERE name = ?').get(name) as Row | undefined;
    if (!r) return undefined;
    return {
      name: r.name,
      url: r.url,
      token: this.box.open(r.token_sealed, r.name),
      ...(r.fingerprint ? { fingerprint: r.fingerprint } : {}),
      ...(r.ca ? { ca: r.ca } : {}),
    };
  }

  endpoints(): AgentEndpoint[] {
    return this.list().flatMap((d) => this.endpoint(d.name) ?? []);
  }

  add(d: DirectorConfigInput, by: string): StoredDirector {
    if (this.get(d.name)) throw new ApiError('conflict', `a director named ${d.name} exists`, { field: 'name' });
    const t = this.now();
    this.db
      .prepare(
        'INSERT INTO directors (name, url, token_sealed, fingerprint, ca, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(d.name, d.url, this.box.seal(d.token, d.name), d.fingerprint ?? null, d.ca ?? null, t, by, t);
    return this.get(d.name) as StoredDirector;
  }

  /** Applies the patch to a stored director; undefined when there is none of that name. */
  update(p: DirectorConfigPatch): StoredDirector | undefined {
    const old = this.db.prepare('SELECT * FROM directors WHERE name = ?').get(p.name) as Row | undefined;
    if (!old) return undefined;
    const keep = <T>(v: T | null | undefined, was: T | null): T | null => (v === undefined ? was : v);
    this.db
      .prepare('UPDATE directors SET url = ?, token_sealed = ?, fingerprint = ?, ca = ?, updated_at = ? WHERE name = ?')
      .run(
        p.url,
        p.token === undefined ? old.token_sealed : this.box.seal(p.token, p.name),
        // one way of trusting the certificate at a time: setting one drops the other
        p.ca ? null : keep(p.fingerprint, old.fingerprint),
        p.fingerprint ? null : keep(p.ca, old.ca),
        this.now(),
        p.name,
      );
    return this.get(p.name);
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM directors WHERE name = ?').run(name).changes > 0;
  }
}
