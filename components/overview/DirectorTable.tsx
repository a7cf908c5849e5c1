'use client';

import { useEffect, useState } from 'react';
import type { DirectorSummary } from '@/lib/events';
import { formatAge } from './format';
import { StatusBadge } from './StatusBadge';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function DirectorTable({ directors }: { directors: DirectorSummary[] }) {
  const now = useNow(1000);
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/40">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-2.5">
              Director
            </th>
            <th scope="col" className="px-4 py-2.5">
              Status
            </th>
            <th scope="col" className="px-4 py-2.5 text-right">
              Last update
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {directors.map((d) => (
            <tr key={d.id}>
              <td className="px-4 py-3">
                <div className="font-medium text-zinc-900 dark:text-zinc-100">{d.name}</div>
                <div className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{d.id}</div>
              </td>
              <td className="px-4 py-3">
                <StatusBadge status={d.status} />
              </td>
              <td className="px-4 py-3 text-right text-zinc-600 tabular-nums dark:text-zinc-400">
                {d.lastUpdate === null ? (
                  'never'
                ) : (
                  <time dateTime={new Date(d.lastUpdate).toISOString()} suppressHydrationWarning>
                    {formatAge(d.lastUpdate, now)}
                  </time>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
