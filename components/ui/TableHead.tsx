// The column widths and header row of the dashboard's data tables (services, real servers, accounts, snapshots).
import type { ReactNode } from 'react';

export interface Column {
  /** Header content; an empty label becomes a screen-reader-only "Actions". */
  label: ReactNode;
  /** Hover text explaining the column. */
  title?: string;
  /** Tailwind width class of the column (w-44); none: the column takes the remaining space. */
  width?: string;
  align?: 'left' | 'right';
  /** Stays in place while the table scrolls sideways (the first column); its cells need the same class. */
  sticky?: boolean;
  /** Shown only from the xl breakpoint (1280 px) up; its cells need WIDE_ONLY. */
  wideOnly?: boolean;
}

/** Cells of the first column, fixed while a table wider than its frame scrolls sideways: opaque, above the others. */
export const STICKY_CELL = 'sticky left-0 z-10 border-r border-zinc-200 dark:border-zinc-800';
/** Cells of a column shown only from 1280 px up. */
export const WIDE_ONLY = 'hidden xl:table-cell';

const TH = 'py-2 font-medium whitespace-nowrap';

/** `dense`: narrower cell padding, for tables with many columns (the Overview's services). */
export function TableHead({ columns, dense = false }: { columns: readonly Column[]; dense?: boolean }) {
  return (
    <>
      <colgroup>
        {columns.map((c, i) => (
          <col key={i} className={c.wideOnly ? `${c.width ?? ''} hidden xl:table-column` : c.width} />
        ))}
      </colgroup>
      <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
        <tr>
          {columns.map((c, i) => (
            <th
              key={i}
              scope="col"
              title={c.title}
              className={[
                TH,
                dense ? 'px-2' : 'px-3',
                c.align === 'right' && 'text-right',
                c.sticky && `${STICKY_CELL} bg-zinc-50 dark:bg-zinc-900`,
                c.wideOnly && WIDE_ONLY,
              ]
                .filter(Boolean)
                .join(' ')}
            >
              {c.label === '' ? <span className="sr-only">Actions</span> : c.label}
            </th>
          ))}
        </tr>
      </thead>
    </>
  );
}
