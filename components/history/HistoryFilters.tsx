'use client';

import { Button } from '@/components/ui/Button';
import { controlClass, Field, Suggestions } from '@/components/ui/Field';
import { DownloadIcon, LinkButton } from '@/components/ui/LinkButton';
import { hrefOf } from '@/components/auth/api';
import { auditParams, NO_FILTER, sameFilter, type AuditFilter } from './audit';

interface Props {
  filter: AuditFilter;
  onChange: (f: AuditFilter) => void;
  /** Clearing applies at once (no typing pause): an export right after it must not take the old filters. */
  onClear: () => void;
  directors: readonly string[];
  /** Suggestions for the service and user boxes. */
  serviceIds: readonly string[];
  users: readonly string[];
}

export function HistoryFilters({ filter, onChange, onClear, directors, serviceIds, users }: Props) {
  const set = (patch: Partial<AuditFilter>) => onChange({ ...filter, ...patch });
  return (
    <div className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter the history">
      <Field id="f-director" label="Director">
        <select
          id="f-director"
          value={filter.director}
          onChange={(e) => set({ director: e.target.value })}
          className={controlClass(null, 'w-32')}
        >
          <option value="">All</option>
          {directors.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
          {filter.director && !directors.includes(filter.director) && (
            <option value={filter.director}>{filter.director}</option>
          )}
        </select>
      </Field>
      <Field id="f-service" label="Service">
        <input
          id="f-service"
          type="search"
          list="f-service-ids"
          placeholder="tcp/10.1.0.10:80"
          value={filter.service}
          onChange={(e) => set({ service: e.target.value })}
          className={`${controlClass(null, 'w-52')} font-mono`}
        />
        <Suggestions id="f-service-ids" values={serviceIds} />
      </Field>
      <Field id="f-user" label="User">
        <input
          id="f-user"
          type="search"
          list="f-users"
          placeholder="anyone"
          value={filter.user}
          onChange={(e) => set({ user: e.target.value })}
          className={controlClass(null, 'w-32')}
        />
        <Suggestions id="f-users" values={users} />
      </Field>
      <Field id="f-status" label="Result">
        <select
          id="f-status"
          value={filter.status}
          onChange={(e) => set({ status: e.target.value as AuditFilter['status'] })}
          className={controlClass(null, 'w-28')}
        >
          <option value="">Any</option>
          <option value="ok">ok</option>
          <option value="partial">partial</option>
          <option value="error">error</option>
          <option value="pending">pending</option>
        </select>
      </Field>
      <Field id="f-from" label="From">
        <input
          id="f-from"
          type="datetime-local"
          value={filter.from}
          max={filter.to || undefined}
          onChange={(e) => set({ from: e.target.value })}
          className={controlClass(null, 'w-48')}
        />
      </Field>
      <Field id="f-to" label="To">
        <input
          id="f-to"
          type="datetime-local"
          value={filter.to}
          min={filter.from || undefined}
          onChange={(e) => set({ to: e.target.value })}
          className={controlClass(null, 'w-48')}
        />
      </Field>
      <Button variant="ghost" onClick={onClear} disabled={sameFilter(filter, NO_FILTER)}>
        Clear filters
      </Button>
    </div>
  );
}

/** Downloads of the rows matching the filters as the boxes show them (not waiting for the typing pause): plain links,
 * so the browser saves the file itself. */
export function ExportLinks({ filter }: { filter: AuditFilter }) {
  const href = (format: 'csv' | 'json') => hrefOf('audit:export', { ...auditParams(filter), format });
  return (
    <span className="flex items-center gap-1.5">
      <span className="mr-1">Export</span>
      <LinkButton size="sm" href={href('csv')} download data-testid="export-csv" title="These rows as CSV">
        <DownloadIcon />
        CSV
      </LinkButton>
      <LinkButton size="sm" href={href('json')} download data-testid="export-json" title="These rows as JSON">
        <DownloadIcon />
        JSON
      </LinkButton>
    </span>
  );
}
