'use client';

import { useEffect, useState } from 'react';
import { api } from '@/components/auth/api';
import { Banner } from '@/components/ui/Banner';
import { Fact } from '@/components/ui/Fact';
import { Panel } from '@/components/ui/Panel';
import type { OutputOf } from '@/lib/api/types';

type Info = OutputOf<'director:info'>;

/** Where a director's agent is and what the agent says about itself (read again when the director's status changes). */
export function AgentPanel({ director, status }: { director: string; status: string | undefined }) {
  const [info, setInfo] = useState<Info | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api('director:info', { director }).then((r) => {
      if (r.ok) setInfo(r.data);
      else setError(r.error.message);
    });
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
        <dl className="grid grid-cols-2 divide-zinc-100 sm:grid-cols-3 lg:grid-cols-7 dark:divide-zinc-800/70">
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
          <Fact label="Tick">{agent ? `${agent.tickMs} ms` : '—'}</Fact>
          <Fact label="Protocol">{agent?.protocol ?? '—'}</Fact>
        </dl>
        {agent?.readError && <p className="px-4 pb-3 text-sm text-red-700 dark:text-red-400">{agent.readError}</p>}
      </Panel>
    </>
  );
}
