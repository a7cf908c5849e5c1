'use client';
import { useEffect, useState } from 'react';
import { api } from './api';

/** On the sign-in page while no account exists: says so, and where the setup link is. */
export function NoAccountNotice() {
  const [needed, setNeeded] = useState(false);
  useEffect(() => {
    void api('setup:status', {}).then((r) => setNeeded(r.ok && r.data.needed));
  }, []);
  if (!needed) return null;
  return (
    <div
      role="status"
      className="mb-5 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:bg-sky-950/60 dark:text-sky-100"
    >
      <p className="font-medium">No account exists yet.</p>
      <p className="mt-1">
        The dashboard printed a one-time setup link on its console when it started (
        <code className="text-xs">lvs-dashboard: no account yet…</code>): open it on this machine to create the first
        admin. Or start it with <code className="text-xs">LVS_ADMIN_PASSWORD</code>, or run{' '}
        <code className="text-xs">npm run user -- add NAME --role admin</code>.
      </p>
    </div>
  );
}
