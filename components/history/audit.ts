// The audit history as the browser asks for it: filters (kept in the page URL too) and the query they become.
import type { AuditEntry, AuditStatus } from '@/lib/api/contracts';
import type { InputOf } from '@/lib/api/types';

export type { AuditEntry, AuditStatus };

export const PAGE_SIZE = 100;

export interface AuditFilter {
  director: string;
  /** A service id (tcp/10.1.0.10:80): finds the service and its real servers. */
  service: string;
  user: string;
  status: AuditStatus | '';
  /** datetime-local values (browser time zone), '' for no bound. */
  from: string;
  to: string;
}

export const NO_FILTER: AuditFilter = { director: '', service: '', user: '', status: '', from: '', to: '' };
const KEYS = Object.keys(NO_FILTER) as (keyof AuditFilter)[];

/** A datetime-local value as epoch ms; `end` makes a minute-precision bound include that whole minute. */
function toMs(local: string, end: boolean): number | null {
  if (!local) return null;
  const t = new Date(local).getTime();
  if (Number.isNaN(t)) return null;
  return end && local.length <= 16 ? t + 59_999 : t;
}

/** The audit query for these filters (the export takes the same filters). */
export function auditParams(f: AuditFilter): InputOf<'audit:query'> {
  const from = toMs(f.from, false);
  const to = toMs(f.to, true);
  return {
    ...(f.director ? { director: f.director } : {}),
    ...(f.service.trim() ? { service: f.service.trim() } : {}),
    ...(f.user.trim() ? { user: f.user.trim() } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(from !== null ? { from } : {}),
    ...(to !== null ? { to } : {}),
  };
}

export function filterFromSearch(search: Record<string, string | undefined>): AuditFilter {
  const f = { ...NO_FILTER };
  for (const k of KEYS) {
    const v = search[k];
    if (typeof v !== 'string') continue;
    if (k === 'status') f.status = v === 'ok' || v === 'partial' || v === 'error' || v === 'pending' ? v : '';
    else f[k] = v;
  }
  return f;
}

/** The page's own URL for these filters, so a filtered history can be bookmarked or shared. */
export function filterSearch(f: AuditFilter): string {
  const q = new URLSearchParams();
  for (const k of KEYS) if (f[k]) q.set(k, f[k]);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function sameFilter(a: AuditFilter, b: AuditFilter): boolean {
  return KEYS.every((k) => a[k] === b[k]);
}

/** New rows first; a row seen again (a pending change that finished) replaces its older copy. */
export function mergeNewest(current: readonly AuditEntry[], fresh: readonly AuditEntry[]): AuditEntry[] {
  const byId = new Map(current.map((e) => [e.id, e]));
  for (const e of fresh) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}
