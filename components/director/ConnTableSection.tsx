import { connTableSizing, listedEntries, type IpvsInfo, type Service } from '@/lib/ipvs';
import { formatCount } from '@/components/ui/format';

/** Connection entries against the kernel's connection hash table (2^IP_VS_TAB_BITS buckets), and what that means. */
export function ConnTableSection({ ipvs, services }: { ipvs: IpvsInfo | undefined; services: Service[] }) {
  const sizing = ipvs ? connTableSizing(listedEntries(services), ipvs.connTableSize) : null;
  return (
    <section aria-labelledby="conntab-heading" className="space-y-2" data-testid="conntab-section">
      <h3 id="conntab-heading" className="text-sm font-semibold">
        Connection table size
      </h3>
      {!ipvs || !sizing ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          The agent has not read the kernel&rsquo;s version line (IP Virtual Server version … (size=N)) yet.
        </p>
      ) : (
        <>
          <dl className="grid grid-cols-3 gap-3 text-sm">
            <div>
              <dt className="text-xs text-zinc-500 dark:text-zinc-400">Entries (active + inactive + templates)</dt>
              <dd className="font-semibold tabular-nums" data-testid="conntab-entries">
                {formatCount(sizing.entries)}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500 dark:text-zinc-400">Hash table (IP_VS_TAB_BITS)</dt>
              <dd className="font-semibold tabular-nums" data-testid="conntab-size">
                {formatCount(sizing.size)} buckets (2^{sizing.bits})
              </dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500 dark:text-zinc-400">Per bucket</dt>
              <dd className="font-semibold tabular-nums" data-testid="conntab-level">
                {sizing.perBucket.toFixed(2)} · {sizing.level === 'ok' ? 'fine' : 'crowded'}
              </dd>
            </div>
          </dl>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {sizing.meaning} IPVS {ipvs.version}.
          </p>
          {sizing.suggestion && (
            <pre className="rounded bg-zinc-100 px-2 py-1 font-mono text-xs break-all whitespace-pre-wrap dark:bg-zinc-800">
              {sizing.suggestion}
            </pre>
          )}
        </>
      )}
    </section>
  );
}
