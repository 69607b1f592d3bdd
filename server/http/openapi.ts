import { z } from 'zod';
import type { RouteSpec } from './route.js';
import { essence, MEDIA_TYPES } from '../lib/media-types.js';
import { PROBLEMS } from '../../contract/problems.js';
import type { OpenApiDocument } from '../../contract/schemas/openapi.js';

/** A problem's stable name: one of the catalogue's codes (contract/problems.ts), which says it in English and Chinese. */
const PROBLEM_CODE = { type: 'string', enum: Object.keys(PROBLEMS) };
const PROBLEM_PARAMS = {
  type: 'object',
  description: "The problem's particulars, named by its code.",
  additionalProperties: true,
};

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  try {
    const result = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
    delete result.$schema;
    return result;
  } catch {
    return {};
  }
}

const toOpenApiPath = (path: string): string => path.replaceAll(/:(\w+)/g, '{$1}');

function who(access: RouteSpec['access']): string {
  if (access === 'anyone') return 'Anyone, signed in or not.';
  if (access === 'signed_in') return 'Any signed-in user.';
  return `Roles: ${access.join(', ')}.`;
}

function parameters(spec: RouteSpec<any, any, any>): JsonSchema[] {
  const result: JsonSchema[] = [];
  const pathNames = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const paramsSchema = spec.params ? jsonSchema(spec.params, 'input') : {};
  const paramProps = (paramsSchema.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of pathNames) result.push({ name, in: 'path', required: true, schema: paramProps[name] ?? { type: 'string' } });
  if (spec.query) {
    const query = jsonSchema(spec.query, 'input');
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query.properties ?? {}) as Record<string, JsonSchema>)) {
      result.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  return result;
}

/** The media type of each file a route's `format` parameter may ask for instead of JSON. */
const FILE_TYPES: Record<string, string> = Object.fromEntries(
  Object.entries(MEDIA_TYPES).map(([format, type]) => [format, essence(type)]),
);

/** The files a route answers with when its `format` parameter asks (CSV, a workbook, a PDF), as binary bodies. */
function fileAnswers(spec: RouteSpec<any, any, any>): Record<string, JsonSchema> {
  const format = parameters(spec).find((p) => p.in === 'query' && p.name === 'format');
  const values = ((format?.schema as JsonSchema | undefined)?.enum ?? []) as string[];
  return Object.fromEntries(
    values.filter((v) => FILE_TYPES[v]).map((v) => [FILE_TYPES[v]!, { schema: { type: 'string', format: 'binary' } }]),
  );
}

/** The OpenAPI 3.1 document of the route table, from the same zod schemas that validate requests. */
export function openApiDocument(routes: readonly RouteSpec<any, any, any>[], version: string): OpenApiDocument {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of routes) {
    const path = `/api/v1${toOpenApiPath(spec.path)}`;
    const operation: JsonSchema = {
      summary: spec.summary,
      description: who(spec.access),
      'x-access': spec.access,
      operationId: spec.name ?? `${spec.method}${spec.path.replaceAll(/[/:]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
      parameters: parameters(spec),
      responses: {
        '200': {
          description: 'Success',
          content: {
            'application/json': { schema: spec.response ? jsonSchema(spec.response, 'output') : {} },
            ...fileAnswers(spec),
          },
        },
        ...(spec.access === 'anyone' ? {} : { '401': { $ref: '#/components/responses/Problem' } }),
        ...(Array.isArray(spec.access) ? { '403': { $ref: '#/components/responses/Problem' } } : {}),
        '400': { $ref: '#/components/responses/Problem' },
        // A route that reads a body refuses one it cannot read as sent (another type, an encoding).
        ...(spec.body || spec.bodyTypes?.length ? { '415': { $ref: '#/components/responses/Problem' } } : {}),
        // A route that downloads may refuse an account that has as many downloads under way as it may.
        ...Object.fromEntries(
          [...(spec.problems ?? []), ...(spec.downloads ? [429] : [])].map((status) => [
            String(status),
            { $ref: '#/components/responses/Problem' },
          ]),
        ),
        // Every route may answer 503 with Retry-After: the database does not answer, or the server is at capacity.
        '503': { $ref: '#/components/responses/Problem' },
      },
      ...(spec.access === 'anyone' ? { security: [] } : {}),
    };
    // A route may take only other types than JSON (an import's CSV or form): the document says so too.
    if (spec.body || spec.bodyTypes?.length) {
      const content: Record<string, JsonSchema> = spec.body
        ? { 'application/json': { schema: spec.bodyDocument ?? jsonSchema(spec.body, 'input') } }
        : {};
      for (const type of spec.bodyTypes ?? []) content[type] = { schema: { type: 'string' } };
      operation.requestBody = { required: true, content };
    }
    paths[path] ??= {};
    paths[path]![spec.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'alliance-outcomes API',
      version,
      description:
        'The collaboration-outcome API of the Yangtze River Delta University Technology Park Alliance. Errors are application/problem+json (RFC 9457). Every signed-in change must send the X-CSRF-Token header.',
    },
    servers: [{ url: '/' }],
    security: [{ session: [] }],
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ao_session' } },
      responses: {
        Problem: {
          description: 'A problem (RFC 9457)',
          content: {
            'application/problem+json': {
              schema: {
                type: 'object',
                properties: {
                  type: { type: 'string' },
                  title: { type: 'string' },
                  status: { type: 'integer' },
                  detail: { type: 'string', description: 'In English, rendered from code and params.' },
                  code: PROBLEM_CODE,
                  params: PROBLEM_PARAMS,
                  errors: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        path: { type: 'string' },
                        line: { type: 'integer' },
                        column: { type: 'string' },
                        code: PROBLEM_CODE,
                        params: PROBLEM_PARAMS,
                        message: { type: 'string', description: 'In English, rendered from code and params.' },
                      },
                      required: ['code', 'params', 'message'],
                    },
                  },
                },
                required: ['title', 'status', 'code', 'params'],
              },
            },
          },
        },
      },
    },
    paths,
  };
}
