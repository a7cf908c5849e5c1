import Link from 'next/link';
import { Fragment, type ReactNode } from 'react';

/** Where a page sits: the overview first, then the director and the page itself (the last step, not a link). */
export function Breadcrumbs({ steps }: { steps: readonly { label: ReactNode; href?: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-zinc-600 dark:text-zinc-400">
      {steps.map((step, i) => (
        <Fragment key={i}>
          {i > 0 && (
            <span className="mx-1.5" aria-hidden="true">
              /
            </span>
          )}
          {step.href ? (
            <Link href={step.href} className="rounded hover:text-zinc-900 hover:underline dark:hover:text-zinc-100">
              {step.label}
            </Link>
          ) : (
            <span className={i === steps.length - 1 ? 'text-zinc-700 dark:text-zinc-300' : undefined}>
              {step.label}
            </span>
          )}
        </Fragment>
      ))}
    </nav>
  );
}
