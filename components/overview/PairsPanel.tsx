'use client';

import { useState } from 'react';
import { api } from '@/components/auth/api';
import { useCan } from '@/components/auth/session';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import type { PairView } from '@/lib/api/pairs';
import type { DirectorSummary } from '@/lib/events';
import type { ServiceFilter } from './DirectorCard';
import { PairGroup } from './PairGroup';

/** The Overview's pairs, each as a group with its members, and how many drift; admins can make the second member
 * match the first after seeing the plan. */
export function PairsPanel({
  pairs,
  reload,
  directors,
  filter,
}: {
  pairs: readonly PairView[];
  reload: () => void;
  directors: ReadonlyMap<string, DirectorSummary>;
  filter: ServiceFilter;
}) {
  const [matching, setMatching] = useState<PairView | null>(null);
  const canMatch = useCan('admin');
  if (pairs.length === 0) return null;
  const drifting = pairs.filter((p) => p.drift?.items.length).length;

  return (
    <div className="space-y-4" data-testid="pairs">
      <p className="text-sm" data-testid="drift-count">
        {pairs.length} {pairs.length === 1 ? 'pair' : 'pairs'}: {drifting === 0 ? 'no drift' : `${drifting} drifting`}
      </p>
      {pairs.map((p) => (
        <PairGroup
          key={p.name}
          pair={p}
          directors={directors}
          filter={filter}
          {...(canMatch ? { onMatch: setMatching } : {})}
        />
      ))}
      {matching?.drift && (
        <ConfirmDialog
          title={`Make ${matching.second} match ${matching.first}?`}
          testId="match-pair"
          confirmLabel="Apply the plan"
          pendingLabel="Applying…"
          onClose={() => setMatching(null)}
          onConfirm={() => api('pair:match', { name: matching.name })}
          onDone={reload}
        >
          <p>
            These {matching.drift.diff.plan.length} operations run on {matching.second} (never a flush; a snapshot is
            taken first):
          </p>
          <pre
            tabIndex={0}
            className="max-h-60 overflow-auto rounded bg-zinc-50 p-2 font-mono text-xs dark:bg-zinc-950"
          >
            {matching.drift.diff.plan.map((a) => `ipvsadm ${a.join(' ')}`).join('\n')}
          </pre>
        </ConfirmDialog>
      )}
    </div>
  );
}
