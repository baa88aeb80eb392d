/**
 * An OpenAPI 3.0 document of what this Roost serves, made from the contract: the declared operations only (with
 * the legacy parameters they also take), their parameters, bodies, responses and security, the component schemas
 * they reach, and `servers` set to the origin the caller used. Pure: descriptors in, a document out.
 */
import { oauth2Scopes, schemas, specVersion, type OperationDescriptor, type ParamDescriptor, type ScalarConstraint } from '@roost/contract';

type Json = Record<string, unknown>;

const REF = '#/components/schemas/';

function scalarSchema(c: ScalarConstraint): Json {
  const out: Json = {};
  for (const k of ['type', 'enum', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'format', 'default'] as const) {
    if (c[k] !== undefined) out[k] = c[k];
  }
  if (!out.type) out.type = 'string';
  return out;
}

function parameter(p: ParamDescriptor): Json {
  const schema: Json = p.array
    ? { type: 'array', items: scalarSchema(p.items ?? {}), ...(p.minItems !== undefined ? { minItems: p.minItems } : {}), ...(p.maxItems !== undefined ? { maxItems: p.maxItems } : {}) }
    : scalarSchema(p);
  const out: Json = { name: p.name, in: p.in, required: p.in === 'path' ? true : p.required, schema };
  if (p.array) Object.assign(out, { style: p.in === 'path' ? 'simple' : 'form', explode: false });
  if (p.aliasOf) out.description = `The other name generation of \`${p.aliasOf}\`; either is accepted.`;
  return out;
}

const jsonContent = (schema: Json) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `${REF}${name}` });

/** Every schema a set of roots reaches through `$ref`s. */
function reachable(roots: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const todo = [...roots];
  while (todo.length) {
    const name = todo.pop()!;
    if (name in out || !(name in schemas)) continue;
    out[name] = schemas[name];
    const text = JSON.stringify(schemas[name]);
    for (const m of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) if (!(m[1]! in out)) todo.push(m[1]!);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function operationObject(d: OperationDescriptor, used: Set<string>): Json {
  const responses: Json = {};
  for (const [status, schema] of Object.entries(d.responses)) {
    if (schema) used.add(schema);
    responses[status] = {
      description: 'The request has succeeded.',
      content: schema ? jsonContent(ref(schema)) : d.path.endsWith('.json') || d.path.startsWith('/2/') ? jsonContent({ type: 'object' }) : { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    };
  }
  responses.default = {
    description: 'The request has failed.',
    content: { 'application/json': { schema: ref('Error') }, 'application/problem+json': { schema: ref('Problem') } },
  };
  const op: Json = {
    operationId: d.operationId,
    tags: [d.tag],
    parameters: d.params.map(parameter),
    responses,
    security: d.security.map((s) => ({ [s.scheme]: [...s.scopes] })),
  };
  if (d.body) {
    if (d.body.schema) used.add(d.body.schema);
    const schema = d.body.schema ? ref(d.body.schema) : { type: 'object' };
    op.requestBody = { required: d.body.required, content: Object.fromEntries(d.body.contentTypes.map((ct) => [ct, { schema }])) };
  }
  if (d.streaming) op['x-roost-streaming'] = true;
  return op;
}

export function openApiDocument(descriptors: readonly OperationDescriptor[], origin: string): Json {
  const used = new Set<string>(['Error', 'Problem']);
  const paths: Record<string, Json> = {};
  for (const d of [...descriptors].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    (paths[d.path] ??= {})[d.method.toLowerCase()] = operationObject(d, used);
  }
  const tags = [...new Set(descriptors.map((d) => d.tag))].sort().map((name) => ({ name }));
  return {
    openapi: '3.0.0',
    info: {
      title: 'Roost — X API v2',
      version: specVersion,
      description: "The operations this Roost serves, from X's OpenAPI specification (the contract Roost is generated from).",
    },
    servers: [{ url: origin, description: 'This Roost' }],
    tags,
    paths,
    components: {
      schemas: reachable(used),
      securitySchemes: {
        BearerToken: { type: 'http', scheme: 'bearer' },
        UserToken: { type: 'http', scheme: 'OAuth' },
        OAuth2UserToken: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: `${origin}/i/oauth2/authorize`,
              tokenUrl: `${origin}/2/oauth2/token`,
              scopes: Object.fromEntries([...oauth2Scopes, 'block.write'].map((s) => [s, s])),
            },
          },
        },
      },
    },
  };
}
