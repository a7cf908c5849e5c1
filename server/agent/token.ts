// The agent token: given by flag/env, or generated on first start and stored with mode 0600.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function loadOrCreateToken(file: string): { token: string; created: boolean } {
  try {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, 0o600); // never leave it readable by others
    const token = readFileSync(file, 'utf8').trim();
    if (token.length < 16) throw new Error(`token file ${file} holds fewer than 16 characters`);
    return { token, created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' });
  return { token, created: true };
}

export function tokenMatches(given: unknown, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, if that is what the header holds. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer (\S+)$/i.exec(header ?? '');
  return m?.[1];
}
