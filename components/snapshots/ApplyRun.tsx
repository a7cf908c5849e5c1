'use client';

import { useEffect, useState } from 'react';
import { useSessionUser } from '@/components/auth/session';
import { getSocket } from '@/components/realtime/socket';
import { Banner } from '@/components/ui/Banner';
import { Button } from '@/components/ui/Button';
import { shellLine } from '@/components/ui/format';
import type { ApplyProgressEvent } from '@/lib/events';
import type { ApplyReply } from './requests';

/** The last apply:progress event of this person's apply on this director while `running`. */
export function useApplyProgress(director: string, running: boolean): ApplyProgressEvent | null {
  const user = useSessionUser();
  const [last, setLast] = useState<ApplyProgressEvent | null>(null);
  useEffect(() => {
    if (!running) return;
    setLast(null);
    const socket = getSocket();
    const on = (p: ApplyProgressEvent) => {
      if (p.director === director && p.user === user?.name) setLast(p);
    };
    socket.on('apply:progress', on);
    return () => {
      socket.off('apply:progress', on);
    };
  }, [director, running, user?.name]);
  return running ? last : null;
}

export function ApplyProgressBar({ progress, planned }: { progress: ApplyProgressEvent | null; planned: number }) {
  const total = progress?.total ?? planned;
  const done = progress ? progress.step + 1 : 0;
  const pct = total > 0 ? Math.round((done / total) * 100) : 0;
  return (
    <div className="space-y-1" data-testid="apply-progress" role="status">
      <div className="flex justify-between text-xs text-zinc-600 dark:text-zinc-400">
        <span>
          Applying… {done} of {total} operations
        </span>
        <span className="tabular-nums">{pct}%</span>
      </div>
      <div className="h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800">
        <div className="h-full rounded-full bg-sky-500 transition-[width]" style={{ width: `${pct}%` }} />
      </div>
      <p className="h-5 truncate font-mono text-xs text-zinc-500 dark:text-zinc-400">
        {progress ? `${progress.result.ok ? 'done' : 'failed'}: ${shellLine(progress.result.argv)}` : ''}
      </p>
    </div>
  );
}

/**
 * How an apply ended: each operation with its result (the kernel's error text when it failed), the operations that
 * never ran after a failure, and a roll back to the automatic snapshot the server took first.
 */
export function ApplyOutcomeView({
  reply,
  onRollback,
  rollingBack = false,
  canRollBack = false,
}: {
  reply: ApplyReply;
  /** Absent: no roll back offered (the outcome of a roll back itself). */
  onRollback?: (snapshotId: number) => void;
  rollingBack?: boolean;
  canRollBack?: boolean;
}) {
  if (!reply.ok)
    return (
      <Banner tone="danger" title="Nothing was applied" testId="apply-error">
        {reply.error.message}
      </Banner>
    );
  const { results, plan, snapshot } = reply.outcome;
  const failed = results.find((r) => !r.ok);
  const skipped = plan.length - results.length;
  return (
    <div className="space-y-2" data-testid="apply-outcome" data-failed={failed ? 'true' : 'false'}>
      <Banner
        tone={failed ? 'danger' : 'success'}
        title={
          failed
            ? `Stopped at operation ${results.length} of ${plan.length}: the kernel refused it`
            : plan.length === 0
              ? 'Nothing to do: the table already matched'
              : `Applied: ${results.length} ${results.length === 1 ? 'operation' : 'operations'}, all ok`
        }
      >
        {failed && results.length === 1 ? 'Nothing was changed. ' : ''}
        {snapshot
          ? `The live table before this change is saved as the automatic snapshot "${snapshot.name}" (#${snapshot.id}).`
          : 'No snapshot was needed.'}
      </Banner>
      {results.length > 0 && (
        <ol
          className="max-h-64 overflow-auto rounded border border-zinc-200 font-mono text-xs leading-5 dark:border-zinc-800"
          data-testid="apply-results"
        >
          {results.map((r, i) => (
            <li
              key={i}
              data-ok={r.ok}
              className={`flex gap-2 px-2 py-0.5 ${r.ok ? '' : 'bg-red-50 dark:bg-red-500/10'}`}
            >
              <span
                className={`w-10 shrink-0 font-sans font-semibold ${r.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}
              >
                {r.ok ? 'ok' : 'failed'}
              </span>
              <span className="min-w-0">
                <span className="break-all">{shellLine(r.argv)}</span>
                {!r.ok && (
                  <span className="block font-sans text-red-700 dark:text-red-300" data-testid="apply-kernel-error">
                    {r.stderr.trim() || `exit code ${r.exitCode ?? '?'}`}
                  </span>
                )}
              </span>
            </li>
          ))}
          {skipped > 0 && (
            <li className="px-2 py-0.5 font-sans text-zinc-500 dark:text-zinc-400">
              {skipped} more {skipped === 1 ? 'operation' : 'operations'} not run after the failure
            </li>
          )}
        </ol>
      )}
      {snapshot && onRollback && (
        <div className="flex items-center gap-3">
          <Button
            onClick={() => onRollback(snapshot.id)}
            disabled={rollingBack || !canRollBack}
            title={canRollBack ? `Restore snapshot #${snapshot.id}` : 'Rolling back needs the admin role'}
            data-testid="rollback"
          >
            {rollingBack ? 'Rolling back…' : 'Roll back'}
          </Button>
          <span className="text-xs text-zinc-500 dark:text-zinc-400">
            restores the table as it was before, from snapshot #{snapshot.id}
          </span>
        </div>
      )}
    </div>
  );
}
