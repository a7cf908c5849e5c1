'use client';

import { useCallback, useEffect, useState } from 'react';
import { api } from '@/components/auth/api';
import { useSessionUser } from '@/components/auth/session';
import { Banner } from '@/components/ui/Banner';
import { Button } from '@/components/ui/Button';
import { PasswordForm } from './PasswordForm';
import { ROLE_CAN } from './role-text';
import { SessionsList, type SessionView } from './SessionsList';
import { PageHeader } from '@/components/ui/PageHeader';
import { Panel } from '@/components/ui/Panel';

/** The signed-in person: who they are, their password, and where they are signed in. */
export function AccountView() {
  const user = useSessionUser();
  const [sessions, setSessions] = useState<SessionView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);

  const reload = useCallback(() => {
    void api('auth:sessions', {}).then((r) => {
      if (r.ok)
        setSessions(
          [...r.data.sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeen - a.lastSeen),
        );
      else setError(r.error.message);
    });
  }, []);
  useEffect(reload, [reload]);

  async function signOutEverywhere() {
    setLeaving(true);
    const r = await api('auth:logout-all', {});
    if (!r.ok) {
      setLeaving(false);
      return setError(r.error.message);
    }
    window.location.assign('/login');
  }

  if (!user) return null;
  return (
    <div className="space-y-4">
      <PageHeader title="Account" description="Your password and the browsers signed in as you." />
      {/* Under 1280 px the sessions take the whole width below (beside the forms, their client column was ~30 px) */}
      <div className="grid grid-cols-1 items-start gap-4 xl:grid-cols-[22rem_minmax(0,1fr)]">
        <div className="grid grid-cols-2 items-start gap-4 xl:grid-cols-1">
          <Panel title="You" headingId="me-heading">
            <dl className="space-y-2 px-4 py-3 text-sm">
              <div className="flex gap-3">
                <dt className="w-12 text-zinc-500 dark:text-zinc-400">Name</dt>
                <dd className="font-medium" data-testid="account-name">
                  {user.name}
                </dd>
              </div>
              <div className="flex gap-3">
                <dt className="w-12 text-zinc-500 dark:text-zinc-400">Role</dt>
                <dd>
                  <span
                    className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200"
                    data-testid="account-role"
                  >
                    {user.role}
                  </span>
                  <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{ROLE_CAN[user.role]}</p>
                </dd>
              </div>
            </dl>
          </Panel>
          <Panel title="Change password" headingId="pw-heading">
            <div className="px-4 py-3">
              <PasswordForm userName={user.name} onChanged={reload} />
            </div>
          </Panel>
        </div>
        <Panel
          title="Active sessions"
          headingId="sessions-heading"
          count={sessions ? sessions.length : null}
          className="overflow-hidden"
          aside={
            <>
              <span className="text-xs text-zinc-500 dark:text-zinc-400">
                end after 12 h unused or 7 days after sign-in
              </span>
              <Button
                size="sm"
                className="ml-auto text-red-700! dark:text-red-400!"
                onClick={signOutEverywhere}
                disabled={leaving}
                data-testid="logout-all"
              >
                {leaving ? 'Signing out…' : 'Sign out everywhere'}
              </Button>
            </>
          }
        >
          {error && (
            <div className="px-4 pt-3">
              <Banner tone="danger" title="Something went wrong">
                {error}
              </Banner>
            </div>
          )}
          <SessionsList sessions={sessions} onEnded={reload} />
        </Panel>
      </div>
    </div>
  );
}
