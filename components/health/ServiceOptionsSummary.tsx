// A service's sorry server and quorum in words, over its health table: whether the sorry server is in the kernel's
// table now (no real server is healthy, or the quorum is lost) or standing by, and whether the quorum holds, by word and shape, never by
// colour alone.
import { Button } from '@/components/ui/Button';
import type { QuorumState, ServiceHealthConfig } from '@/lib/health';
import { destinationId, type Service } from '@/lib/ipvs';

interface Props {
  service: Service;
  /** The service's checks configuration (null: none; undefined: not read yet, or not readable by this user). */
  config: ServiceHealthConfig | null | undefined;
  quorum: QuorumState | undefined;
  canEdit: boolean;
  /** Changes are off: why. */
  off: string | undefined;
  onEdit: () => void;
}

const FORWARD = { masq: 'NAT', route: 'DR', tunnel: 'tunnel' } as const;

export function ServiceOptionsSummary({ service, config, quorum, canEdit, off, onEdit }: Props) {
  const sorry = config?.sorryServer;
  const sorryIn = sorry ? service.destinations.some((d) => destinationId(d) === destinationId(sorry)) : false;
  const q = config?.quorum;
  return (
    <div
      className="flex flex-wrap items-center gap-x-6 gap-y-1 border-b border-zinc-100 px-4 py-2 text-xs dark:border-zinc-800/70"
      data-testid="service-options"
    >
      {config === undefined && canEdit && (
        <span className="text-zinc-500 dark:text-zinc-400">reading the sorry server and quorum…</span>
      )}
      {config !== undefined && (
        <span data-testid="sorry-server" data-in-table={sorry ? String(sorryIn) : undefined}>
          {sorry ? (
            <>
              Sorry server <span className="font-mono">{destinationId(sorry)}</span> ({FORWARD[sorry.forward]}):{' '}
              {sorryIn ? (
                <strong className="text-amber-800 dark:text-amber-300">
                  <span aria-hidden="true">▲ </span>in the table, answering clients
                </strong>
              ) : (
                'standing by'
              )}
            </>
          ) : (
            'No sorry server'
          )}
        </span>
      )}
      {(q || quorum) && (
        <span data-testid="quorum" data-held={quorum ? String(quorum.held) : undefined}>
          Quorum: healthy weight ≥ {q?.minWeight ?? quorum?.minWeight}
          {(q?.hysteresis ?? quorum?.hysteresis ?? 0) > 0 && ` (hysteresis ${q?.hysteresis ?? quorum?.hysteresis})`}
          {quorum &&
            (quorum.held ? (
              <span className="text-emerald-700 dark:text-emerald-400">
                {' '}
                — <span aria-hidden="true">● </span>held (healthy weight {quorum.healthyWeight})
              </span>
            ) : (
              <strong className="text-red-700 dark:text-red-400">
                {' '}
                — <span aria-hidden="true">■ </span>lost (healthy weight {quorum.healthyWeight})
              </strong>
            ))}
        </span>
      )}
      {config !== undefined && !q && <span>No quorum</span>}
      {canEdit && (
        <Button size="sm" variant="ghost" className="ml-auto" onClick={onEdit} disabled={off !== undefined} title={off}>
          Sorry server &amp; quorum…
        </Button>
      )}
    </div>
  );
}
