'use client';

import { useState } from 'react';
import { useCan } from '@/components/auth/session';
import { ApplyOutcomeView, ApplyProgressBar, useApplyProgress } from './ApplyRun';
import { restoreSnapshot, type ApplyReply } from './requests';

interface RunState {
  running: boolean;
  planned: number;
  reply: ApplyReply | null;
  rollingBack: boolean;
  rollback: ApplyReply | null;
}

const IDLE: RunState = { running: false, planned: 0, reply: null, rollingBack: false, rollback: null };

/** One whole-table apply at a time (an import, a restore) with its progress, outcome and roll back. `onApplied`
 * (the snapshot list's reload: the apply added an automatic snapshot) settles before the outcome shows, so the outcome
 * is placed on the page as it will stay. */
export function useApplyRunner(director: string, onApplied: () => Promise<void> | void) {
  const [s, setS] = useState<RunState>(IDLE);
  const progress = useApplyProgress(director, s.running || s.rollingBack);

  async function run(apply: () => Promise<ApplyReply>, planned: number): Promise<ApplyReply> {
    setS({ ...IDLE, running: true, planned });
    const reply = await apply();
    await onApplied();
    setS((p) => ({ ...p, running: false, reply }));
    return reply;
  }

  async function rollbackTo(id: number) {
    setS((p) => ({ ...p, rollingBack: true, rollback: null }));
    const rollback = await restoreSnapshot(id);
    await onApplied();
    setS((p) => ({ ...p, rollingBack: false, rollback }));
  }

  return { state: s, progress, run, rollbackTo, reset: () => setS(IDLE) };
}

export function ApplyPanel({ runner }: { runner: ReturnType<typeof useApplyRunner> }) {
  const canRestore = useCan('admin');
  const { state, progress } = runner;
  if (state.running) return <ApplyProgressBar progress={progress} planned={state.planned} />;
  if (!state.reply) return null;
  return (
    <div className="space-y-3">
      <ApplyOutcomeView
        reply={state.reply}
        rollingBack={state.rollingBack}
        canRollBack={canRestore && state.rollback === null}
        onRollback={(id) => void runner.rollbackTo(id)}
      />
      {state.rollingBack && <ApplyProgressBar progress={progress} planned={0} />}
      {state.rollback && (
        <div className="border-t border-zinc-200 pt-3 dark:border-zinc-800" data-testid="rollback-outcome">
          <h4 className="mb-2 text-sm font-semibold">Roll back</h4>
          <ApplyOutcomeView reply={state.rollback} />
        </div>
      )}
    </div>
  );
}
