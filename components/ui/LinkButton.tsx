import type { AnchorHTMLAttributes } from 'react';

/** A plain link that looks like a secondary Button: downloads the browser handles itself (exports). */
export function LinkButton({
  className = '',
  size = 'md',
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { size?: 'sm' | 'md' }) {
  const dims = size === 'sm' ? 'h-7 px-2.5 text-xs gap-1.5' : 'h-8 px-3 text-sm gap-2';
  return (
    <a
      className={`inline-flex shrink-0 items-center justify-center rounded-md bg-white font-medium whitespace-nowrap text-zinc-800 ring-1 ring-zinc-300 ring-inset hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-700 dark:hover:bg-zinc-800 ${dims} ${className}`}
      {...rest}
    />
  );
}

export function DownloadIcon() {
  return (
    <svg
      viewBox="0 0 20 20"
      fill="currentColor"
      aria-hidden="true"
      className="size-3.5 text-zinc-500 dark:text-zinc-400"
    >
      <path d="M10.75 2.75a.75.75 0 0 0-1.5 0v8.59L6.28 8.37a.75.75 0 1 0-1.06 1.06l4.25 4.25a.75.75 0 0 0 1.06 0l4.25-4.25a.75.75 0 1 0-1.06-1.06l-2.97 2.97V2.75Z" />
      <path d="M3.5 12.75a.75.75 0 0 0-1.5 0v2.5A2.75 2.75 0 0 0 4.75 18h10.5A2.75 2.75 0 0 0 18 15.25v-2.5a.75.75 0 0 0-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5Z" />
    </svg>
  );
}
