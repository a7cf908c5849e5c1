import type { ReactNode } from 'react';

const TONE = {
  warning:
    'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200',
  danger: 'border-red-300 bg-red-50 text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200',
  info: 'border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-500/40 dark:bg-sky-500/10 dark:text-sky-200',
  success:
    'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-500/40 dark:bg-emerald-500/10 dark:text-emerald-200',
} as const;

const WARNING_ICON =
  'M8.49 2.86c.67-1.15 2.35-1.15 3.02 0l6.28 10.9c.66 1.15-.17 2.59-1.5 2.59H3.71c-1.33 0-2.16-1.44-1.5-2.6l6.28-10.89ZM10 6a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 6Zm0 8a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z';
const ICON: Record<keyof typeof TONE, string> = {
  warning: WARNING_ICON,
  danger: WARNING_ICON,
  info: 'M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-7-4a1 1 0 1 1-2 0 1 1 0 0 1 2 0ZM9 9a.75.75 0 0 0 0 1.5h.25v3.25a.75.75 0 0 0 1.5 0V9.75A.75.75 0 0 0 10 9H9Z',
  success:
    'M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.86-9.86a.75.75 0 0 0-1.22-.88l-3.24 4.5-1.62-1.62a.75.75 0 1 0-1.06 1.06l2.25 2.25a.75.75 0 0 0 1.14-.09l3.75-5.22Z',
};

export function Banner({
  tone,
  title,
  children,
  className = '',
  testId,
}: {
  tone: keyof typeof TONE;
  title: ReactNode;
  children?: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <div
      role="alert"
      data-testid={testId}
      className={`flex items-start gap-3 rounded-md border px-3 py-2 text-sm ${TONE[tone]} ${className}`}
    >
      <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="mt-0.5 size-4 shrink-0">
        <path fillRule="evenodd" d={ICON[tone]} clipRule="evenodd" />
      </svg>
      <div className="min-w-0">
        <div className="font-semibold">{title}</div>
        {children && <div className="mt-0.5">{children}</div>}
      </div>
    </div>
  );
}
