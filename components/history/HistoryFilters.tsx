'use client';

import { Button } from '@/components/ui/Button';
import { SelectField, TextField } from '@/components/ui/Field';
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
      <SelectField
        id="f-director"
        label="Director"
        width="w-32"
        value={filter.director}
        onChange={(e) => set({ director: e.target.value })}
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
      </SelectField>
      <TextField
        id="f-service"
        label="Service"
        width="w-52"
        controlClassName="font-mono"
        type="search"
        suggestions={serviceIds}
        placeholder="tcp/10.1.0.10:80"
        value={filter.service}
        onChange={(e) => set({ service: e.target.value })}
      />
      <TextField
        id="f-user"
        label="User"
        width="w-32"
        type="search"
        suggestions={users}
        placeholder="anyone"
        value={filter.user}
        onChange={(e) => set({ user: e.target.value })}
      />
      <SelectField
        id="f-status"
        label="Result"
        width="w-28"
        value={filter.status}
        onChange={(e) => set({ status: e.target.value as AuditFilter['status'] })}
      >
        <option value="">Any</option>
        <option value="ok">ok</option>
        <option value="partial">partial</option>
        <option value="error">error</option>
        <option value="pending">pending</option>
      </SelectField>
      <TextField
        id="f-from"
        label="From"
        width="w-48"
        type="datetime-local"
        value={filter.from}
        max={filter.to || undefined}
        onChange={(e) => set({ from: e.target.value })}
      />
      <TextField
        id="f-to"
        label="To"
        width="w-48"
        type="datetime-local"
        value={filter.to}
        min={filter.from || undefined}
        onChange={(e) => set({ to: e.target.value })}
      />
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
