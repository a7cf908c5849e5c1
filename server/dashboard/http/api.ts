// The /api/v1 dispatcher, built from the operation registry: match an operation's route, refuse cross-site
// requests, check the session and the role, parse path, query and body as the operation's input, run its handler,
// and answer JSON errors that name the field and the reason.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FileDownload } from '../../../lib/api/contracts';
import { ApiError, invalidInput } from '../../../lib/errors';
import { NoOutput, checkRole, type Operation, type RestBinding } from '../../../lib/api/operation';
import { OPERATIONS, type OperationName } from '../../../lib/api/operations';
import type { HttpSide } from '../operations/handler';
import { HANDLERS } from '../operations';
import { JsonText } from '../operations/handler';
import type { Services } from '../services';
import { pathFields } from './openapi';
import {
  clearedCookie,
  clientAddress,
  identify,
  isHttps,
  originAllowed,
  sessionCookie,
  type RequestPolicy,
} from './session-cookie';

export const API_PREFIX = '/api/v1';
/** Bodies of public routes (sign in: a name and a password), read before anyone is known. */
export const PUBLIC_BODY_LIMIT = 4 * 1024;
/** Bodies of signed-in routes, unless the operation declares a larger `maxBody` (imports). */
export const BODY_LIMIT = 64 * 1024;

const inUnits = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;

interface Route {
  name: OperationName;
  op: Operation;
  rest: RestBinding;
  pattern: RegExp;
  names: string[];
}

/** Every operation with a REST binding, as a route. */
export const ROUTES: readonly Route[] = (Object.entries(OPERATIONS) as [OperationName, Operation][]).flatMap(
  ([name, op]) => {
    const rest = op.rest;
    if (!rest) return [];
    const source = rest.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '([^/]+)');
    return [{ name, op, rest, pattern: new RegExp(`^${source}$`), names: pathFields(rest.path) }];
  },
);

/** The body limit of a route: public routes never get more than PUBLIC_BODY_LIMIT. */
const bodyLimit = (r: Route): number => (r.op.access === 'public' ? PUBLIC_BODY_LIMIT : (r.rest.maxBody ?? BODY_LIMIT));

function decodePathPart(raw: string, name: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ApiError('invalid', `${name}: bad percent-encoding in the path`, { field: name });
  }
}

function tooLarge(r: Route, limit: number): ApiError {
  // connection: close, so the rest of an oversized body is never read
  return new ApiError('invalid', `body: at most ${inUnits(limit)} on ${r.rest.method} ${r.rest.path}`, {
    field: 'body',
    status: 413,
    headers: { connection: 'close' },
  });
}

async function readBody(req: IncomingMessage, r: Route): Promise<unknown> {
  const limit = bodyLimit(r);
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge(r, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw tooLarge(r, limit);
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new ApiError('invalid', 'send the body as application/json', { field: 'body', status: 415 });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError('invalid', 'body is not valid JSON', { field: 'body' });
  }
}

function queryOf(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(k);
    out[k] = all.length > 1 ? all : (all[0] as string);
  }
  return out;
}

/** Path parameters, with the query (GET) or the body (the others) — or the body as one input field. */
async function rawInput(req: IncomingMessage, url: URL, r: Route, m: RegExpExecArray): Promise<unknown> {
  const params = Object.fromEntries(r.names.map((n, i) => [n, decodePathPart(m[i + 1] ?? '', n)]));
  if (r.rest.method === 'GET') return { ...queryOf(url), ...params };
  const body = await readBody(req, r);
  if (r.rest.bodyField) return { ...params, [r.rest.bodyField]: body };
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, ...params } : body;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[]>;
  contentType?: string;
  text?: string;
}

function send(res: ServerResponse, reply: Reply): void {
  const headers = { 'cache-control': 'no-store', ...reply.headers };
  if (reply.text === undefined) {
    res.writeHead(reply.status === 200 ? 204 : reply.status, headers);
    res.end();
    return;
  }
  res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json; charset=utf-8', ...headers });
  res.end(reply.text);
}

function sendError(res: ServerResponse, e: ApiError): void {
  send(res, { status: e.status, headers: e.detail.headers ?? {}, text: JSON.stringify({ error: e.toAck() }) });
}

/** The handler's answer as the HTTP reply: a file as an attachment, nothing as 204, anything else as JSON. */
function replyOf(r: Route, output: unknown, headers: Reply['headers']): Reply {
  const status = typeof r.rest.status === 'function' ? r.rest.status(output) : (r.rest.status ?? 200);
  if (output instanceof JsonText) return { status, headers, text: output.text };
  if (r.op.output === NoOutput) return { status, headers };
  if (r.op.output === FileDownload) {
    const file = output as FileDownload;
    const name = file.filename.replace(/[^\w.-]/g, '_');
    return {
      status,
      headers: { ...headers, 'content-disposition': `attachment; filename="${name}"` },
      contentType: file.contentType,
      text: file.text,
    };
  }
  return { status, headers, text: JSON.stringify(output) };
}

export interface Api {
  /** Handles the request when its path is under /api/v1; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export function createApi(deps: { services: Services; policy: RequestPolicy }): Api {
  const { services, policy } = deps;
  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) return false;
      try {
        const matches = ROUTES.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).filter((x) => x.m);
        if (matches.length === 0) throw new ApiError('not_found', `no route ${url.pathname}`);
        const hit = matches.find((x) => x.r.rest.method === req.method);
        if (!hit?.m)
          throw new ApiError('invalid', `${req.method} is not allowed on ${url.pathname}`, {
            status: 405,
            headers: { allow: matches.map((x) => x.r.rest.method).join(', ') },
          });
        const { r, m } = hit;
        if (req.method !== 'GET' && !originAllowed(req, policy))
          throw new ApiError('forbidden', 'cross-site request refused (Origin)');
        const actor = identify(services, req.headers);
        // The operation's role before anything is read; a role some inputs raise it to, once they are parsed.
        checkRole(r.op, undefined, actor?.user.role);
        const parsed = r.op.input.safeParse(await rawInput(req, url, r, m));
        if (!parsed.success) {
          const first = parsed.error.issues[0]?.path[0];
          const drop = r.rest.bodyField && first === r.rest.bodyField ? 1 : 0;
          throw invalidInput(parsed.error, { drop, where: req.method === 'GET' ? 'query' : 'body', prefix: true });
        }
        if (r.op.raise) checkRole(r.op, parsed.data, actor?.user.role);
        const headers: Reply['headers'] = {};
        const secure = isHttps(req, policy);
        const http: HttpSide = {
          address: clientAddress(req, policy),
          userAgent: String(req.headers['user-agent'] ?? ''),
          startSession: (token) => void (headers['set-cookie'] = sessionCookie(token, secure)),
          endSession: () => void (headers['set-cookie'] = clearedCookie(secure)),
        };
        const handler = HANDLERS[r.name] as (ctx: object, input: unknown) => unknown;
        const output = await handler({ services, actor, via: 'rest', http }, parsed.data);
        send(res, replyOf(r, output, headers));
      } catch (e) {
        if (e instanceof ApiError) sendError(res, e);
        else {
          console.error(`dashboard: ${req.method} ${url.pathname} failed:`, e);
          sendError(res, new ApiError('internal', 'internal error; see the dashboard server log'));
        }
      }
      return true;
    },
  };
}
