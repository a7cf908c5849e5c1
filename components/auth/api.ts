// The browser's REST client for /api/v1: JSON in, JSON out, errors as the same AckError shape the socket uses.
import type { AckError } from '@/lib/events';

export type ApiResult<T> = { ok: true; data: T; status: number } | { ok: false; error: AckError; status: number };

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
    });
  } catch (e) {
    return {
      ok: false,
      status: 0,
      error: { code: 'unavailable', message: `the dashboard server did not answer (${(e as Error).message})` },
    };
  }
  if (res.status === 401 && !path.startsWith('/api/v1/auth/login')) {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (res.ok) return { ok: true, status: res.status, data: body as T };
  const error = (body as { error?: AckError } | null)?.error ?? { code: 'internal', message: `HTTP ${res.status}` };
  return { ok: false, status: res.status, error };
}
