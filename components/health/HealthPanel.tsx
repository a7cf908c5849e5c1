'use client';
// The service page's health checks: the service's check and each real server's own (operators edit them), and each
// real server's live health as its director's agent reports it: up / down / unknown by word and shape, stuck when its
// checker has not run for 3 intervals, the last check's time, latency and error; and the service's sorry server (is it
// in the table now) and quorum (held or lost), which operators set too.
import { useCallback, useEffect, useState } from 'react';
import { useCan } from '@/components/auth/session';
import { VIEWER_REASON } from '@/components/forms/edit';
import { request } from '@/components/realtime/request';
import { Button } from '@/components/ui/Button';
import { Panel } from '@/components/ui/Panel';
import { TableHead } from '@/components/ui/TableHead';
import { formatAge } from '@/components/ui/format';
import type { CheckConfig, HealthRow, ServiceHealthConfig } from '@/lib/health';
import { destinationId, serviceKey, type Service } from '@/lib/ipvs';
import { CheckFormDialog } from './CheckForm';
import { describeCheck } from './describe';
import { HealthStatus } from './HealthStatus';
import { ServiceOptionsDialog } from './ServiceOptionsForm';
import { ServiceOptionsSummary } from './ServiceOptionsSummary';
import { useHealthState } from './use-health';

interface Props {
  director: string;
  sid: string;
  service: Service;
  /** Changes are off (a viewer, or a director that is not live): why. */
  editOff: string | undefined;
  now: number | null;
}

type Editing = { destination?: { address: string; port: number }; current: CheckConfig | null } | null;

export function HealthPanel({ director, sid, service, editOff, now }: Props) {
  const canEdit = useCan('operator');
  const health = useHealthState(director);
  const [config, setConfig] = useState<ServiceHealthConfig | null | undefined>(undefined);
  const [configError, setConfigError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [editingOptions, setEditingOptions] = useState(false);
  const load = useCallback(() => {
    if (!canEdit) return;
    void request('health:config', [{ director, service: sid }]).then((r) => {
      if (r.ok) {
        setConfig(r.data.config);
        setConfigError(r.data.error);
      } else setConfigError(r.error.message);
    });
  }, [canEdit, director, sid]);
  useEffect(load, [load]);

  if (health && !health.available)
    return (
      <Panel title="Health checks" headingId="health-heading">
        <p className="px-4 py-3 text-sm text-zinc-500 dark:text-zinc-400">
          {director}&rsquo;s agent runs no health checks.
        </p>
      </Panel>
    );
  const own = (did: string) => config?.destinations.find((d) => destinationId(d.destination) === did)?.check ?? null;
  const rowOf = (did: string): HealthRow | undefined => health?.rows.get(`${sid}|${did}`);
  const off = !canEdit ? VIEWER_REASON : editOff;
  return (
    <Panel
      title="Health checks"
      headingId="health-heading"
      aside={
        canEdit && (
          <span className="ml-auto flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            <span data-testid="service-check">
              {config === undefined
                ? 'reading the checks…'
                : config?.check
                  ? describeCheck(config.check)
                  : 'no service check'}
            </span>
            <Button
              size="sm"
              onClick={() => setEditing({ current: config?.check ?? null })}
              disabled={off !== undefined || config === undefined}
              title={off}
            >
              {config?.check ? 'Edit check' : 'Add check'}
            </Button>
          </span>
        )
      }
    >
      {(configError ?? health?.configError) && (
        <p role="alert" className="px-4 pt-2 text-sm text-red-700 dark:text-red-400">
          The agent&rsquo;s checks file is not in use: {configError ?? health?.configError}
        </p>
      )}
      {/* an operator's row is there from the start, so the checks' answer does not push the table down */}
      {(canEdit || config !== undefined || health?.quorum[sid]) && (
        <ServiceOptionsSummary
          service={service}
          config={config}
          quorum={health?.quorum[sid]}
          canEdit={canEdit}
          off={off}
          onEdit={() => setEditingOptions(true)}
        />
      )}
      <table className="w-full table-fixed text-left text-sm" data-testid="health-table">
        <TableHead
          columns={[
            { label: 'Real server', width: 'w-40' },
            { label: 'Health', width: 'w-44' },
            { label: 'Last check', width: 'w-28' },
            { label: 'Latency', width: 'w-20', align: 'right' },
            { label: 'Last error' },
            { label: 'Check', width: canEdit ? 'w-[22rem]' : 'w-48' },
          ]}
        />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {service.destinations.map((d) => {
            const did = destinationId(d);
            const row = rowOf(did);
            const mine = own(did);
            return (
              <tr key={did} data-health={did}>
                <td className="truncate px-3 py-1.5 font-mono text-[13px]">{did}</td>
                <td className="px-3 py-1.5">
                  <HealthStatus row={row} />
                </td>
                <td className="px-3 py-1.5 text-xs tabular-nums" data-testid="health-last-check">
                  {row && now !== null ? formatAge(row.lastCheckAt, now) : '—'}
                </td>
                <td className="px-3 py-1.5 text-right text-xs tabular-nums" data-testid="health-latency">
                  {row?.latencyMs == null ? '—' : `${row.latencyMs} ms`}
                </td>
                <td
                  className="truncate px-3 py-1.5 text-xs text-red-700 dark:text-red-400"
                  title={row?.lastError ?? undefined}
                  data-testid="health-error"
                >
                  {row?.lastError ?? ''}
                </td>
                <td className="px-3 py-1.5 text-xs text-zinc-600 dark:text-zinc-400">
                  <div className="flex items-center justify-end gap-2">
                    <span
                      className="min-w-0 truncate"
                      title={mine ? describeCheck(mine) : undefined}
                      data-testid="health-check"
                    >
                      {mine ? describeCheck(mine) : row ? 'service check' : 'not checked'}
                    </span>
                    {canEdit && (
                      <Button
                        size="sm"
                        variant="ghost"
                        disabled={off !== undefined || config === undefined}
                        title={off}
                        aria-label={`Own check of ${did}`}
                        onClick={() => setEditing({ destination: { address: d.address, port: d.port }, current: mine })}
                      >
                        {mine ? 'Edit own check' : 'Own check…'}
                      </Button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {editing && (
        <CheckFormDialog
          director={director}
          service={serviceKey(service)}
          sid={sid}
          {...(editing.destination ? { destination: editing.destination } : {})}
          current={editing.current}
          onClose={() => setEditing(null)}
          onSaved={(c) => setConfig(c)}
        />
      )}
      {editingOptions && (
        <ServiceOptionsDialog
          director={director}
          service={serviceKey(service)}
          sid={sid}
          current={config ?? null}
          onClose={() => setEditingOptions(false)}
          onSaved={(c) => setConfig(c)}
        />
      )}
    </Panel>
  );
}
