'use client';
import { sameOriginPath } from '@/lib/redirect';
import { api } from './api';
import { CredentialsForm } from './CredentialsForm';

export function LoginForm({ next }: { next: string | null }) {
  return (
    <CredentialsForm
      label="Sign in"
      passwordLabel="Password"
      submitLabel="Sign in"
      pendingLabel="Signing in…"
      send={(body) => api('auth:login', body)}
      // Only same-origin paths: a `next` leading elsewhere would make the login page an open redirect.
      onDone={() => window.location.assign(sameOriginPath(next, window.location.origin))}
    />
  );
}
