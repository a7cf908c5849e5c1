'use client';
import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { api } from './api';

/** The first admin's name and password, sent with the setup link's token; signs them in on success. */
export function SetupForm({ token }: { token: string }) {
  const [name, setName] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await api('setup:complete', { token, name, password });
    setBusy(false);
    if (r.ok) window.location.assign('/');
    else setError({ message: r.error.message, field: r.error.field });
  }

  if (!token) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300">
        This page needs the link the dashboard printed on its console (it ends in ?token=...).
      </p>
    );
  }
  const input =
    'mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-900';
  return (
    <form method="post" onSubmit={submit} className="space-y-4" aria-label="Create the first admin">
      <label className="block text-sm font-medium">
        Name
        <input
          className={input}
          name="name"
          autoComplete="username"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
      </label>
      <label className="block text-sm font-medium">
        Password (at least 10 characters)
        <input
          className={input}
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          autoFocus
        />
      </label>
      {error && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200"
        >
          {error.field ? `${error.field}: ` : ''}
          {error.message}
        </p>
      )}
      <Button type="submit" variant="primary" disabled={busy || !ready} className="w-full justify-center">
        {busy ? 'Creating…' : 'Create admin and sign in'}
      </Button>
    </form>
  );
}
