'use client';

import { useEffect, useState } from 'react';
import { api, type ApiResult } from '@/components/auth/api';
import { TableDiffView } from '@/components/snapshots/TableDiffView';
import type { SnapshotMeta, TableDiff } from '@/components/snapshots/requests';
import type { Snapshot } from '@/lib/api/contracts';
import { Banner } from '@/components/ui/Banner';
import { Button } from '@/components/ui/Button';
import { controlClass } from '@/components/ui/Field';
import { PageHeader } from '@/components/ui/PageHeader';
import { Panel } from '@/components/ui/Panel';
import { directorRef, snapshotRef, tableSourceOf, TableSourceRef } from '@/lib/api/compare';
import type { DirectorSummary } from '@/lib/events';

interface Props {
  initialDirectors: DirectorSummary[] | null;
  /** ?from= and ?to= of the page URL (director:NAME or snapshot:ID). */
  from: string | null;
  to: string | null;
}

type ApiFailure = Extract<ApiResult<unknown>, { ok: false }>['error'];

/** The picker offers the newest saved snapshots only: a director with years of automatic ones would fill a page. */
const PICKER_SNAPSHOTS = 100;

const metaOf = ({ rules: _rules, ...meta }: Snapshot): SnapshotMeta => meta;

const when = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

function SourcePicker({
  id,
  label,
  value,
  onChange,
  directors,
  snapshots,
  more,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  directors: readonly DirectorSummary[];
  snapshots: readonly SnapshotMeta[];
  /** Older snapshots exist than the newest ones offered. */
  more: boolean;
}) {
  return (
    <div className="min-w-0 flex-1">
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className={controlClass(null)}>
        <option value="">Choose a table…</option>
        <optgroup label="Directors (live table)">
          {directors.map((d) => (
            <option key={d.id} value={directorRef(d.id)}>
              {d.name}
            </option>
          ))}
        </optgroup>
        <optgroup
          label={
            more
              ? `Saved snapshots (the newest ${PICKER_SNAPSHOTS}${snapshots.length > PICKER_SNAPSHOTS ? ' and the linked' : ''})`
              : 'Saved snapshots'
          }
        >
          {snapshots.map((s) => (
            <option key={s.id} value={snapshotRef(s.id)}>
              {s.director}: {s.name} ({when(s.createdAt)} UTC, #{s.id})
            </option>
          ))}
        </optgroup>
      </select>
    </div>
  );
}

/** Compare any two tables (directors' live tables, saved snapshots) with the import preview's diff view. */
export function CompareView({ initialDirectors, from: initialFrom, to: initialTo }: Props) {
  const [directors, setDirectors] = useState<DirectorSummary[]>(initialDirectors ?? []);
  const [snapshots, setSnapshots] = useState<SnapshotMeta[]>([]);
  const [more, setMore] = useState(false);
  const [from, setFrom] = useState(initialFrom ?? '');
  const [to, setTo] = useState(initialTo ?? '');
  const [diff, setDiff] = useState<{ from: string; to: string; diff: TableDiff } | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    void api('directors:list', {}).then((r) => r.ok && setDirectors(r.data.directors));
    void (async () => {
      const r = await api('snapshots:list', { limit: PICKER_SNAPSHOTS });
      if (!r.ok) return;
      // a snapshot the page's URL names but older than the newest ones is fetched on its own, to be shown chosen
      const listed = new Set(r.data.snapshots.map((s) => s.id));
      const named = [initialFrom, initialTo].flatMap((ref) => {
        const source = ref && TableSourceRef.safeParse(ref).success ? tableSourceOf(ref) : null;
        return source?.kind === 'snapshot' && !listed.has(source.id) ? [source.id] : [];
      });
      const older = await Promise.all([...new Set(named)].map((id) => api('snapshots:get', { id })));
      const extra = older.flatMap((o) => (o.ok ? [metaOf(o.data.snapshot)] : []));
      setSnapshots([...r.data.snapshots, ...extra]);
      setMore(r.data.more);
    })();
  }, [initialFrom, initialTo]);

  async function compare() {
    setPending(true);
    const r = await api('tables:compare', { from, to });
    setPending(false);
    if (!r.ok) {
      setError(r.error);
      setDiff(null);
      return;
    }
    setError(null);
    setDiff({ from, to, diff: r.data });
    const url = new URL(window.location.href);
    url.searchParams.set('from', from);
    url.searchParams.set('to', to);
    window.history.replaceState(window.history.state, '', url);
  }

  const nameOf = (ref: string) => {
    const d = directors.find((x) => directorRef(x.id) === ref);
    if (d) return `${d.name} (live)`;
    const s = snapshots.find((x) => snapshotRef(x.id) === ref);
    return s ? `snapshot "${s.name}" of ${s.director}` : ref;
  };

  return (
    <div className="space-y-4">
      <PageHeader
        title="Compare"
        description="Any two tables: two directors, a director and a saved snapshot, or two snapshots"
      />
      <Panel title="Tables" headingId="compare-heading">
        <form
          aria-label="Compare two tables"
          className="flex flex-wrap items-end gap-3 px-4 py-3"
          onSubmit={(e) => {
            e.preventDefault();
            void compare();
          }}
        >
          <SourcePicker
            id="compare-from"
            label="From"
            value={from}
            onChange={setFrom}
            directors={directors}
            snapshots={snapshots}
            more={more}
          />
          <SourcePicker
            id="compare-to"
            label="To"
            value={to}
            onChange={setTo}
            directors={directors}
            snapshots={snapshots}
            more={more}
          />
          <Button type="submit" disabled={!from || !to || pending}>
            {pending ? 'Comparing…' : 'Compare'}
          </Button>
        </form>
      </Panel>
      {error && (
        <Banner tone="danger" title="Cannot compare" testId="compare-error">
          {error.field ? `${error.field}: ` : ''}
          {error.message}
        </Banner>
      )}
      {diff && (
        <Panel title={`From ${nameOf(diff.from)} to ${nameOf(diff.to)}`} headingId="compare-result">
          <div className="px-4 py-3">
            <TableDiffView diff={diff.diff} />
          </div>
        </Panel>
      )}
    </div>
  );
}
