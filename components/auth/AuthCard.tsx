import type { ReactNode } from 'react';

/** The box of the pages before sign-in (sign in, first admin): a title, what the page is for, its form. */
export function AuthCard({ title, intro, children }: { title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <div className="mx-auto mt-24 max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h1 className="mb-1 text-lg font-semibold">{title}</h1>
      <p className="mb-5 text-sm text-zinc-500 dark:text-zinc-400">{intro}</p>
      {children}
    </div>
  );
}
