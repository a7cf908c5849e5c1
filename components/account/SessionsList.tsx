'use client';

import { useState } from 'react';
import { api } from '@/components/auth/api';
import type { SessionView } from '@/lib/api/contracts';
import { useNow } from '@/components/realtime/hooks';
import { Button } from '@/components/ui/Button';
import { formatAge, formatDateTime } from '@/components/ui/format';
import { shortUserAgent } from './user-agent';
import { TableHead } from '@/components/ui/TableHead';
import { useTimeZone, zoned } from '@/components/ui/useTimeZone';

export type { SessionView };

/** The signed-in person's sessions: where and when, with a button to end each. */
export function SessionsList({ sessions, onEnded }: { sessions: SessionView[] | null; onEnded: () => void }) {
  const zone = useTimeZone();
  const now = useNow();
  const [ending, setEnding] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function end(s: SessionView) {
    setEnding(s.id);
    setError(null);
    const r = s.current ? await api('auth:logout', {}) : await api('auth:end-session', { id: s.id });
    setEnding(null);
    if (!r.ok) return setError(r.error.message);
    if (s.current) window.location.assign('/login');
    else onEnded();
  }

  if (sessions === null)
    return <p className="px-4 py-8 text-center text-sm text-zinc-500 dark:text-zinc-400">Loading sessions…</p>;
  return (
    <>
      <table className="w-full table-fixed text-left text-sm" data-testid="sessions">
        <TableHead
          columns={[
            { label: 'Address', width: 'w-36' },
            { label: 'Client' },
            { label: zoned('Signed in', zone), width: 'w-44' },
            { label: 'Last seen', width: 'w-32' },
            { label: '', width: 'w-28' },
          ]}
        />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {sessions.map((s) => (
            <tr key={s.id} data-testid="session-row" data-current={s.current}>
              <td className="truncate px-3 py-1.5 font-mono text-[13px]">{s.address || '—'}</td>
              <td className="truncate px-3 py-1.5" title={s.userAgent}>
                {shortUserAgent(s.userAgent)}
                {s.current && (
                  <span className="ml-2 rounded bg-sky-50 px-1.5 py-0.5 text-xs font-medium text-sky-800 dark:bg-sky-500/10 dark:text-sky-300">
                    this session
                  </span>
                )}
              </td>
              <td className="px-3 py-1.5 whitespace-nowrap tabular-nums">{formatDateTime(s.createdAt)}</td>
              <td className="px-3 py-1.5 whitespace-nowrap tabular-nums" title={formatDateTime(s.lastSeen)}>
                {now === null ? '' : formatAge(Math.min(s.lastSeen, now), now)}
              </td>
              <td className="px-3 py-1 text-right">
                <Button
                  size="sm"
                  variant="danger-ghost"
                  onClick={() => end(s)}
                  disabled={ending !== null}
                  title={s.current ? 'Sign out of this browser' : 'Sign that browser out'}
                >
                  {ending === s.id ? 'Ending…' : s.current ? 'Sign out' : 'End'}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <p role="alert" className="px-4 py-2 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </>
  );
}
