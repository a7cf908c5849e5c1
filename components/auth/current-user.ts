// Server side: the signed-in user the dashboard server passed to Next.js in the x-lvs-user header (it strips any
// value a client sends before setting its own).
import { headers } from 'next/headers';
import { RoleSchema, type SessionUser } from '@/lib/roles';

export async function currentUser(): Promise<SessionUser | null> {
  const raw = (await headers()).get('x-lvs-user');
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { name?: unknown; role?: unknown };
    const role = RoleSchema.safeParse(v.role);
    return typeof v.name === 'string' && role.success ? { name: v.name, role: role.data } : null;
  } catch {
    return null;
  }
}
