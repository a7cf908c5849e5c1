'use client';

import { describeCheck } from '@/components/health/describe';
import { Banner } from '@/components/ui/Banner';
import { destinationId, serviceId } from '@/lib/ipvs';
import type { KeepalivedPreview } from './requests';

/** The parts of a keepalived.conf preview beyond the table diff: the lines not imported and the checks to be set. */
export function KeepalivedImportDetails({ preview }: { preview: Omit<KeepalivedPreview, 'diff'> }) {
  const checks = preview.checks.services.flatMap((s) =>
    s.destinations.map((d) => ({ sid: serviceId(s.service), did: destinationId(d.destination), check: d.check })),
  );
  return (
    <div className="mt-3 space-y-3" data-testid="keepalived-details">
      {preview.notImported.length > 0 ? (
        <Banner tone="warning" title={`${preview.notImported.length} line(s) of keepalived.conf not imported`}>
          <ul className="mt-1 space-y-0.5 font-mono text-xs" data-testid="keepalived-not-imported">
            {preview.notImported.map((n, i) => (
              <li key={`${n.line}-${i}`}>
                <span className="text-zinc-500">line {n.line}:</span> {n.text}{' '}
                <span className="font-sans text-zinc-600 dark:text-zinc-400">— {n.reason}</span>
              </li>
            ))}
          </ul>
        </Banner>
      ) : (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">Every line of the file is imported.</p>
      )}
      <div>
        <h4 className="mb-1 text-xs font-semibold">Health checks to set on the agent ({checks.length})</h4>
        {checks.length === 0 ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">None: the file has no checkers we can run.</p>
        ) : (
          <ul className="space-y-0.5 text-xs" data-testid="keepalived-checks">
            {checks.map(({ sid, did, check }) => (
              <li key={`${sid}|${did}`}>
                <span className="font-mono">
                  {sid} → {did}
                </span>
                : {describeCheck(check)}
              </li>
            ))}
          </ul>
        )}
        {preview.checks.services.some((s) => s.sorryServer || s.quorum) && (
          <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
            Sorry servers and quorums of the file are set too.
          </p>
        )}
      </div>
    </div>
  );
}
