// The OpenAPI 3.1 document, generated from the route definitions the dispatcher enforces, so it cannot drift.
import { z } from 'zod';
import type { Route } from './route';

const schemaOf = (s: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

function parameters(r: Route): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [
    ['path', r.params],
    ['query', r.query],
  ] as const) {
    if (!schema) continue;
    const js = schemaOf(schema as z.ZodType) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
    }
  }
  return out;
}

const ERROR = {
  description: 'Error',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
            required: ['code', 'message'],
          },
        },
      },
    },
  },
};

export function openApiDocument(routes: readonly Route[], version: string): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      'x-required-role': r.access,
      security: r.access === 'public' ? [] : [{ session: [] }],
      parameters: parameters(r),
      responses: {
        '200': { description: r.returns },
        ...(r.access === 'public'
          ? {}
          : {
              '401': { ...ERROR, description: 'No session' },
              '403': { ...ERROR, description: `Role below ${r.access}, or a cross-site request` },
            }),
        '400': { ...ERROR, description: 'Invalid input: error.field names the field' },
      },
    };
    if (r.body)
      op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(r.body as z.ZodType) } } };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'lvs-dashboard API',
      version,
      description:
        'Live management of Linux Virtual Server directors. Every route but login, logout and this document needs a session cookie (POST /api/v1/auth/login); x-required-role names the least role allowed (viewer < operator < admin).',
    },
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'lvs_session' } } },
    paths,
  };
}
