import type { AckError } from '@/lib/errors';

const TITLE: Partial<Record<AckError['code'], string>> = {
  kernel: 'The kernel refused the change',
  conflict: 'The table changed meanwhile',
  not_found: 'Not found',
  invalid: 'Invalid input',
  timeout: 'No answer in time',
  unavailable: 'Director unavailable',
};

/** A failed edit: what the kernel said, and exactly what ran. */
export function EditErrorBox({ error }: { error: AckError }) {
  const stderr = error.result?.stderr?.trim();
  // conflict on `epoch`: the agent restarted, and the page already shows the new run's table
  const replaced = error.code === 'conflict' && error.field === 'epoch';
  return (
    <div
      role="alert"
      data-testid="edit-error"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200"
    >
      <div className="font-semibold">
        {replaced ? 'The table was replaced' : (TITLE[error.code] ?? 'The change failed')}
      </div>
      <div className="mt-0.5 break-words">{error.message}</div>
      {replaced ? (
        <div className="mt-1 text-xs">
          The director&rsquo;s agent restarted since you opened this, and the page now shows its table. Check your
          change against it, then submit again to apply.
        </div>
      ) : (
        error.code === 'conflict' && (
          <div className="mt-1 text-xs">
            Someone changed this director&rsquo;s table since you opened this. Check against the live table, then submit
            again to apply.
          </div>
        )
      )}
      {stderr && stderr !== error.message.trim() && (
        <div className="mt-1 font-mono text-xs break-words">ipvsadm: {stderr}</div>
      )}
      {error.result && (
        <div className="mt-1 font-mono text-xs break-all text-red-800/80 dark:text-red-200/70">
          $ {error.result.argv.join(' ')} (exit {error.result.exitCode ?? 'none'})
        </div>
      )}
    </div>
  );
}
