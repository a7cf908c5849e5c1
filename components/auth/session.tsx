'use client';
// The person signed in, as the server saw them when it rendered the page (the dashboard server puts them in a
// request header after checking the session cookie). Components use it to hide or disable what the role cannot do;
// the server refuses those requests anyway.
import { createContext, useContext, type ReactNode } from 'react';
import { roleAtLeast, type Role, type SessionUser } from '@/lib/roles';

const SessionContext = createContext<SessionUser | null>(null);

export function SessionProvider({ user, children }: { user: SessionUser | null; children: ReactNode }) {
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

export function useSessionUser(): SessionUser | null {
  return useContext(SessionContext);
}

/** True when the signed-in person has at least this role. */
export function useCan(role: Role): boolean {
  const user = useSessionUser();
  return user !== null && roleAtLeast(user.role, role);
}
