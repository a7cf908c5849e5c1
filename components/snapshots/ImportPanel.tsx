'use client';

import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useCan } from '@/components/auth/session';
import { fieldMessage } from '@/components/forms/edit';
import { Button } from '@/components/ui/Button';
import { Panel } from '@/components/ui/Panel';
import { Banner } from '@/components/ui/Banner';
import { Checkbox, Field, TextInput } from '@/components/ui/Field';
import type { AckError } from '@/lib/errors';
import { ApplyPanel, useApplyRunner } from './ApplyPanel';
import { KeepalivedImportDetails } from './KeepalivedImportDetails';
import {
  applyImport,
  applyKeepalived,
  looksLikeKeepalived,
  previewImport,
  previewKeepalived,
  type KeepalivedPreview,
  type TableDiff,
} from './requests';
import { TableDiffView } from './TableDiffView';

const MAX_FILE = 16 * 1024 * 1024;

/**
 * Rules from a file or pasted (ipvsadm -S -n text, this dashboard's JSON export, or a keepalived.conf whose checkers
 * become the agent's checks and whose inexpressible lines are listed): preview what they would change on
 * the live table, then apply them with the minimal plan (admins), watch the progress, and roll back if needed.
 */
export function ImportPanel({ director, onApplied }: { director: string; onApplied: () => Promise<void> | void }) {
  const canPreview = useCan('operator');
  const canApply = useCan('admin');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [diff, setDiff] = useState<TableDiff | null>(null);
  const [keepalived, setKeepalived] = useState<Omit<KeepalivedPreview, 'diff'> | null>(null);
  const [checksError, setChecksError] = useState<string | null>(null);
  const [keepOthers, setKeepOthers] = useState(false);
  const others = keepOthers ? 'keep' : 'remove';
  const isKeepalived = looksLikeKeepalived(text);
  const [error, setError] = useState<AckError | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const runner = useApplyRunner(director, onApplied);
  const busy = runner.state.running || runner.state.rollingBack;
  const runPanel = useRef<HTMLDivElement>(null);

  // The progress and the outcome appear below the fold: bring them into view.
  const { running, reply, rollback } = runner.state;
  useEffect(() => {
    if (running || reply || rollback) runPanel.current?.scrollIntoView({ block: 'end', behavior: 'smooth' });
  }, [running, reply, rollback]);

  function changeText(t: string, file: string | null = null) {
    setText(t);
    setFileName(file);
    setDiff(null);
    setKeepalived(null);
    setChecksError(null);
    setError(null);
  }

  async function readFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > MAX_FILE) {
      setError({ code: 'invalid', message: `${file.name} is over 16 MiB`, field: 'rules' });
      return;
    }
    changeText(await file.text(), file.name);
    if (!name) setName(file.name);
  }

  async function preview() {
    setPreviewing(true);
    setError(null);
    runner.reset();
    setChecksError(null);
    if (isKeepalived) {
      const r = await previewKeepalived(director, text, others);
      setPreviewing(false);
      if (r.ok) {
        const { diff: d, ...rest } = r.data;
        setDiff(d);
        setKeepalived(rest);
      } else {
        setDiff(null);
        setKeepalived(null);
        setError(r.error);
      }
      return;
    }
    const r = await previewImport(director, text);
    setPreviewing(false);
    setKeepalived(null);
    if (r.ok) setDiff(r.data);
    else {
      setDiff(null);
      setError(r.error);
    }
  }

  async function apply() {
    if (!diff) return;
    const planned = diff.plan.length;
    setDiff(null);
    setKeepalived(null);
    const reply = await runner.run(async () => {
      if (!isKeepalived) return applyImport(director, text, name);
      const r = await applyKeepalived(director, text, name, others);
      setChecksError(r.checksError);
      return r.reply;
    }, planned);
    if (!reply.ok && (reply.error.field === 'rules' || reply.error.field === 'config')) setError(reply.error);
  }

  const rulesError =
    error && (error.field === 'rules' || error.field === 'config' || error.field === 'body')
      ? fieldMessage(error)
      : null;
  const otherError = error && !rulesError ? error.message : null;
  const viewerReason = 'Previewing an import needs the operator role';
  return (
    <Panel
      title={`Import rules into ${director}`}
      headingId="import-heading"
      data-testid="import-panel"
      aside={
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          ipvsadm -S -n text, the JSON export or keepalived.conf · preview first, then apply with the smallest plan
          (never a flush)
        </span>
      }
    >
      <div className="space-y-4 px-4 py-3">
        <div className="grid grid-cols-[minmax(0,1fr)_16rem] gap-4">
          <Field
            id="import-rules"
            label={
              <span className="flex items-center gap-2">
                Rules
                {isKeepalived && (
                  <span className="font-normal text-zinc-500 dark:text-zinc-400" data-testid="import-format">
                    keepalived.conf
                  </span>
                )}
                {fileName && (
                  <span className="font-normal text-zinc-500 dark:text-zinc-400" data-testid="import-file">
                    from {fileName}
                  </span>
                )}
              </span>
            }
            error={rulesError}
            hint="Paste here, or choose a file"
          >
            <textarea
              id="import-rules"
              value={text}
              onChange={(e) => changeText(e.target.value)}
              rows={9}
              spellCheck={false}
              placeholder={'-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1'}
              aria-invalid={rulesError ? true : undefined}
              aria-describedby={rulesError ? 'import-rules-error' : 'import-rules-hint'}
              className={`block w-full resize-y rounded-md border bg-white px-2.5 py-2 font-mono text-xs leading-5 text-zinc-900 outline-none placeholder:text-zinc-400 focus:ring-2 dark:bg-zinc-950 dark:text-zinc-100 ${
                rulesError
                  ? 'border-red-400 focus:ring-red-500/30 dark:border-red-500/70'
                  : 'border-zinc-300 focus:border-sky-500 focus:ring-sky-500/30 dark:border-zinc-700'
              }`}
            />
          </Field>
          <div className="space-y-3">
            <div>
              <span className="mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300">File</span>
              <input
                ref={fileInput}
                type="file"
                accept=".rules,.txt,.json,.sav,.save,.conf,text/plain,application/json"
                onChange={readFile}
                className="sr-only"
                data-testid="import-file-input"
                aria-label="Choose a rules, JSON or keepalived.conf file"
              />
              <Button onClick={() => fileInput.current?.click()} className="w-full">
                Choose a file…
              </Button>
            </div>
            <Field id="import-name" label="Name (optional)" hint="Names the import in the history and its snapshot">
              <TextInput id="import-name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
            </Field>
            {isKeepalived && (
              <Checkbox
                id="import-keep-others"
                label="Keep the services the file does not name, as keepalived does"
                checked={keepOthers}
                onChange={(e) => {
                  setKeepOthers(e.target.checked);
                  setDiff(null); // the preview was of the other choice
                  setKeepalived(null);
                }}
              />
            )}
            <div className="flex gap-2">
              <span title={canPreview ? undefined : viewerReason} className="flex-1">
                <Button
                  onClick={preview}
                  disabled={!canPreview || !text.trim() || previewing || busy}
                  className="w-full"
                  data-testid="import-preview"
                >
                  {previewing ? 'Comparing…' : 'Preview'}
                </Button>
              </span>
              <span
                className="flex-1"
                title={
                  !canApply
                    ? 'Applying an import needs the admin role'
                    : !diff
                      ? 'Preview first'
                      : diff.plan.length === 0
                        ? 'Nothing to apply'
                        : undefined
                }
              >
                <Button
                  variant="primary"
                  onClick={apply}
                  disabled={!canApply || !diff || diff.plan.length === 0 || busy}
                  className="w-full"
                  data-testid="import-apply"
                >
                  Apply
                </Button>
              </span>
            </div>
            {!canApply && (
              <p className="text-xs text-zinc-500 dark:text-zinc-400">
                Applying needs the admin role{canPreview ? '; you can preview.' : '.'}
              </p>
            )}
          </div>
        </div>
        {otherError && (
          <Banner tone="danger" title="Could not compare">
            {otherError}
          </Banner>
        )}
        {diff && (
          <div className="border-t border-zinc-200 pt-3 dark:border-zinc-800">
            <h3 className="mb-2 text-sm font-semibold">What applying would change on {director}</h3>
            <TableDiffView diff={diff} />
            {keepalived && <KeepalivedImportDetails preview={keepalived} />}
            {canApply && diff.plan.length > 0 && (
              <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
                Apply saves the live table as an automatic snapshot first, so you can roll back.
              </p>
            )}
          </div>
        )}
        {(runner.state.running || runner.state.reply) && (
          <div ref={runPanel} className="border-t border-zinc-200 pt-3 dark:border-zinc-800" data-testid="import-run">
            <ApplyPanel runner={runner} />
            {checksError && (
              <Banner tone="danger" title="The table was applied, the health checks were not set" className="mt-2">
                {checksError}
              </Banner>
            )}
          </div>
        )}
      </div>
    </Panel>
  );
}
