import type { ReactNode } from 'react';

/**
 * One labelled figure in a `<dl>` grid: a counter or value on one line, cut short (its whole text on hover through
 * `title`), or, `wrap`, a setting whose words may take two lines.
 */
export function Fact({
  label,
  children,
  testId,
  title,
  wrap = false,
  valueClass = 'text-sm',
}: {
  label: string;
  children: ReactNode;
  testId?: string;
  title?: string;
  wrap?: boolean;
  valueClass?: string;
}) {
  const cut = wrap ? '' : 'truncate';
  return (
    <div className="min-w-0 px-4 py-2">
      <dt className={`${cut} text-xs text-zinc-500 dark:text-zinc-400`}>{label}</dt>
      <dd className={`mt-0.5 ${cut} ${valueClass}`} data-testid={testId} title={title}>
        {children}
      </dd>
    </div>
  );
}
