'use client';

import { useEffect, useState } from 'react';
import { api } from '@/components/auth/api';
import { Banner } from '@/components/ui/Banner';
import { Fact } from '@/components/ui/Fact';
import { Panel } from '@/components/ui/Panel';
import type { OutputOf } from '@/lib/api/types';
import { tickText } from './tick-text';

type Info = OutputOf<'director:info'>;

/** How often the panel asks again: the cadence moves while the agent runs. */
const REFRESH_MS = 15_000;

/** Where a director's agent is and what the agent says about itself (read again when the director's status changes,
 * and every REFRESH_MS). */
export function AgentPanel({ director, status }: { director: string; status: string | undefined }) {
  const [info, setInfo] = useState<Info | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const read = () =>
      void api('director:info', { director }).then((r) => {
        if (r.ok) setInfo(r.data);
        else setError(r.error.message);
      });
    read();
    const every = setInterval(read, REFRESH_MS);
    return () => clearInterval(every);
  }, [director, status]);
  const agent = info?.agent;
  return (
    <>
      {error && (
        <Banner tone="danger" title="Could not read the director">
          {error}
        </Banner>
      )}
      <Panel title="Agent" headingId="agent-heading" data-testid="agent-info">
        <dl className="grid grid-cols-2 divide-zinc-100 sm:grid-cols-3 lg:grid-cols-4 dark:divide-zinc-800/70">
          <Fact label="Status">{status ?? '…'}</Fact>
          <Fact label="Address" title={info?.url}>
            {info?.url ?? '…'}
          </Fact>
          <Fact label="Configured in">{info ? (info.source === 'env' ? 'LVS_AGENTS' : 'Directors (UI)') : '…'}</Fact>
          <Fact label="Agent name">{agent?.name ?? '—'}</Fact>
          <Fact label="Reads the table with">
            {agent ? (
              <span title={agent.backendReason}>
                {agent.backend}
                {agent.backendReason && (
                  <span className="text-zinc-500 dark:text-zinc-400"> · {agent.backendReason}</span>
                )}
              </span>
            ) : (
              '—'
            )}
          </Fact>
          <Fact label="Runs TCP checks with" title={agent?.tcpChecks} wrap>
            {agent?.tcpChecks?.replace(/^tcp checks: /, '') ?? '—'}
          </Fact>
          <Fact label="Tick" title={agent ? tickText(agent) : undefined}>
            {agent ? (
              <span className={agent.stretched ? 'text-amber-700 dark:text-amber-400' : undefined}>
                {tickText(agent)}
              </span>
            ) : (
              '—'
            )}
          </Fact>
          <Fact label="Protocol">{agent?.protocol ?? '—'}</Fact>
        </dl>
        {agent?.readError && <p className="px-4 pb-3 text-sm text-red-700 dark:text-red-400">{agent.readError}</p>}
      </Panel>
    </>
  );
}
