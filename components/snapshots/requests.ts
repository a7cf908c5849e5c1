// The snapshot operations the page uses. Imports and restores answer 422 with the whole outcome when an operation
// failed: that is an outcome to show, not an error.
import { api, hrefOf } from '@/components/auth/api';
import type { ApplyResult, ExportFormat, SnapshotMeta } from '@/lib/api/contracts';
import type { AckError } from '@/lib/errors';
import type { TableDiff } from '@/lib/ipvs';

export type { ApplyResult, SnapshotMeta, TableDiff };

export type { ExportFormat };
export const EXPORT_FORMATS: { format: ExportFormat; label: string; title: string }[] = [
  { format: 'save', label: 'ipvsadm rules', title: 'ipvsadm -S -n text: restore with ipvsadm -R or import here' },
  { format: 'json', label: 'JSON', title: "The dashboard's model of the table: import it here" },
  { format: 'keepalived', label: 'keepalived.conf', title: 'virtual_server blocks for keepalived' },
];

export const liveExportHref = (director: string, format: ExportFormat) =>
  hrefOf('director:export', { director, format });
export const snapshotDownloadHref = (id: number, format: ExportFormat) => hrefOf('snapshots:download', { id, format });

/** A page of a director's snapshots, newest first: the newest ones, or those older than id `before`. */
export const listSnapshots = (director: string, before?: number) =>
  api('snapshots:list', before === undefined ? { director } : { director, before });
export const saveSnapshot = (director: string, name: string) => api('snapshots:save', { director, name });
export const deleteSnapshot = (id: number) => api('snapshots:delete', { id });
export const previewSnapshot = (id: number) => api('snapshots:preview', { id });
export const previewImport = (director: string, rules: string) => api('import:preview', { director, rules });

/** How an import or restore ended: the outcome (operations may have failed), or why nothing was applied. */
export type ApplyReply = { ok: true; outcome: ApplyResult } | { ok: false; error: AckError };

/** The generic client answers a 422 with its outcome as data, so an apply whose operations failed is an outcome. */
const applied = (r: Awaited<ReturnType<typeof api<'import:apply'>>>): ApplyReply =>
  r.ok ? { ok: true, outcome: r.data } : { ok: false, error: r.error };

export const applyImport = async (director: string, rules: string, name: string) =>
  applied(await api('import:apply', name.trim() ? { director, rules, name: name.trim() } : { director, rules }));
export const restoreSnapshot = async (id: number) => applied(await api('snapshots:restore', { id }));

/** What importing a keepalived.conf would change, with the checks it would set and the lines it cannot express. */
export const previewKeepalived = (director: string, config: string, others: KeepalivedOthers) =>
  api('import:keepalived:preview', { director, config, others });
/** What a keepalived.conf import does with live services the file does not name. */
export type KeepalivedOthers = 'remove' | 'keep';
export type KeepalivedPreview = Extract<Awaited<ReturnType<typeof previewKeepalived>>, { ok: true }>['data'];

/** A keepalived.conf import's outcome, and why its checks could not be set (null: they were). */
export const applyKeepalived = async (director: string, config: string, name: string, others: KeepalivedOthers) => {
  const r = await api(
    'import:keepalived:apply',
    name.trim() ? { director, config, others, name: name.trim() } : { director, config, others },
  );
  const reply: ApplyReply = r.ok ? { ok: true, outcome: r.data } : { ok: false, error: r.error };
  return { reply, checksError: r.ok ? r.data.checksError : null };
};

/** keepalived.conf text (a virtual_server or virtual_server_group block) rather than ipvsadm rules or JSON. */
export const looksLikeKeepalived = (text: string) => /^\s*virtual_server(_group)?\s/m.test(text);
