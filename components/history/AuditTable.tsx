'use client';

import { Fragment, useState } from 'react';
import { formatClock, formatDate, formatUtc } from '@/components/ui/format';
import { useTimeZone, zoned } from '@/components/ui/useTimeZone';
import { TableHead, WIDE_ONLY, type Column } from '@/components/ui/TableHead';
import type { AuditEntry, AuditStatus } from './audit';
import { AuditDetails } from './AuditDetails';
import { fieldDiff } from './diff';

const OPERATION: Record<string, string> = {
  'set-weight': 'set weight',
  drain: 'drain',
  'add-service': 'add service',
  'edit-service': 'edit service',
  'delete-service': 'delete service',
  'add-destination': 'add real server',
  'edit-destination': 'edit real server',
  'delete-destination': 'remove real server',
  'set-timeouts': 'set timeouts',
  zero: 'zero counters',
  'start-daemon': 'start sync daemon',
  'stop-daemon': 'stop sync daemon',
  apply: 'apply rules',
  'external-change': 'external change',
  'health-check-config': 'set health check',
  'health-transition': 'health',
  'health-edit': 'health-check edit',
  'health-quorum': 'quorum',
  'health-hook': 'quorum hook',
  'drain-remove': 'remove drained',
};

const SOURCE: Record<AuditEntry['source'], string> = {
  ui: 'UI',
  api: 'API',
  restore: 'import / restore',
  external: 'outside',
  'health-check': 'health check',
  drain: 'drain',
};

const STATUS: Record<AuditStatus, { label: string; className: string }> = {
  ok: {
    label: 'ok',
    className: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300',
  },
  partial: {
    label: 'partial',
    className: 'bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-500/10 dark:text-amber-300',
  },
  error: { label: 'error', className: 'bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300' },
  pending: {
    label: 'pending',
    className: 'bg-zinc-100 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-500/10 dark:text-zinc-300',
  },
};

function Who({ user }: { user: string }) {
  if (user === 'external')
    return (
      <span
        className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-500/15 dark:text-amber-200"
        title="Changed outside the dashboard (ipvsadm, keepalived, …): seen when the table moved"
      >
        external
      </span>
    );
  return <span className="font-medium">{user}</span>;
}

/** `tcp/10.1.0.10:80|10.2.0.11:80` reads as the service, then its real server; an apply's target is prose. */
function Target({ target }: { target: string }) {
  const [service = '', dest] = target.split('|');
  if (!/^(tcp|udp|sctp|fwmark6?)\//.test(service)) return <span title={target}>{target}</span>;
  return (
    <span className="font-mono text-[13px] [overflow-wrap:anywhere]" title={target}>
      {service}
      {dest !== undefined && (
        <>
          <wbr />
          <span className="mx-1 text-zinc-400 dark:text-zinc-500">›</span>
          <wbr />
          {dest}
        </>
      )}
    </span>
  );
}

/** The gist of a change for its row: "weight 1 → 6", "added", "4 operations". */
export function changeGist(e: AuditEntry): string {
  if (typeof e.before === 'string' || typeof e.after === 'string')
    return `${e.argv.length} ${e.argv.length === 1 ? 'operation' : 'operations'}`;
  if (e.before === null && e.after === null) return '';
  if (e.before === null) return 'added';
  if (e.after === null) return 'removed';
  const changed = fieldDiff(e.before, e.after).filter((r) => r.kind !== 'same');
  // The target column already names the service.
  const local = (path: string) => (path.startsWith(`${e.target} › `) ? path.slice(e.target.length + 3) : path);
  const shown = changed.slice(0, 2).map((r) => `${local(r.path)} ${r.before ?? '—'} → ${r.after ?? '—'}`);
  return changed.length > 2 ? `${shown.join(', ')} +${changed.length - 2} more` : shown.join(', ');
}

/** One clock for a change, here and in the service page's log: when the director confirmed it (the dashboard server's
 * clock as the agent's answer arrived); a change still pending shows when it was asked. */
export function changeTime(e: Pick<AuditEntry, 'time' | 'finishedAt'>): number {
  return e.finishedAt ?? e.time;
}

function timeTitle(e: AuditEntry): string {
  const asked = `asked ${formatUtc(e.time)}`;
  return e.finishedAt === null ? `${asked}, not confirmed yet` : `confirmed ${formatUtc(e.finishedAt)} · ${asked}`;
}

const TIME_TITLE = 'When the director confirmed the change (a pending change: when it was asked); UTC on hover';

const columns = (zone: string | null): readonly Column[] => [
  { label: <span className="sr-only">Details</span>, width: 'w-9' },
  { label: zoned('Time', zone), width: 'w-44', title: TIME_TITLE },
  { label: 'User', width: 'w-28' },
  { label: 'Source', width: 'w-32', wideOnly: true },
  { label: 'Director', width: 'w-24' },
  { label: 'Operation', width: 'w-36' },
  { label: 'Target' },
  { label: 'Result', width: 'w-48 xl:w-80' },
];

export function AuditTable({ entries }: { entries: readonly AuditEntry[] }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const zone = useTimeZone();
  const auditColumns = columns(zone);
  const toggle = (id: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <table className="w-full table-fixed text-left text-sm" data-testid="audit-table">
      <TableHead columns={auditColumns} />
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
        {entries.map((e) => {
          const expanded = open.has(e.id);
          const status = STATUS[e.status];
          return (
            <Fragment key={e.id}>
              <tr
                data-audit={e.id}
                data-testid="audit-row"
                data-status={e.status}
                onClick={(ev) => {
                  if (!(ev.target as HTMLElement).closest('button')) toggle(e.id);
                }}
                className={`cursor-pointer align-top hover:bg-sky-50/60 dark:hover:bg-sky-500/5 ${expanded ? 'bg-zinc-50 dark:bg-zinc-800/40' : ''}`}
              >
                <td className="px-2 py-1.5">
                  <button
                    type="button"
                    onClick={() => toggle(e.id)}
                    aria-expanded={expanded}
                    aria-label={`${expanded ? 'Hide' : 'Show'} the details of change ${e.id}`}
                    className="rounded p-0.5 text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:hover:bg-zinc-700 dark:hover:text-zinc-100"
                  >
                    <svg
                      viewBox="0 0 20 20"
                      fill="currentColor"
                      aria-hidden="true"
                      className={`size-4 transition-transform ${expanded ? 'rotate-90' : ''}`}
                    >
                      <path d="M7.2 4.2a.75.75 0 0 1 1.06 0l5.25 5.25a.75.75 0 0 1 0 1.06L8.26 15.8a.75.75 0 1 1-1.06-1.06L11.93 10 7.2 5.27a.75.75 0 0 1 0-1.06Z" />
                    </svg>
                  </button>
                </td>
                <td
                  className="px-3 py-1.5 whitespace-nowrap tabular-nums"
                  title={timeTitle(e)}
                  data-testid="audit-time"
                >
                  <span className="text-zinc-600 dark:text-zinc-400">{formatDate(changeTime(e))}</span>{' '}
                  {formatClock(changeTime(e))}
                </td>
                <td className="truncate px-3 py-1.5" data-testid="audit-user">
                  <Who user={e.user} />
                </td>
                <td className={`${WIDE_ONLY} truncate px-3 py-1.5 text-zinc-600 dark:text-zinc-400`}>
                  {SOURCE[e.source] ?? e.source}
                </td>
                <td className="truncate px-3 py-1.5">{e.director}</td>
                <td className="truncate px-3 py-1.5" data-testid="audit-operation" title={e.operation}>
                  {OPERATION[e.operation] ?? e.operation}
                </td>
                {/* wraps rather than cuts: the real server and what changed are the point of the row */}
                <td className="px-3 py-1.5" data-testid="audit-target">
                  <Target target={e.target} />
                  <span className="ml-2 inline-block text-xs text-zinc-500 dark:text-zinc-400" data-testid="audit-gist">
                    {changeGist(e)}
                  </span>
                </td>
                <td className="px-3 py-1.5" data-testid="audit-result">
                  <div className="flex min-w-0 items-start gap-2">
                    <span
                      className={`mt-px inline-flex shrink-0 items-center rounded-md px-1.5 py-px text-xs font-medium ring-1 ring-inset ${status.className}`}
                    >
                      {status.label}
                    </span>
                    {e.error && (
                      <span
                        className="line-clamp-2 min-w-0 text-xs break-words text-red-700 dark:text-red-400"
                        title={e.error}
                        data-testid="audit-error"
                      >
                        {e.error}
                      </span>
                    )}
                  </div>
                </td>
              </tr>
              {expanded && (
                <tr className="bg-zinc-50/70 dark:bg-zinc-900/60">
                  <td colSpan={auditColumns.length} className="border-t border-zinc-100 p-0 dark:border-zinc-800/70">
                    <AuditDetails entry={e} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
