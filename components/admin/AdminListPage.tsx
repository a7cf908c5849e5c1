import type { ReactNode } from 'react';
import { Banner } from '@/components/ui/Banner';
import { PageHeader } from '@/components/ui/PageHeader';
import { Panel } from '@/components/ui/Panel';

interface Props {
  title: string;
  description: string;
  /** Why the list could not be loaded, if it could not. */
  error: string | null;
  errorTitle: string;
  list: {
    title: string;
    headingId: string;
    /** null while loading */
    count: number | null;
    notice: string | null;
    noticeTestId: string;
  };
  /** The grid's columns from 1280 px: the list, then the side panel (a literal class, for Tailwind to see). */
  columnsClass: string;
  /** The list's table, once loaded. */
  children: ReactNode;
  /** The panel beside the list (a form), below it under 1280 px. */
  side: ReactNode;
}

/** An admin page: a list in a panel with its last action's notice, and a form beside it (below it on narrow screens). */
export function AdminListPage({ title, description, error, errorTitle, list, columnsClass, children, side }: Props) {
  return (
    <>
      <PageHeader title={title} description={description} />
      {error && (
        <Banner tone="danger" title={errorTitle}>
          {error}
        </Banner>
      )}
      <div className={`grid grid-cols-1 items-start gap-4 ${columnsClass}`}>
        <Panel
          title={list.title}
          headingId={list.headingId}
          count={list.count}
          className="overflow-hidden"
          aside={
            <span
              role="status"
              className="text-xs text-emerald-700 dark:text-emerald-400"
              data-testid={list.noticeTestId}
            >
              {list.notice}
            </span>
          }
        >
          {list.count === null ? (
            <p className="px-4 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">Loading…</p>
          ) : (
            children
          )}
        </Panel>
        {side}
      </div>
    </>
  );
}
