import type { ButtonHTMLAttributes } from 'react';

const VARIANT = {
  primary:
    'bg-sky-700 text-white shadow-sm hover:bg-sky-600 disabled:bg-sky-700/50 dark:bg-sky-500 dark:text-zinc-950 dark:hover:bg-sky-400 dark:disabled:bg-sky-500/40',
  secondary:
    'bg-white text-zinc-800 ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50 disabled:text-zinc-400 dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-700 dark:hover:bg-zinc-800 dark:disabled:text-zinc-500',
  danger:
    'bg-red-600 text-white shadow-sm hover:bg-red-500 disabled:bg-red-600/50 dark:bg-red-500 dark:hover:bg-red-400',
  /** A quiet destructive action (Remove, Delete) among ghost buttons. */
  'danger-ghost':
    'text-red-700 hover:bg-red-50 hover:text-red-800 disabled:text-zinc-400 dark:text-red-400 dark:hover:bg-red-950/40 dark:hover:text-red-300 dark:disabled:text-zinc-500',
  ghost:
    'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 disabled:text-zinc-400 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-50',
} as const;

const SIZE = { sm: 'h-7 px-2.5 text-xs gap-1.5', md: 'h-8 px-3 text-sm gap-2' } as const;

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: keyof typeof VARIANT;
  size?: keyof typeof SIZE;
}

export function Button({ variant = 'secondary', size = 'md', className = '', type = 'button', ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      className={`inline-flex shrink-0 items-center justify-center rounded-md font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 disabled:cursor-not-allowed ${VARIANT[variant]} ${SIZE[size]} ${className}`}
      {...rest}
    />
  );
}
