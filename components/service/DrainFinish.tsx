'use client';
// A draining real server's finish line: the connections left, when it will be empty at the recent pace, and whether
// its agent removes it then (an operator can ask for that, or take it back).
import { useEffect, useState } from 'react';
import { useCan } from '@/components/auth/session';
import { errorText, sendEdit } from '@/components/forms/edit';
import { useServiceHistory } from '@/components/realtime/hooks';
import { WINDOW_MS } from '@/components/realtime/ring';
import { destRingKey, getStore } from '@/components/realtime/store';
import { formatCount } from '@/components/ui/format';
import type { AckError } from '@/lib/errors';
import { destinationId, serviceKey, type Destination, type KeptDrain, type Service, type TableId } from '@/lib/ipvs';
import { formatEta, timeToEmpty } from './drain-eta';

interface Props {
  director: string;
  sid: string;
  service: Service;
  d: Destination;
  drain: KeptDrain | undefined;
  table: TableId;
  /** Right edge of the charts (agent clock); null on the server. */
  end: number | null;
}

/** Active + inactive connections over the last minutes, from the page's ring of samples. */
function connSeries(director: string, sid: string, did: string, end: number | null) {
  const ring = getStore().ring(destRingKey(director, sid, did));
  if (!ring || end === null) return null;
  const active = ring.series('active', end - WINDOW_MS);
  const inactive = ring.series('inactive', end - WINDOW_MS);
  return { t: active.t, v: active.v.map((a, i) => a + (inactive.v[i] ?? NaN)) };
}

export function DrainFinish({ director, sid, service, d, drain, table, end }: Props) {
  useServiceHistory(director, sid);
  const canEdit = useCan('operator');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AckError | null>(null);
  const did = destinationId(d);
  const left = d.activeConns + d.inactiveConns;
  const series = left > 0 ? connSeries(director, sid, did, end) : null;
  const eta = series ? timeToEmpty(series.t, series.v) : left === 0 ? 0 : null;
  const kept = drain?.removeWhenEmpty ?? false;
  // the switch shows what was asked at once; the agent's drain (read again after the edit) then confirms it
  const [asked, setAsked] = useState<boolean | null>(null);
  useEffect(() => {
    if (asked === kept) setAsked(null);
  }, [asked, kept]);
  const remove = asked ?? kept;

  async function toggle(on: boolean) {
    setAsked(on);
    setPending(true);
    setError(null);
    const dest = { address: d.address, port: d.port };
    const r = await sendEdit(
      director,
      { kind: 'drain', service: serviceKey(service), destination: dest, removeWhenEmpty: on },
      table,
    );
    setPending(false);
    if (!r.ok) {
      setAsked(null);
      setError(r.error);
    }
  }

  return (
    <div className="mt-0.5 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
      {left > 0 && (
        <div data-testid="drain-left">
          {formatCount(d.activeConns)} active, {formatCount(d.inactiveConns)} inactive left
        </div>
      )}
      {d.persistConns !== undefined && d.persistConns > 0 && (
        <div data-testid="drain-templates">{formatCount(d.persistConns)} templates left</div>
      )}
      <div data-testid="drain-eta">
        {eta === null ? 'not falling yet' : eta === 0 ? 'empty' : `empty in ${formatEta(eta)}`}
      </div>
      {drain && (
        <label
          className="mt-0.5 flex items-center gap-1 font-sans"
          title="The agent deletes it once its connections and templates are gone"
        >
          <input
            type="checkbox"
            checked={remove}
            disabled={!canEdit || pending}
            onChange={(e) => void toggle(e.target.checked)}
          />
          remove when empty
        </label>
      )}
      {error && (
        <p role="alert" className="text-red-600 dark:text-red-400">
          {errorText(error)}
        </p>
      )}
    </div>
  );
}
