// The browser's typed REST client of the operation registry: `api(name, input)` sends the operation's request
// (path fields in the path, the rest in the query or the body) and answers its typed output, or the same AckError
// the socket uses. Downloads are links: `hrefOf(name, input)`.
import { OPERATIONS } from '@/lib/api/operations';
import type { InputOf, OutputOf, RestOperationName } from '@/lib/api/types';
import type { AckError } from '@/lib/errors';

export type ApiResult<T> = { ok: true; data: T; status: number } | { ok: false; error: AckError; status: number };

/** The operation's path with its path fields filled in, and the input's other fields. */
function located<N extends RestOperationName>(name: N, input: InputOf<N>) {
  const rest = OPERATIONS[name].rest;
  const fields: Record<string, unknown> = { ...(input as object) };
  const path = rest.path.replace(/\{(\w+)\}/g, (_, n: string) => {
    const v = encodeURIComponent(String(fields[n]));
    delete fields[n];
    return v;
  });
  return { rest, path, fields };
}

function queryString(fields: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(fields))
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) q.append(k, String(one));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A GET operation's URL (exports and downloads, opened as links). */
export function hrefOf<N extends RestOperationName>(name: N, input: InputOf<N>): string {
  const { path, fields } = located(name, input);
  return path + queryString(fields);
}

export async function api<N extends RestOperationName>(name: N, input: InputOf<N>): Promise<ApiResult<OutputOf<N>>> {
  const { rest, path, fields } = located(name, input);
  const body = rest.method === 'GET' ? undefined : 'bodyField' in rest ? fields[rest.bodyField] : fields;
  const url = rest.method === 'GET' ? path + queryString(fields) : path;
  let res: Response;
  try {
    res = await fetch(url, {
      method: rest.method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    return {
      ok: false,
      status: 0,
      error: { code: 'unavailable', message: `the dashboard server did not answer (${(e as Error).message})` },
    };
  }
  if (res.status === 401 && name !== 'auth:login') {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  const error = (data as { error?: AckError } | null)?.error;
  if (error || (!res.ok && data === null))
    return { ok: false, status: res.status, error: error ?? { code: 'internal', message: `HTTP ${res.status}` } };
  // An answer without an error is the operation's output, whatever its status (an apply with failed operations
  // answers 422 with the whole outcome); it is checked against the operation's output schema like any input.
  const output = OPERATIONS[name].output.safeParse(data);
  if (!output.success)
    return {
      ok: false,
      status: res.status,
      error: { code: 'internal', message: `unexpected answer from ${rest.method} ${path}: ${output.error.message}` },
    };
  return { ok: true, status: res.status, data: output.data as OutputOf<N> };
}
