'use client';

import { useState } from 'react';
import { api } from '@/components/auth/api';
import { useCan } from '@/components/auth/session';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Panel } from '@/components/ui/Panel';
import type { PairView } from '@/lib/api/pairs';
import { usePairs } from './use-pairs';

const show = (v: unknown) => (v === null ? '—' : Array.isArray(v) ? v.join(',') || '—' : String(v));

/** Every pair with its drift, live; admins can make the second member match the first after seeing the plan. */
export function PairsPanel() {
  const { pairs, reload } = usePairs();
  const [matching, setMatching] = useState<PairView | null>(null);
  const canMatch = useCan('admin');
  if (!pairs?.length) return null;
  const drifting = pairs.filter((p) => p.drift?.items.length).length;

  return (
    <Panel title="Pairs" headingId="pairs-heading" count={pairs.length} data-testid="pairs">
      <p className="px-4 pt-2 text-sm" data-testid="drift-count">
        {drifting === 0
          ? 'No drift'
          : `${drifting} of ${pairs.length} ${pairs.length === 1 ? 'pair' : 'pairs'} drifting`}
      </p>
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
        {pairs.map((p) => {
          const items = p.drift?.items ?? [];
          return (
            <li key={p.name} className="space-y-1 px-4 py-2.5 text-sm" data-pair={p.name}>
              <div className="flex flex-wrap items-center gap-3">
                <span className="font-medium">{p.name}</span>
                <span className="text-zinc-600 dark:text-zinc-400">
                  {p.first} → {p.second} ({p.mode})
                </span>
                <span
                  data-testid="pair-drift"
                  className={
                    items.length
                      ? 'font-medium text-amber-700 dark:text-amber-400'
                      : 'text-emerald-700 dark:text-emerald-400'
                  }
                >
                  {p.drift === null ? `unknown: ${p.unknown}` : items.length ? `${items.length} drift` : 'in step'}
                </span>
                {canMatch && p.drift && p.drift.diff.plan.length > 0 && (
                  <Button size="sm" className="ml-auto" onClick={() => setMatching(p)}>
                    Make {p.second} match
                  </Button>
                )}
              </div>
              {items.length > 0 && (
                <ul className="ml-4 list-disc text-xs text-zinc-700 dark:text-zinc-300">
                  {items.slice(0, 20).map((d, i) => (
                    <li key={i}>
                      {d.kind} {d.target}
                      {d.field ? ` ${d.field}: ${show(d.first)} vs ${show(d.second)}` : ''}
                    </li>
                  ))}
                  {items.length > 20 && <li>… and {items.length - 20} more</li>}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
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
    </Panel>
  );
}
