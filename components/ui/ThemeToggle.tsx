'use client';

import { useLayoutEffect } from 'react';
import { applyTheme, resolvedTheme, THEME_STORAGE_KEY, type Theme } from './theme';

export function ThemeToggle() {
  // React's dev-mode remount resets <html> attributes; re-apply the theme (a no-op in production).
  useLayoutEffect(() => applyTheme(resolvedTheme()), []);

  function toggle() {
    const next: Theme = document.documentElement.classList.contains('dark') ? 'light' : 'dark';
    applyTheme(next);
    try {
      localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // storage disabled: the choice lasts until the page is reloaded
    }
  }

  // Both icons are rendered and CSS shows the right one, so server and client markup always agree.
  return (
    <button
      type="button"
      onClick={toggle}
      title="Toggle light/dark theme"
      aria-label="Toggle light/dark theme"
      className="inline-flex size-8 items-center justify-center rounded-md text-zinc-500 transition-colors hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
    >
      <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4 dark:hidden">
        <path d="M17.29 12.9A7.5 7.5 0 0 1 7.1 2.71a.75.75 0 0 0-.99-.92 9 9 0 1 0 12.1 12.1.75.75 0 0 0-.92-.99Z" />
      </svg>
      <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="hidden size-4 dark:block">
        <path d="M10 2a.75.75 0 0 1 .75.75v1.5a.75.75 0 0 1-1.5 0v-1.5A.75.75 0 0 1 10 2Zm0 13a.75.75 0 0 1 .75.75v1.5a.75.75 0 0 1-1.5 0v-1.5A.75.75 0 0 1 10 15Zm0-9a4 4 0 1 0 0 8 4 4 0 0 0 0-8Zm5.66-1.66a.75.75 0 0 1 0 1.06l-1.06 1.06a.75.75 0 1 1-1.06-1.06l1.06-1.06a.75.75 0 0 1 1.06 0ZM6.46 13.54a.75.75 0 0 1 0 1.06L5.4 15.66a.75.75 0 1 1-1.06-1.06l1.06-1.06a.75.75 0 0 1 1.06 0ZM18 10a.75.75 0 0 1-.75.75h-1.5a.75.75 0 0 1 0-1.5h1.5A.75.75 0 0 1 18 10ZM5 10a.75.75 0 0 1-.75.75h-1.5a.75.75 0 0 1 0-1.5h1.5A.75.75 0 0 1 5 10Zm10.66 5.66a.75.75 0 0 1-1.06 0l-1.06-1.06a.75.75 0 1 1 1.06-1.06l1.06 1.06a.75.75 0 0 1 0 1.06ZM6.46 6.46a.75.75 0 0 1-1.06 0L4.34 5.4A.75.75 0 1 1 5.4 4.34l1.06 1.06a.75.75 0 0 1 0 1.06Z" />
      </svg>
    </button>
  );
}
