// The snapshot routes the page uses. Imports and restores answer 422 with the whole outcome when an operation failed,
// which the generic client reports only as an error, so they have their own request here.
import { api } from '@/components/auth/api';
import type { AckError } from '@/lib/events';
import type { TableDiff } from '@/lib/ipvs';
import type { ApplyResult } from '@/server/hub/changes';
import type { SnapshotMeta } from '@/server/hub/store/snapshots';

export type { ApplyResult, SnapshotMeta, TableDiff };

export type ExportFormat = 'save' | 'json' | 'keepalived';
export const EXPORT_FORMATS: { format: ExportFormat; label: string; title: string }[] = [
  { format: 'save', label: 'ipvsadm rules', title: 'ipvsadm -S -n text: restore with ipvsadm -R or import here' },
  { format: 'json', label: 'JSON', title: "The dashboard's model of the table: import it here" },
  { format: 'keepalived', label: 'keepalived.conf', title: 'virtual_server blocks for keepalived' },
];

export const liveExportHref = (director: string, format: ExportFormat) =>
  `/api/v1/directors/${encodeURIComponent(director)}/export?format=${format}`;
export const snapshotDownloadHref = (id: number, format: ExportFormat) =>
  `/api/v1/snapshots/${id}/download?format=${format}`;

export const listSnapshots = (director: string) =>
  api<{ snapshots: SnapshotMeta[] }>(`/api/v1/snapshots?director=${encodeURIComponent(director)}`);
export const saveSnapshot = (director: string, name: string) =>
  api<{ snapshot: SnapshotMeta }>('/api/v1/snapshots', { method: 'POST', body: { director, name } });
export const deleteSnapshot = (id: number) => api<null>(`/api/v1/snapshots/${id}`, { method: 'DELETE' });
export const previewSnapshot = (id: number) => api<TableDiff>(`/api/v1/snapshots/${id}/preview`, { method: 'POST' });
export const previewImport = (director: string, rules: string) =>
  api<TableDiff>(`/api/v1/directors/${encodeURIComponent(director)}/import/preview`, {
    method: 'POST',
    body: { rules },
  });

/** How an import or restore ended: the outcome (operations may have failed), or why nothing was applied. */
export type ApplyReply = { ok: true; outcome: ApplyResult } | { ok: false; error: AckError };

async function postApply(path: string, body?: unknown): Promise<ApplyReply> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    return {
      ok: false,
      error: { code: 'unavailable', message: `the dashboard server did not answer (${(e as Error).message})` },
    };
  }
  if (res.status === 401) {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  const data = (await res.json().catch(() => null)) as (ApplyResult & { error?: AckError }) | null;
  if ((res.ok || res.status === 422) && data && Array.isArray(data.results)) return { ok: true, outcome: data };
  return { ok: false, error: data?.error ?? { code: 'internal', message: `HTTP ${res.status}` } };
}

export const applyImport = (director: string, rules: string, name: string) =>
  postApply(
    `/api/v1/directors/${encodeURIComponent(director)}/import`,
    name.trim() ? { rules, name: name.trim() } : { rules },
  );
export const restoreSnapshot = (id: number) => postApply(`/api/v1/snapshots/${id}/restore`);
