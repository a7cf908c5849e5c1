'use client';

import { useEffect, useState } from 'react';
import { getSocket } from '@/components/realtime/socket';
import { useConnection } from '@/components/realtime/useConnection';
import type { DirectorSummary } from '@/lib/events';
import { DirectorTable } from './DirectorTable';
import { NoDirectors } from './NoDirectors';

interface Props {
  /** The list as the server saw it while rendering this page; null if it could not know. */
  initial: DirectorSummary[] | null;
}

/** Every director the dashboard server knows of, kept current over Socket.IO. */
export function DirectorList({ initial }: Props) {
  const [directors, setDirectors] = useState(initial);
  const connection = useConnection();

  useEffect(() => {
    const socket = getSocket();
    socket.on('directors', setDirectors);
    // The server pushes the list on every (re)connection; ask too in case that push came before this listener.
    if (socket.connected) {
      socket.timeout(5000).emit('directors:list', (err, reply) => {
        if (!err && reply.ok) setDirectors(reply.data);
      });
    }
    return () => {
      socket.off('directors', setDirectors);
    };
  }, []);

  return (
    <section aria-labelledby="directors-heading">
      <div className="mb-3 flex items-baseline justify-between">
        <h2 id="directors-heading" className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
          Directors
        </h2>
        {directors && (
          <span className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
            {directors.length} {directors.length === 1 ? 'director' : 'directors'}
          </span>
        )}
      </div>

      {connection === 'lost' && (
        <p
          role="alert"
          className="mb-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200"
        >
          Lost the connection to the dashboard server; this is the last known state. Reconnecting…
        </p>
      )}

      {directors === null ? (
        <p className="rounded-lg border border-zinc-200 px-6 py-12 text-center text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          Connecting to the dashboard server…
        </p>
      ) : directors.length === 0 ? (
        <NoDirectors />
      ) : (
        <DirectorTable directors={directors} />
      )}
    </section>
  );
}
