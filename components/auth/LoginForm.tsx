'use client';
import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { sameOriginPath } from '@/lib/redirect';
import { api } from './api';

export function LoginForm({ next }: { next: string | null }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Until React has hydrated, a click would submit the form natively: keep the button off until then.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await api('auth:login', { name, password });
    setBusy(false);
    // Only same-origin paths: a `next` leading elsewhere would make the login page an open redirect.
    if (r.ok) window.location.assign(sameOriginPath(next, window.location.origin));
    else setError({ message: r.error.message, field: r.error.field });
  }

  const input =
    'mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/60 dark:border-zinc-700 dark:bg-zinc-900';
  return (
    <form method="post" onSubmit={submit} className="space-y-4" aria-label="Sign in">
      <label className="block text-sm font-medium">
        Name
        <input
          className={input}
          name="name"
          autoComplete="username"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          autoFocus
        />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input
          className={input}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      {error && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200"
        >
          {error.field ? `${error.field}: ` : ''}
          {error.message.replace(/^\w+: /, error.field ? '' : '$&')}
        </p>
      )}
      <Button type="submit" variant="primary" disabled={busy || !ready} className="w-full justify-center">
        {busy ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
