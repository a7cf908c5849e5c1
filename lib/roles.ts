// Who may do what. Shared by the server (which enforces it) and the browser (which hides or disables what a role
// cannot do; the server refuses it anyway).
import { z } from 'zod';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);

/** viewer: read everything; operator: weights, drain, services and real servers; admin: users, restores, timeouts,
 * sync daemons. Each role can do what the ones before it can. */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export const UserName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(32, 'must be at most 32 characters')
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'letters, digits, ".", "_" and "-" only, starting with a letter or digit');

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** The length bounds only: how guessable it is depends on the account name too (lib/password-strength.ts). */
export const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

/** What the browser knows about the person signed in. */
export interface SessionUser {
  name: string;
  role: Role;
}
