// The e2e accounts: global-setup starts every dashboard with LVS_ADMIN_PASSWORD (account `admin`) and creates one
// account per other role through the API, so the role tests sign in as real users.
import type { Role } from '../../lib/roles';

export const E2E_PASSWORD = 'e2e-password-not-secret';
export const ROLE_ACCOUNTS: Record<Role, string> = { admin: 'admin', operator: 'operator', viewer: 'viewer' };

/** The `lvs_session=...` cookie of a fresh session for the account of this role. */
export async function loginCookie(url: string, role: Role): Promise<string> {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: ROLE_ACCOUNTS[role], password: E2E_PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`e2e: login as ${role}: ${r.status} ${await r.text()}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  if (!cookie) throw new Error('e2e: login set no cookie');
  return cookie;
}

export async function createAccounts(url: string): Promise<void> {
  const admin = await loginCookie(url, 'admin');
  for (const role of ['operator', 'viewer'] as const) {
    const r = await fetch(`${url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ name: ROLE_ACCOUNTS[role], password: E2E_PASSWORD, role }),
    });
    if (r.status !== 201 && r.status !== 409) throw new Error(`e2e: create ${role}: ${r.status} ${await r.text()}`);
  }
}
