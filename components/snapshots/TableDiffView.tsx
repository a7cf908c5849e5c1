'use client';

import { FORWARD_LABEL, persistenceText } from '@/components/ipvs/describe';
import { shellLine } from '@/components/ui/format';
import { destinationId, type DestinationConfig, type FieldChange, type ServiceConfig } from '@/lib/ipvs';
import type { TableDiff } from './requests';

const TONE = {
  added: 'border-emerald-300 bg-emerald-50/70 dark:border-emerald-500/40 dark:bg-emerald-500/10',
  removed: 'border-red-300 bg-red-50/70 dark:border-red-500/40 dark:bg-red-500/10',
  changed: 'border-amber-300 bg-amber-50/70 dark:border-amber-500/40 dark:bg-amber-500/10',
} as const;
const TEXT = {
  added: 'text-emerald-800 dark:text-emerald-300',
  removed: 'text-red-800 dark:text-red-300',
  changed: 'text-amber-800 dark:text-amber-300',
} as const;
const MARK = { added: '+', removed: '−', changed: '~' } as const;
type Kind = keyof typeof TONE;

function serviceText(s: ServiceConfig): string {
  const parts: string[] = [s.scheduler];
  if (s.flags.length) parts.push(s.flags.join(','));
  if (s.persistent !== undefined) parts.push(`persistent ${persistenceText(s)}`);
  if (s.ops) parts.push('one-packet');
  return parts.join(' · ');
}

function destText(d: DestinationConfig): string {
  return `${destinationId(d)}  ${FORWARD_LABEL[d.forward].short}  weight ${d.weight}`;
}

const value = (v: FieldChange['before']) => (v === null ? '—' : Array.isArray(v) ? v.join(',') || '(none)' : String(v));

function Fields({ fields }: { fields: FieldChange[] }) {
  return (
    <>
      {fields.map((f) => (
        <span key={f.field} className="mr-3 inline-block whitespace-nowrap">
          {f.field} <span className="text-red-700 line-through decoration-1 dark:text-red-400">{value(f.before)}</span>
          {' → '}
          <span className="font-semibold text-emerald-800 dark:text-emerald-300">{value(f.after)}</span>
        </span>
      ))}
    </>
  );
}

function DestLine({ kind, children }: { kind: Kind; children: React.ReactNode }) {
  return (
    <li className={`flex gap-2 pl-5 ${TEXT[kind]}`} data-kind={kind}>
      <span className="w-3 shrink-0 select-none">{MARK[kind]}</span>
      <span className="min-w-0">{children}</span>
    </li>
  );
}

function ServiceBlock({
  kind,
  id,
  head,
  children,
}: {
  kind: Kind;
  id: string;
  head: React.ReactNode;
  children?: React.ReactNode;
}) {
  return (
    <li className={`rounded border-l-4 px-2 py-1 ${TONE[kind]}`} data-kind={kind} data-service={id}>
      <div className={`flex gap-2 ${TEXT[kind]}`}>
        <span className="w-3 shrink-0 font-semibold select-none">{MARK[kind]}</span>
        <span className="font-semibold">{id}</span>
        <span className="min-w-0 text-zinc-700 dark:text-zinc-300">{head}</span>
      </div>
      {children && <ul className="mt-0.5 space-y-px">{children}</ul>}
    </li>
  );
}

export function DiffSummary({ diff }: { diff: TableDiff }) {
  const destCount = diff.changed.reduce(
    (n, s) => n + s.addedDestinations.length + s.removedDestinations.length + s.changedDestinations.length,
    0,
  );
  const item = (n: number, label: string, kind: Kind | null) => (
    <span className={n > 0 && kind ? `font-semibold ${TEXT[kind]}` : 'text-zinc-500 dark:text-zinc-400'}>
      {n} {label}
    </span>
  );
  return (
    <p className="flex flex-wrap gap-x-3 text-sm" data-testid="diff-summary">
      {item(diff.added.length, `${diff.added.length === 1 ? 'service' : 'services'} added`, 'added')}
      {item(diff.removed.length, 'removed', 'removed')}
      {item(diff.changed.length, 'changed', 'changed')}
      {item(destCount, `real-server ${destCount === 1 ? 'change' : 'changes'} in them`, 'changed')}
      {item(diff.unchanged, 'unchanged', null)}
      <span className="font-medium">
        · {diff.plan.length} ipvsadm {diff.plan.length === 1 ? 'operation' : 'operations'}
      </span>
    </p>
  );
}

/** What an import or restore would change on the live table, and the ipvsadm plan that gets there: side by side on
 * the page, one above the other in a dialog. */
export function TableDiffView({ diff, stacked = false }: { diff: TableDiff; stacked?: boolean }) {
  const empty = diff.plan.length === 0;
  return (
    <div className="space-y-3" data-testid="table-diff">
      <DiffSummary diff={diff} />
      {empty ? (
        <p className="rounded border border-zinc-200 px-3 py-4 text-center text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
          The live table already equals this one: nothing to apply.
        </p>
      ) : (
        <div className={stacked ? 'space-y-3' : 'grid grid-cols-[minmax(0,3fr)_minmax(0,2fr)] gap-4'}>
          <ul
            className={`${stacked ? 'max-h-72' : 'max-h-[26rem]'} space-y-1.5 overflow-auto font-mono text-xs leading-5`}
            aria-label="Changes"
          >
            {diff.removed.map((s) => (
              <ServiceBlock key={`r-${s.id}`} kind="removed" id={s.id} head={serviceText(s.service)}>
                {s.destinations.map((d) => (
                  <DestLine key={destinationId(d)} kind="removed">
                    {destText(d)}
                  </DestLine>
                ))}
              </ServiceBlock>
            ))}
            {diff.added.map((s) => (
              <ServiceBlock key={`a-${s.id}`} kind="added" id={s.id} head={serviceText(s.service)}>
                {s.destinations.map((d) => (
                  <DestLine key={destinationId(d)} kind="added">
                    {destText(d)}
                  </DestLine>
                ))}
              </ServiceBlock>
            ))}
            {diff.changed.map((s) => (
              <ServiceBlock
                key={`c-${s.id}`}
                kind="changed"
                id={s.id}
                head={s.fields.length ? <Fields fields={s.fields} /> : null}
              >
                {s.removedDestinations.map((d) => (
                  <DestLine key={`r-${destinationId(d)}`} kind="removed">
                    {destText(d)}
                  </DestLine>
                ))}
                {s.addedDestinations.map((d) => (
                  <DestLine key={`a-${destinationId(d)}`} kind="added">
                    {destText(d)}
                  </DestLine>
                ))}
                {s.changedDestinations.map((d) => (
                  <DestLine key={`c-${d.id}`} kind="changed">
                    <span className="mr-3">{d.id}</span>
                    <span className="text-zinc-700 dark:text-zinc-300">
                      <Fields fields={d.fields} />
                    </span>
                  </DestLine>
                ))}
              </ServiceBlock>
            ))}
          </ul>
          <div className="min-w-0">
            <h4 className="mb-1 text-xs font-semibold text-zinc-600 dark:text-zinc-300">
              Plan <span className="font-normal text-zinc-500 dark:text-zinc-400">· in order, never a flush</span>
            </h4>
            <pre
              tabIndex={0}
              className={`${stacked ? 'max-h-48' : 'max-h-[24.5rem]'} overflow-auto rounded border border-zinc-200 bg-zinc-50 px-2 py-1.5 font-mono text-xs leading-5 dark:border-zinc-800 dark:bg-zinc-950`}
              data-testid="plan"
            >
              {diff.plan.map((argv) => shellLine(['ipvsadm', ...argv])).join('\n')}
            </pre>
          </div>
        </div>
      )}
    </div>
  );
}
