'use client';

import { useState } from 'react';
import { shellLine } from '@/components/ui/format';
import type { AuditEntry } from './audit';
import { fieldDiff, rulesDiff, wordDiff, type ChangeKind, type FieldRow, type RuleRow } from './diff';

const ROW_TONE: Record<ChangeKind, string> = {
  same: 'text-zinc-500 dark:text-zinc-400',
  changed: 'bg-amber-50 text-amber-950 dark:bg-amber-500/10 dark:text-amber-100',
  added: 'bg-emerald-50 text-emerald-950 dark:bg-emerald-500/10 dark:text-emerald-100',
  removed: 'bg-red-50 text-red-950 dark:bg-red-500/10 dark:text-red-100',
};
const MARK: Record<ChangeKind, string> = { same: ' ', changed: '~', added: '+', removed: '−' };
/** Up to this many unchanged lines are shown; beyond, they fold behind a button. */
const SHOW_SAME_UP_TO = 8;

function FieldTable({ rows }: { rows: FieldRow[] }) {
  const [all, setAll] = useState(false);
  const same = rows.filter((r) => r.kind === 'same').length;
  const fold = same > SHOW_SAME_UP_TO && !all;
  const shown = fold ? rows.filter((r) => r.kind !== 'same') : rows;
  if (rows.length === 0) return <p className="text-xs text-zinc-500 dark:text-zinc-400">No configuration recorded.</p>;
  return (
    <div>
      <table className="w-full table-fixed text-left font-mono text-xs" data-testid="field-diff">
        <colgroup>
          <col className="w-[38%]" />
          <col />
          <col />
        </colgroup>
        <thead className="font-sans text-[11px] text-zinc-500 dark:text-zinc-400">
          <tr>
            <th className="py-1 pr-3 font-medium">Field</th>
            <th className="py-1 pr-3 font-medium">Before</th>
            <th className="py-1 font-medium">After</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.path} data-kind={r.kind} className={ROW_TONE[r.kind]}>
              <td className="truncate py-0.5 pr-3 pl-1.5" title={r.path}>
                {r.path}
              </td>
              <td
                className={`truncate py-0.5 pr-3 ${r.kind === 'changed' ? 'line-through decoration-1 opacity-70' : ''}`}
              >
                {r.before ?? '—'}
              </td>
              <td className={`truncate py-0.5 ${r.kind === 'changed' ? 'font-semibold' : ''}`}>{r.after ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {same > SHOW_SAME_UP_TO && (
        <button
          type="button"
          onClick={() => setAll(!all)}
          className="mt-1 text-xs text-sky-700 hover:underline dark:text-sky-400"
        >
          {all ? 'Hide unchanged fields' : `Show ${same} unchanged fields`}
        </button>
      )}
    </div>
  );
}

function Words({ words, tone }: { words: [string, boolean][]; tone: string }) {
  return (
    <>
      {words.map(([w, differs], i) => (
        <span key={i}>
          {i > 0 && ' '}
          {differs ? <mark className={`rounded-sm px-0.5 ${tone}`}>{w}</mark> : w}
        </span>
      ))}
    </>
  );
}

function RuleLine({ r }: { r: RuleRow }) {
  if (r.kind === 'changed' && r.before !== null && r.after !== null) {
    const w = wordDiff(r.before, r.after);
    return (
      <div data-kind="changed" className={ROW_TONE.changed}>
        <div className="px-1.5 opacity-75">
          <span className="mr-2 select-none">−</span>
          <Words words={w.before} tone="bg-red-200/80 text-red-950 dark:bg-red-500/30 dark:text-red-100" />
        </div>
        <div className="px-1.5">
          <span className="mr-2 select-none">+</span>
          <Words
            words={w.after}
            tone="bg-emerald-200/80 text-emerald-950 dark:bg-emerald-500/30 dark:text-emerald-100"
          />
        </div>
      </div>
    );
  }
  return (
    <div data-kind={r.kind} className={`px-1.5 ${ROW_TONE[r.kind]}`}>
      <span className="mr-2 select-none">{MARK[r.kind]}</span>
      {r.after ?? r.before}
    </div>
  );
}

function RulesView({ before, after }: { before: string; after: string }) {
  const [all, setAll] = useState(false);
  const rows = rulesDiff(before, after);
  const same = rows.filter((r) => r.kind === 'same').length;
  const shown = all ? rows : rows.filter((r) => r.kind !== 'same');
  return (
    <div>
      <div
        className="max-h-80 overflow-auto rounded border border-zinc-200 py-1 font-mono text-xs leading-5 whitespace-pre dark:border-zinc-800"
        data-testid="rules-diff"
      >
        {shown.length === 0 ? (
          <div className="px-1.5 font-sans text-zinc-500 dark:text-zinc-400">No difference in the rules.</div>
        ) : (
          shown.map((r, i) => <RuleLine key={`${r.key}-${i}`} r={r} />)
        )}
      </div>
      {same > 0 && (
        <button
          type="button"
          onClick={() => setAll(!all)}
          className="mt-1 text-xs text-sky-700 hover:underline dark:text-sky-400"
        >
          {all ? 'Hide unchanged lines' : `Show ${same} unchanged lines`}
        </button>
      )}
    </div>
  );
}

function Change({ entry }: { entry: AuditEntry }) {
  const { before, after } = entry;
  if (typeof before === 'string' || typeof after === 'string')
    return (
      <RulesView before={typeof before === 'string' ? before : ''} after={typeof after === 'string' ? after : ''} />
    );
  if (before === null && after === null)
    return (
      <p className="text-xs text-zinc-500 dark:text-zinc-400">No configuration change recorded (counters only).</p>
    );
  return <FieldTable rows={fieldDiff(before, after)} />;
}

/** The expanded part of an audit row: what changed and the ipvsadm commands that ran. */
export function AuditDetails({ entry }: { entry: AuditEntry }) {
  return (
    <div className="grid grid-cols-[minmax(0,3fr)_minmax(0,2fr)] gap-6 px-4 py-3" data-testid="audit-details">
      <section aria-label="Before and after">
        <h3 className="mb-1.5 text-xs font-semibold text-zinc-600 dark:text-zinc-300">
          Before → after
          <span className="ml-2 font-normal text-zinc-500 dark:text-zinc-400">
            <span className="text-amber-700 dark:text-amber-400">~ changed</span> ·{' '}
            <span className="text-emerald-700 dark:text-emerald-400">+ added</span> ·{' '}
            <span className="text-red-700 dark:text-red-400">− removed</span>
          </span>
        </h3>
        <Change entry={entry} />
      </section>
      <section aria-label="ipvsadm commands">
        <h3 className="mb-1.5 text-xs font-semibold text-zinc-600 dark:text-zinc-300">
          ipvsadm commands{' '}
          <span className="font-normal text-zinc-500 dark:text-zinc-400">
            ({entry.argv.length}
            {entry.status === 'pending' ? ', planned' : ''})
          </span>
        </h3>
        {entry.argv.length === 0 ? (
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            {entry.source === 'external' ? 'Made outside the dashboard: no commands known.' : 'None ran.'}
          </p>
        ) : (
          <pre
            tabIndex={0}
            className="max-h-80 overflow-auto rounded border border-zinc-200 bg-zinc-50 px-2 py-1.5 font-mono text-xs leading-5 dark:border-zinc-800 dark:bg-zinc-950"
            data-testid="audit-argv"
          >
            {entry.argv.map((a) => shellLine(a)).join('\n')}
          </pre>
        )}
        {entry.note && entry.status === 'ok' && (
          <p className="mt-2 text-xs break-words text-zinc-600 dark:text-zinc-300" data-testid="audit-note">
            {entry.note}
          </p>
        )}
        {entry.error && (
          <p className="mt-2 text-xs break-words text-red-700 dark:text-red-400" data-testid="audit-error-detail">
            {entry.error}
          </p>
        )}
      </section>
    </div>
  );
}
