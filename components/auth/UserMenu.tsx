'use client';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { api } from './api';
import { useSessionUser } from './session';

const LINKS = [
  { href: '/', label: 'Overview', role: 'viewer' },
  { href: '/history', label: 'History', role: 'viewer' },
  { href: '/snapshots', label: 'Snapshots', role: 'viewer' },
  { href: '/compare', label: 'Compare', role: 'viewer' },
  { href: '/admin/directors', label: 'Directors', role: 'admin' },
  { href: '/admin/users', label: 'Users', role: 'admin' },
] as const;

export function MainNav() {
  const user = useSessionUser();
  const path = usePathname();
  if (!user) return null;
  const active = (href: string) =>
    href === '/' ? path === '/' || path.startsWith('/directors/') : path.startsWith(href);
  return (
    <nav aria-label="Main" className="flex items-center gap-1 text-sm">
      {LINKS.filter((l) => l.role !== 'admin' || user.role === 'admin').map((l) => (
        <a
          key={l.href}
          href={l.href}
          aria-current={active(l.href) ? 'page' : undefined}
          className="rounded-md px-2.5 py-1 text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 aria-[current=page]:bg-zinc-100 aria-[current=page]:font-medium aria-[current=page]:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-50 dark:aria-[current=page]:bg-zinc-800 dark:aria-[current=page]:text-zinc-50"
        >
          {l.label}
        </a>
      ))}
    </nav>
  );
}

export function UserMenu() {
  const user = useSessionUser();
  const [busy, setBusy] = useState(false);
  if (!user) return null;
  async function signOut() {
    setBusy(true);
    await api('auth:logout', {});
    window.location.assign('/login');
  }
  return (
    <div className="flex items-center gap-2 text-sm" data-testid="user-menu">
      <a
        href="/account"
        className="rounded-md px-2 py-1 hover:bg-zinc-100 dark:hover:bg-zinc-800"
        title="Your account: password and sessions"
      >
        <span className="font-medium">{user.name}</span>{' '}
        <span
          data-testid="user-role"
          className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300"
        >
          {user.role}
        </span>
      </a>
      <button
        type="button"
        onClick={signOut}
        disabled={busy}
        className="rounded-md px-2 py-1 text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-50"
      >
        Sign out
      </button>
    </div>
  );
}
