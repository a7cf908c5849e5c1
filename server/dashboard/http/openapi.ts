// The OpenAPI 3.1 document, generated from the operation registry the dispatcher enforces, so it cannot drift:
// each REST operation's parameters, body and answer come from its input and output schemas.
import { z } from 'zod';
import { FileDownload } from '../../../lib/api/contracts';
import { NoOutput, type Operation, type RestBinding } from '../../../lib/api/operation';
import { OPERATIONS } from '../../../lib/api/operations';

type JsonSchema = { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;

const schemaOf = (s: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

/** The input fields named in the path. */
export const pathFields = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');

function parameters(rest: RestBinding, input: JsonSchema): unknown[] {
  const inPath = pathFields(rest.path);
  const out: unknown[] = [];
  for (const [name, schema] of Object.entries(input.properties ?? {})) {
    if (inPath.includes(name)) out.push({ name, in: 'path', required: true, schema });
    else if (rest.method === 'GET')
      out.push({ name, in: 'query', required: (input.required ?? []).includes(name), schema });
  }
  return out;
}

function requestBody(rest: RestBinding, input: JsonSchema): unknown {
  if (rest.method === 'GET') return undefined;
  const inPath = pathFields(rest.path);
  const properties = Object.entries(input.properties ?? {}).filter(([name]) => !inPath.includes(name));
  if (rest.bodyField) {
    const schema = input.properties?.[rest.bodyField];
    return schema && { required: true, content: { 'application/json': { schema } } };
  }
  if (properties.length === 0) return undefined;
  const schema = {
    ...input,
    properties: Object.fromEntries(properties),
    required: (input.required ?? []).filter((n) => !inPath.includes(n)),
  };
  return { required: true, content: { 'application/json': { schema } } };
}

function success(op: Operation): unknown {
  if (op.output === NoOutput) return { description: 'No content' };
  if (op.output === FileDownload) return { description: 'The file (attachment)' };
  return { description: 'Success', content: { 'application/json': { schema: schemaOf(op.output, 'output') } } };
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

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, string>;
  components: Record<string, unknown>;
  paths: Record<string, Record<string, unknown>>;
}

export function openApiDocument(version: string): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, op] of Object.entries(OPERATIONS) as [string, Operation][]) {
    const rest = op.rest;
    if (!rest) continue;
    const input = schemaOf(op.input, 'input');
    const status = typeof rest.status === 'number' ? rest.status : 200;
    const body = requestBody(rest, input);
    (paths[rest.path] ??= {})[rest.method.toLowerCase()] = {
      operationId: name,
      summary: op.summary,
      tags: [op.tag],
      'x-required-role': op.access,
      ...(op.socket ? { 'x-socket-event': name } : {}),
      security: op.access === 'public' ? [] : [{ session: [] }],
      parameters: parameters(rest, input),
      ...(body ? { requestBody: body } : {}),
      responses: {
        [String(status)]: success(op),
        ...(typeof rest.status === 'function'
          ? { '422': { description: 'Some operations failed: the same body' } }
          : {}),
        ...(op.access === 'public'
          ? {}
          : {
              '401': { ...ERROR, description: 'No session' },
              '403': { ...ERROR, description: `Role below ${op.access}, or a cross-site request` },
            }),
        '400': { ...ERROR, description: 'Invalid input: error.field names the field' },
      },
    };
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
