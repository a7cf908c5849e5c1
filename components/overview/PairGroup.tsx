'use client';

import { Button } from '@/components/ui/Button';
import type { PairView } from '@/lib/api/pairs';
import type { DirectorSummary } from '@/lib/events';
import { DirectorCard, type ServiceFilter } from './DirectorCard';
import { PairMember } from './PairMember';

/** How many drift items are listed (the count says how many there are). */
const LISTED_ITEMS = 20;

const show = (v: unknown) => (v === null ? '—' : Array.isArray(v) ? v.join(',') || '—' : String(v));

/** A pair on the Overview: its drift, its two members side by side (sync daemon, connections), then their tables. */
export function PairGroup({
  pair,
  directors,
  filter,
  onMatch,
}: {
  pair: PairView;
  directors: ReadonlyMap<string, DirectorSummary>;
  filter: ServiceFilter;
  /** Admins only: open the "make the second match" preview. */
  onMatch?: (p: PairView) => void;
}) {
  const items = pair.drift?.items ?? [];
  const roles = pair.mode === 'master-backup' ? (['master', 'backup'] as const) : (['active', 'active'] as const);
  const members = [pair.first, pair.second];
  return (
    <section
      aria-labelledby={`pair-${pair.name}`}
      data-pair={pair.name}
      className="space-y-3 rounded-xl border border-dashed border-zinc-300 p-2 dark:border-zinc-700"
    >
      <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/40">
        <header className="flex flex-wrap items-center gap-3 border-b border-zinc-200 px-4 py-2.5 text-sm dark:border-zinc-800">
          <h2 id={`pair-${pair.name}`} className="text-base font-semibold">
            Pair {pair.name}
          </h2>
          <span className="text-zinc-600 dark:text-zinc-400">
            {pair.first} → {pair.second} ({pair.mode})
          </span>
          <span
            data-testid="pair-drift"
            className={
              items.length ? 'font-medium text-amber-700 dark:text-amber-400' : 'text-emerald-700 dark:text-emerald-400'
            }
          >
            {pair.drift === null ? `unknown: ${pair.unknown}` : items.length ? `${items.length} drift` : 'in step'}
          </span>
          {onMatch && pair.drift && pair.drift.diff.plan.length > 0 && (
            <Button size="sm" className="ml-auto" onClick={() => onMatch(pair)}>
              Make {pair.second} match
            </Button>
          )}
        </header>
        <div className="grid grid-cols-2 divide-x divide-zinc-200 dark:divide-zinc-800">
          {members.map((name, i) => (
            <PairMember key={name} name={name} role={roles[i] ?? 'active'} summary={directors.get(name)} />
          ))}
        </div>
        {items.length > 0 && (
          <ul
            className="ml-4 list-disc border-t border-zinc-200 px-4 py-2 text-xs text-zinc-700 dark:border-zinc-800 dark:text-zinc-300"
            data-testid="pair-drift-items"
          >
            {items.slice(0, LISTED_ITEMS).map((d, i) => (
              <li key={i} className="break-all">
                {d.kind} {d.target}
                {d.field ? ` ${d.field}: ${show(d.first)} vs ${show(d.second)}` : ''}
              </li>
            ))}
            {items.length > LISTED_ITEMS && <li>… and {items.length - LISTED_ITEMS} more</li>}
          </ul>
        )}
      </div>
      {members.map((name) => {
        const summary = directors.get(name);
        return summary && <DirectorCard key={name} summary={summary} filter={filter} />;
      })}
    </section>
  );
}
