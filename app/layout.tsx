import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { currentUser } from '@/components/auth/current-user';
import { SessionProvider } from '@/components/auth/session';
import { MainNav, UserMenu } from '@/components/auth/UserMenu';
import { ConnectionBadge } from '@/components/realtime/ConnectionBadge';
import { themeInitScript } from '@/components/ui/theme';
import { ThemeToggle } from '@/components/ui/ThemeToggle';
import { nonceOf } from '@/lib/csp';
import './globals.css';

export const metadata: Metadata = {
  title: 'lvs-dashboard',
  description: 'Live dashboard for Linux Virtual Server (IPVS) load balancers',
  // public/: the manifest and its icons, open to anyone (OPEN_PATHS in server/dashboard/create-dashboard.ts).
  manifest: '/manifest.webmanifest',
  // No page of a load balancer's console belongs in a search engine (public/robots.txt asks crawlers the same).
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  // The dashboard server puts the page's CSP, with this request's nonce, on the request.
  const nonce = nonceOf((await headers()).get('content-security-policy'));
  return (
    // The theme script adds or removes the `dark` class before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeInitScript }} />
      </head>
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <SessionProvider user={user}>
          <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
            {/* A narrow window (or an admin's longer menu) wraps the header onto a second row instead of widening the page. */}
            <div className="mx-auto flex min-h-12 max-w-[1600px] flex-wrap items-center gap-x-3 gap-y-1 px-6 py-1.5 whitespace-nowrap xl:gap-x-6">
              <a href="/" className="flex items-center gap-2.5 text-sm font-semibold tracking-tight">
                <svg viewBox="0 0 24 24" aria-hidden="true" className="size-5 text-sky-600 dark:text-sky-400">
                  <circle cx="4.5" cy="12" r="2.5" fill="currentColor" />
                  <circle cx="19.5" cy="5" r="2" fill="currentColor" />
                  <circle cx="19.5" cy="12" r="2" fill="currentColor" />
                  <circle cx="19.5" cy="19" r="2" fill="currentColor" />
                  <path d="M7 12h10.5M6.5 10.8 17.5 5.8M6.5 13.2l11 5" stroke="currentColor" strokeWidth="1.5" />
                </svg>
                lvs-dashboard
              </a>
              <MainNav />
              <div className="ml-auto flex items-center gap-3">
                {user && <ConnectionBadge />}
                <UserMenu />
                <ThemeToggle />
              </div>
            </div>
          </header>
          <main className="mx-auto max-w-[1600px] px-6 py-5">{children}</main>
        </SessionProvider>
      </body>
    </html>
  );
}
