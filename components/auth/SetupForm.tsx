'use client';
import { api } from './api';
import { CredentialsForm } from './CredentialsForm';

/** The first admin's name and password, sent with the setup link's token; signs them in on success. */
export function SetupForm({ token }: { token: string }) {
  if (!token) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300">
        This page needs the link the dashboard printed on its console (it ends in ?token=...).
      </p>
    );
  }
  return (
    <CredentialsForm
      label="Create the first admin"
      initialName="admin"
      newPassword
      passwordLabel="Password (at least 10 characters)"
      submitLabel="Create admin and sign in"
      pendingLabel="Creating…"
      send={(c) => api('setup:complete', { token, ...c })}
      onDone={() => window.location.assign('/')}
    />
  );
}
