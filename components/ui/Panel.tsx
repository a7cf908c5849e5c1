import type { HTMLAttributes, ReactNode } from 'react';

interface Props extends Omit<HTMLAttributes<HTMLElement>, 'title'> {
  /** The heading of the box; none for a box whose first row is its own. */
  title?: ReactNode;
  /** The heading's id: the box is labelled by it. */
  headingId?: string;
  /** How many things the box lists, after the heading in grey ("Accounts (3)"); nothing while still unknown. */
  count?: number | string | null;
  /** Beside the heading: a status, a note, an action. */
  aside?: ReactNode;
}

/** The boxed section of every page: a white card with a heading row. */
export function Panel({ title, headingId, count, aside, className = '', children, ...rest }: Props) {
  return (
    <section
      aria-labelledby={title === undefined ? undefined : headingId}
      className={`rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/40 ${className}`}
      {...rest}
    >
      {title !== undefined && (
        <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
          <h2 id={headingId} className="text-sm font-semibold">
            {title}
            {count !== undefined && (
              <span className="font-normal text-zinc-500 dark:text-zinc-400">
                {' '}
                {count === null ? '' : `(${count})`}
              </span>
            )}
          </h2>
          {aside}
        </header>
      )}
      {children}
    </section>
  );
}
