'use client';
// The connection list's filters: text boxes (applied after a pause in typing), selects, and chips counting the
// entries per state and per real server (a chip filters by its value).
import { SelectField, TextField } from '@/components/ui/Field';
import { formatCount } from '@/components/ui/format';
import type { ConnFilters } from './use-connection-pages';

export const STATES = [
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'SYNACK',
  'NONE',
  'UDP',
  'ICMP',
  'ASSURED',
];
const stateRank = (s: string) => {
  const i = STATES.indexOf(s);
  return i < 0 ? STATES.length : i;
};

export const NO_CONN_FILTERS: ConnFilters = {
  client: '',
  virtual: '',
  dest: '',
  state: '',
  protocol: '',
  templates: false,
};

type TextKey = 'client' | 'virtual' | 'dest';

const TEXT_BOXES: readonly { key: TextKey; label: string; placeholder: string }[] = [
  { key: 'client', label: 'Client', placeholder: 'IP or IP:port' },
  { key: 'virtual', label: 'Virtual service', placeholder: 'VIP or VIP:port' },
  { key: 'dest', label: 'Real server', placeholder: 'IP or IP:port' },
];

interface Props {
  filters: ConnFilters;
  /** What the text boxes hold (ahead of `filters` while typing). */
  text: Record<TextKey, string>;
  onText: (k: TextKey, v: string) => void;
  /** Applies at once. */
  onSet: (patch: Partial<ConnFilters>) => void;
  vips: string[];
  reals: string[];
  byState: Record<string, number>;
}

export function ConnectionFilters({ filters, text, onText, onSet, vips, reals, byState }: Props) {
  const empty = Object.entries(NO_CONN_FILTERS).every(([k, v]) => filters[k as keyof ConnFilters] === v);
  return (
    <div
      className="grid grid-cols-[repeat(3,minmax(0,1fr))_10rem_8rem_auto] items-end gap-2"
      role="search"
      aria-label="Filter the connections"
    >
      {TEXT_BOXES.map((box) => (
        <TextField
          key={box.key}
          id={`f-${box.key}`}
          label={box.label}
          placeholder={box.placeholder}
          suggestions={box.key === 'virtual' ? vips : box.key === 'dest' ? reals : undefined}
          value={text[box.key]}
          onChange={(e) => onText(box.key, e.target.value)}
          spellCheck={false}
        />
      ))}
      <SelectField id="f-state" label="State" value={filters.state} onChange={(e) => onSet({ state: e.target.value })}>
        <option value="">any state</option>
        {[...new Set([...STATES, ...Object.keys(byState)])].map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </SelectField>
      <SelectField
        id="f-protocol"
        label="Protocol"
        value={filters.protocol}
        onChange={(e) => onSet({ protocol: e.target.value })}
      >
        <option value="">any</option>
        <option value="tcp">TCP</option>
        <option value="udp">UDP</option>
        <option value="sctp">SCTP</option>
      </SelectField>
      <div className="flex h-9 items-center gap-3">
        <label className="inline-flex items-center gap-2 text-sm whitespace-nowrap">
          <input
            type="checkbox"
            className="size-4 accent-sky-600"
            checked={filters.templates}
            onChange={(e) => onSet({ templates: e.target.checked })}
          />
          Templates only
        </label>
        <button
          type="button"
          className="rounded text-sm text-sky-700 hover:underline disabled:text-zinc-500 disabled:no-underline dark:text-sky-400 dark:disabled:text-zinc-500"
          disabled={empty}
          onClick={() => onSet(NO_CONN_FILTERS)}
        >
          Clear
        </button>
      </div>
    </div>
  );
}

function Chip({
  label,
  count,
  active,
  onClick,
  testId,
}: {
  label: string;
  count: number;
  active: boolean;
  onClick: () => void;
  testId?: string;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-pressed={active}
      data-testid={testId}
      className={`inline-flex h-7 items-center gap-1.5 rounded-md px-2 font-mono text-xs ring-1 ring-inset transition-colors ${
        active
          ? 'bg-sky-700 text-white ring-sky-700 dark:bg-sky-400 dark:text-zinc-950'
          : 'bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50 dark:bg-zinc-900 dark:text-zinc-200 dark:ring-zinc-700 dark:hover:bg-zinc-800'
      }`}
    >
      {label}
      <span className={`tabular-nums ${active ? '' : 'text-zinc-600 dark:text-zinc-400'}`}>{formatCount(count)}</span>
    </button>
  );
}

/** Entries per state and per real server, in a stable order (by name, not by count: chips do not swap places on
 * every refresh); a chip toggles the filter on its value. */
export function ConnectionChips({
  filters,
  onSet,
  byState,
  byDest,
}: {
  filters: ConnFilters;
  onSet: (patch: Partial<ConnFilters>) => void;
  byState: Record<string, number>;
  byDest: Record<string, number>;
}) {
  const states = Object.entries(byState).sort((a, b) => stateRank(a[0]) - stateRank(b[0]) || a[0].localeCompare(b[0]));
  const dests = Object.entries(byDest).sort(
    (a, b) =>
      Number(a[0].startsWith('[')) - Number(b[0].startsWith('[')) || a[0].localeCompare(b[0], 'en', { numeric: true }),
  );
  return (
    <div className="space-y-1.5 text-xs">
      <div className="flex min-h-7 flex-wrap items-center gap-1.5" data-testid="by-state">
        <span className="w-24 shrink-0 text-zinc-600 dark:text-zinc-400">By state</span>
        {states.length === 0 && <span className="text-zinc-500">—</span>}
        {states.map(([s, n]) => (
          <Chip
            key={s}
            label={s}
            count={n}
            active={filters.state === s}
            onClick={() => onSet({ state: filters.state === s ? '' : s })}
            testId={`state-${s}`}
          />
        ))}
      </div>
      {/* At most two rows of real servers, scrolling beyond: the table below stays where it is. */}
      <div
        className="flex max-h-[3.875rem] min-h-7 flex-wrap items-center gap-1.5 overflow-y-auto p-0.5"
        data-testid="by-dest"
      >
        <span className="w-24 shrink-0 text-zinc-600 dark:text-zinc-400">By real server</span>
        {dests.length === 0 && <span className="text-zinc-500">—</span>}
        {dests.map(([d, n]) => (
          <Chip
            key={d}
            label={d}
            count={n}
            active={filters.dest === d}
            onClick={() => onSet({ dest: filters.dest === d ? '' : d })}
            testId={`dest-${d}`}
          />
        ))}
      </div>
    </div>
  );
}
