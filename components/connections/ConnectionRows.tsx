// The connection list's header (sortable columns) and rows: a CSS grid per row inside the VirtualList.
import type { CSSProperties } from 'react';
import { formatDuration } from '@/components/ui/format';
import { connectionVirtual, hostPort } from '@/lib/ipvs';
import { PAGE, type Page, type Sort, type SortKey } from './use-connection-pages';

const COLUMNS: { key: SortKey | null; label: string; align?: 'right' }[] = [
  { key: 'protocol', label: 'Proto' },
  { key: 'client', label: 'Client' },
  { key: 'virtual', label: 'Virtual service' },
  { key: 'dest', label: 'Real server' },
  { key: 'state', label: 'State' },
  { key: 'expires', label: 'Expires', align: 'right' },
  { key: null, label: 'Persistence engine' },
];
export const GRID =
  'grid grid-cols-[4rem_minmax(10rem,1.2fr)_minmax(10rem,1fr)_minmax(10rem,1fr)_7.5rem_5rem_minmax(6rem,0.8fr)] items-center';

const STATE_TONE: Record<string, string> = {
  ESTABLISHED: 'text-emerald-700 dark:text-emerald-400',
  SYN_RECV: 'text-amber-700 dark:text-amber-400',
  SYN_SENT: 'text-amber-700 dark:text-amber-400',
};

export function ConnectionHeader({ sort, onSort }: { sort: Sort; onSort: (s: Sort) => void }) {
  return (
    <div
      role="row"
      className={`${GRID} h-8 border-b border-zinc-200 bg-zinc-50 px-3 text-xs font-medium text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400`}
    >
      {COLUMNS.map((col) => {
        const on = col.key !== null && sort.key === col.key;
        return (
          <div
            key={col.label}
            role="columnheader"
            aria-sort={on ? (sort.desc ? 'descending' : 'ascending') : undefined}
            className={col.align === 'right' ? 'text-right' : ''}
          >
            {col.key ? (
              <button
                type="button"
                onClick={() =>
                  onSort({ key: col.key as SortKey, desc: sort.key === col.key ? !sort.desc : col.key === 'expires' })
                }
                className={`inline-flex items-center gap-1 rounded hover:text-zinc-900 dark:hover:text-zinc-100 ${on ? 'text-zinc-900 dark:text-zinc-100' : ''}`}
              >
                {col.label}
                <span aria-hidden="true" className="w-2">
                  {on ? (sort.desc ? '↓' : '↑') : ''}
                </span>
              </button>
            ) : (
              <span className="pl-3">{col.label}</span>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** Row `i` of the list; `age` is how many seconds ago its page's read ended (the expiry counts down from it). */
export function connectionRow(i: number, style: CSSProperties, page: Page | undefined, age: number) {
  const c = page?.rows[i % PAGE];
  if (!c || !page) {
    return (
      <div key={i} role="row" style={style} className={`${GRID} border-b border-zinc-100 px-3 dark:border-zinc-800/60`}>
        <div role="cell" className="col-span-7 h-2.5 w-1/2 rounded bg-zinc-100 dark:bg-zinc-800" />
      </div>
    );
  }
  const left = c.expires - age;
  return (
    <div
      key={i}
      role="row"
      aria-rowindex={i + 2}
      style={style}
      data-testid="conn-row"
      className={`${GRID} border-b border-zinc-100 px-3 font-mono text-[13px] hover:bg-zinc-50 dark:border-zinc-800/60 dark:hover:bg-zinc-800/40`}
    >
      <div role="cell" className="text-xs font-semibold text-zinc-600 uppercase dark:text-zinc-400">
        {c.protocol}
      </div>
      <div role="cell" className="truncate">
        {hostPort(c.clientAddress, c.clientPort)}
        {c.template && (
          <span className="ml-2 rounded bg-violet-100 px-1 font-sans text-[10px] font-semibold text-violet-800 uppercase dark:bg-violet-500/15 dark:text-violet-300">
            template
          </span>
        )}
      </div>
      <div role="cell" className="truncate">
        {connectionVirtual(c)}
      </div>
      <div role="cell" className="truncate" data-testid="conn-dest">
        {hostPort(c.destAddress, c.destPort)}
      </div>
      <div role="cell" className={`truncate text-xs ${STATE_TONE[c.state] ?? 'text-zinc-700 dark:text-zinc-300'}`}>
        {c.state}
      </div>
      <div role="cell" className={`text-right tabular-nums ${left <= 0 ? 'text-zinc-500 dark:text-zinc-400' : ''}`}>
        {formatDuration(left)}
      </div>
      <div role="cell" className="truncate pl-3 text-xs text-zinc-600 dark:text-zinc-400">
        {c.peName ? `${c.peName} ${c.peData ?? ''}` : ''}
      </div>
    </div>
  );
}
