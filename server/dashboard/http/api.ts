// The /api/v1 dispatcher: match a route, refuse cross-site requests, check the session and the route's role, parse
// path, query and body with the route's schemas, run it, and answer JSON errors that name the field and the reason.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { roleAtLeast } from '../../../lib/roles';
import type { Hub } from '../../hub/hub';
import { HttpError, type Reply, type Route, type RouteSockets } from './route';
import { identify, originAllowed, type RequestPolicy } from './session-cookie';

export const API_PREFIX = '/api/v1';
/** Bodies of public routes (sign in: a name and a password), read before anyone is known. */
export const PUBLIC_BODY_LIMIT = 4 * 1024;
/** Bodies of signed-in routes, unless the route declares a larger `maxBody` (imports). */
export const BODY_LIMIT = 64 * 1024;

const inUnits = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;

/** The body limit of a route: public routes never get more than PUBLIC_BODY_LIMIT. */
export function bodyLimit(route: Route): number {
  return route.access === 'public' ? PUBLIC_BODY_LIMIT : (route.maxBody ?? BODY_LIMIT);
}

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'));
  return { route, pattern: new RegExp(`^${source}$`), names };
}

function parseWith<T>(schema: z.ZodType<T> | undefined, input: unknown, where: string): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join('.') : where;
  throw new HttpError(400, 'invalid', `${field}: ${issue?.message ?? 'invalid'}`, field);
}

function decodePathPart(raw: string, name: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'invalid', `${name}: bad percent-encoding in the path`, name);
  }
}

function tooLarge(route: Route, limit: number): HttpError {
  // connection: close, so the rest of an oversized body is never read
  return new HttpError(413, 'invalid', `body: at most ${inUnits(limit)} on ${route.method} ${route.path}`, 'body', {
    connection: 'close',
  });
}

async function readBody(req: IncomingMessage, route: Route): Promise<unknown> {
  const limit = bodyLimit(route);
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge(route, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw tooLarge(route, limit);
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new HttpError(415, 'invalid', 'send the body as application/json', 'body');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid', 'body is not valid JSON', 'body');
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const status = reply.status ?? 200;
  const headers: Record<string, string | string[]> = { 'cache-control': 'no-store', ...reply.headers };
  if (reply.download)
    headers['content-disposition'] = `attachment; filename="${reply.download.replace(/[^\w.-]/g, '_')}"`;
  if (reply.text !== undefined) {
    res.writeHead(status, { 'content-type': reply.contentType ?? 'text/plain; charset=utf-8', ...headers });
    res.end(reply.text);
  } else if (reply.json !== undefined) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(reply.json));
  } else {
    res.writeHead(status === 200 ? 204 : status, headers);
    res.end();
  }
}

function sendError(res: ServerResponse, e: HttpError): void {
  send(res, {
    status: e.status,
    json: {
      error: e.field ? { code: e.code, message: e.message, field: e.field } : { code: e.code, message: e.message },
    },
    headers: e.headers,
  });
}

export interface Api {
  /** Handles the request when its path is under /api/v1; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export function createApi(
  routes: readonly Route[],
  deps: { hub: Hub; policy: RequestPolicy; sockets: RouteSockets },
): Api {
  const compiled = routes.map(compile);
  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) return false;
      try {
        const matches = compiled.map((c) => ({ c, m: c.pattern.exec(url.pathname) })).filter((x) => x.m);
        if (matches.length === 0) throw new HttpError(404, 'not_found', `no route ${url.pathname}`);
        const hit = matches.find((x) => x.c.route.method === req.method);
        if (!hit)
          throw new HttpError(405, 'invalid', `${req.method} is not allowed on ${url.pathname}`, undefined, {
            allow: matches.map((x) => x.c.route.method).join(', '),
          });
        const { route, names } = hit.c;
        if (req.method !== 'GET' && !originAllowed(req, deps.policy))
          throw new HttpError(403, 'forbidden', 'cross-site request refused (Origin)');
        const identity = identify(deps.hub, req.headers);
        if (route.access !== 'public') {
          if (!identity) throw new HttpError(401, 'unauthorized', 'sign in first');
          if (!roleAtLeast(identity.user.role, route.access))
            throw new HttpError(403, 'forbidden', `needs the ${route.access} role (you are ${identity.user.role})`);
        }
        const rawParams = Object.fromEntries(names.map((n, i) => [n, decodePathPart(hit.m?.[i + 1] ?? '', n)]));
        const rawQuery: Record<string, string | string[]> = {};
        for (const k of new Set(url.searchParams.keys())) {
          const all = url.searchParams.getAll(k);
          rawQuery[k] = all.length > 1 ? all : (all[0] as string);
        }
        const params = parseWith(route.params, rawParams, 'path');
        const query = parseWith(route.query, rawQuery, 'query');
        const body = route.body ? parseWith(route.body, await readBody(req, route), 'body') : undefined;
        send(
          res,
          await route.handler({
            req,
            params,
            query,
            body,
            identity,
            hub: deps.hub,
            policy: deps.policy,
            sockets: deps.sockets,
          }),
        );
      } catch (e) {
        if (e instanceof HttpError) sendError(res, e);
        else {
          console.error(`dashboard: ${req.method} ${url.pathname} failed:`, e);
          sendError(res, new HttpError(500, 'internal', 'internal error; see the dashboard server log'));
        }
      }
      return true;
    },
  };
}
