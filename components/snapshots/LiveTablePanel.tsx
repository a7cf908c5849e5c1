'use client';

import { useState } from 'react';
import { useCan } from '@/components/auth/session';
import { DirectorStatusLine } from '@/components/director/DirectorStatusLine';
import { fieldMessage } from '@/components/forms/edit';
import { useForm } from '@/components/forms/use-form';
import { useDirector, useDirectorHealth } from '@/components/realtime/hooks';
import { Button } from '@/components/ui/Button';
import { Panel } from '@/components/ui/Panel';
import { controlClass } from '@/components/ui/Field';
import { formatCount } from '@/components/ui/format';
import { DownloadIcon, LinkButton } from '@/components/ui/LinkButton';
import type { DirectorSummary } from '@/lib/events';
import { countDestinations } from '@/lib/ipvs';
import { EXPORT_FORMATS, liveExportHref, saveSnapshot } from './requests';

/** The director's live table: its size, downloads in each export format, and "save as a snapshot". */
export function LiveTablePanel({
  director,
  summary,
  onSaved,
}: {
  director: string;
  summary: DirectorSummary | undefined;
  onSaved: () => Promise<void> | void;
}) {
  const canSave = useCan('operator');
  const entry = useDirector(director);
  const health = useDirectorHealth(director, entry, summary);
  const state = entry?.state ?? null;
  const { values, update, failure: error, pending, submit } = useForm({ name: '' }, []);
  const [saved, setSaved] = useState<string | null>(null);
  const save = submit(
    ({ name }) => ({ errors: {}, send: () => saveSnapshot(director, name) }),
    ({ snapshot }) => {
      setSaved(`Saved as #${snapshot.id} “${snapshot.name}”`);
      update({ name: '' });
      void onSaved();
    },
  );

  const destinations = state ? countDestinations(state.services) : 0;
  return (
    <Panel
      title={`Live table of ${director}`}
      headingId="live-heading"
      data-testid="live-table"
      aside={
        <>
          <DirectorStatusLine health={health} />
          <span className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
            {state
              ? `table v${state.version} · ${formatCount(state.services.length)} services · ${formatCount(destinations)} real servers`
              : ''}
          </span>
        </>
      }
    >
      <div className="flex flex-wrap items-start gap-x-8 gap-y-3 px-4 py-3">
        <div>
          <div className="mb-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">Export</div>
          <div className="flex gap-2">
            {EXPORT_FORMATS.map((f) => (
              <LinkButton
                key={f.format}
                href={liveExportHref(director, f.format)}
                download
                title={f.title}
                data-testid={`export-${f.format}`}
              >
                <DownloadIcon />
                {f.label}
              </LinkButton>
            ))}
          </div>
        </div>
        <form
          onSubmit={(e) => {
            setSaved(null);
            void save(e);
          }}
          className="min-w-0"
          aria-label="Save a snapshot"
        >
          <label htmlFor="snapshot-name" className="mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Save the live table as a snapshot
          </label>
          <div
            className="flex items-center gap-2"
            title={canSave ? undefined : 'Saving snapshots needs the operator role'}
          >
            <input
              id="snapshot-name"
              value={values.name}
              onChange={(e) => update({ name: e.target.value })}
              placeholder="before the maintenance window"
              maxLength={100}
              disabled={!canSave}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'snapshot-name-error' : undefined}
              className={controlClass(error ? error.message : null, 'w-72')}
            />
            <Button type="submit" variant="primary" disabled={!canSave || pending || !values.name.trim() || !state}>
              {pending ? 'Saving…' : 'Save snapshot'}
            </Button>
            <span
              id="snapshot-name-error"
              role={error ? 'alert' : 'status'}
              className={`ml-1 text-xs ${error ? 'text-red-600 dark:text-red-400' : canSave ? 'text-emerald-700 dark:text-emerald-400' : 'text-zinc-500 dark:text-zinc-400'}`}
              data-testid="save-status"
            >
              {error ? fieldMessage(error) : !canSave ? 'Needs the operator role.' : (saved ?? '')}
            </span>
          </div>
        </form>
      </div>
    </Panel>
  );
}
