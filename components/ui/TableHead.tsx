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
}

const TH = 'px-3 py-2 font-medium whitespace-nowrap';

export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <>
      <colgroup>
        {columns.map((c, i) => (
          <col key={i} className={c.width} />
        ))}
      </colgroup>
      <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col" title={c.title} className={c.align === 'right' ? `${TH} text-right` : TH}>
              {c.label === '' ? <span className="sr-only">Actions</span> : c.label}
            </th>
          ))}
        </tr>
      </thead>
    </>
  );
}
