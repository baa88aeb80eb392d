/**
 * Validates response bodies against the operation's response schema from the contract (ajv). Classic-name
 * responses are mapped to the 2.167 names first (FACTS §2.4), since the spec's schemas use the new names.
 */
import { Ajv2019 as AjvCtor } from 'ajv/dist/2019.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { extensionOperations, operations, responseKeyRenames, schemas, invert, type OperationDescriptor } from '@roost/contract';

const toModern = invert(responseKeyRenames); // classic → modern

let ajv: InstanceType<typeof AjvCtor> | undefined;
const validators = new Map<string, ValidateFunction>();

function getAjv() {
  if (ajv) return ajv;
  ajv = new AjvCtor({ strict: false, allErrors: true, validateFormats: true });
  (addFormats as unknown as (a: unknown) => void)(ajv);
  const components: Record<string, unknown> = { ...schemas };
  // The spec's Problem is a discriminated oneOf keyed on api.x.com type URIs; real bodies use api.twitter.com
  // (FACTS §1.5). Check the common Problem members instead.
  components.Problem = {
    type: 'object',
    required: ['title', 'type'],
    properties: { title: { type: 'string' }, type: { type: 'string' }, detail: { type: 'string' } },
  };
  ajv.addSchema({ $id: 'spec', components: { schemas: withParentDiscriminators(withTypelessNullables(components), components) } });
  return ajv;
}

function validatorFor(schemaName: string): ValidateFunction {
  let v = validators.get(schemaName);
  if (!v) {
    v = getAjv().compile({ $ref: `spec#/components/schemas/${schemaName}` });
    validators.set(schemaName, v);
  }
  return v;
}

/**
 * ajv's `nullable` needs a `type` beside it; the spec also writes `{nullable, oneOf: […]}` (media analytics
 * metrics). Those become `anyOf: [...alternatives, {type: 'null'}]`.
 */
function withTypelessNullables(v: unknown): any {
  if (Array.isArray(v)) return v.map(withTypelessNullables);
  if (!v || typeof v !== 'object') return v;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = withTypelessNullables(x);
  if (o.nullable === true && o.type === undefined && (o.oneOf || o.anyOf)) {
    const alts = (o.oneOf ?? o.anyOf) as unknown[];
    delete o.nullable;
    delete o.oneOf;
    o.anyOf = [...alts, { type: 'null' }];
  }
  return o;
}

/**
 * The spec discriminates some `oneOf`s on a sibling of the parent (`"propertyName": "../event_type"`: the X
 * Activity payloads), which JSON Schema cannot say and whose alternatives overlap. The parent object gets one
 * `if event_type = X then payload is <mapped schema>` per mapping instead; unmapped values still take any
 * alternative.
 */
function withParentDiscriminators(v: unknown, components: Record<string, any>): any {
  if (Array.isArray(v)) return v.map((x) => withParentDiscriminators(x, components));
  if (!v || typeof v !== 'object') return v;
  const o: Record<string, any> = {};
  for (const [k, x] of Object.entries(v)) o[k] = withParentDiscriminators(x, components);
  const props = o.properties as Record<string, any> | undefined;
  if (!props) return o;
  // A milliseconds timestamp (LikeWithPostAuthor) is declared int32, which no current time fits: the format is dropped.
  if (props.timestamp_ms?.format === 'int32') props.timestamp_ms = { type: 'integer' };
  for (const [name, prop] of Object.entries(props)) {
    const p = typeof prop?.$ref === 'string' ? components[prop.$ref.split('/').pop()] : prop;
    const d = p?.discriminator as { propertyName?: string; mapping?: Record<string, string> } | undefined;
    if (!d?.propertyName?.startsWith('../') || !d.mapping || !Array.isArray(p.oneOf)) continue;
    const tag = d.propertyName.slice(3);
    const mapped = Object.entries(d.mapping).map(([value, ref]) => ({
      if: { properties: { [tag]: { const: value } }, required: [tag] },
      then: { properties: { [name]: { $ref: ref } } },
    }));
    const unmapped = { if: { not: { properties: { [tag]: { enum: Object.keys(d.mapping) } }, required: [tag] } }, then: { properties: { [name]: { anyOf: p.oneOf } } } };
    props[name] = {};
    o.allOf = [...((o.allOf as unknown[]) ?? []), ...mapped, unmapped];
  }
  return o;
}

/** Deep-copies a classic-name body into 2.167 names. */
export function toModernNames(body: unknown, parentKey = ''): unknown {
  if (Array.isArray(body)) return body.map((v) => toModernNames(v, parentKey));
  if (!body || typeof body !== 'object') return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    // `tweets` → `posts` only directly under includes; other keys everywhere.
    const nk = k === 'tweets' ? (parentKey === 'includes' ? 'posts' : k) : k === 'posts' ? k : (toModern[k] ?? k);
    out[nk] = toModernNames(v, k);
  }
  return out;
}

const routes = [...operations, ...extensionOperations].map((o) => ({
  op: o,
  re: new RegExp('^' + o.path.replace(/\{[^}]+\}/g, '[^/]+') + '$'),
  statics: o.path.split('/').filter((s) => !s.startsWith('{')).length,
}));

export function operationFor(method: string, pathname: string): OperationDescriptor | undefined {
  const candidates = routes.filter((r) => r.op.method === method.toUpperCase() && r.re.test(pathname));
  candidates.sort((a, b) => b.statics - a.statics);
  return candidates[0]?.op;
}

export class SchemaMismatch extends Error {}

/** Throws SchemaMismatch when a JSON success body does not match the operation's response schema. */
export function checkResponse(method: string, pathname: string, status: number, body: unknown): void {
  const op = operationFor(method, pathname);
  if (!op || status >= 300 || body === undefined) return;
  const schemaName = op.responses[String(status)] ?? op.responses['200'] ?? op.responses['201'];
  if (!schemaName) return;
  const v = validatorFor(schemaName);
  if (!v(toModernNames(body))) {
    const errs = (v.errors ?? []).slice(0, 5).map((e: ErrorObject) => `${e.instancePath} ${e.message}`).join('; ');
    throw new SchemaMismatch(`${method} ${pathname} → ${status} does not match ${schemaName}: ${errs}`);
  }
}

/** Error bodies follow X's shapes: a Problem (title/type), an invalid-request list, or the v1.1 errors list. */
export function checkErrorBody(status: number, body: unknown): void {
  if (status < 400 || !body || typeof body !== 'object') return;
  const b = body as Record<string, unknown>;
  const ok =
    (typeof b.title === 'string' && typeof b.type === 'string') ||
    (Array.isArray(b.errors) && b.errors.every((e) => e && typeof e === 'object' && ('message' in e || 'title' in e)));
  if (!ok) throw new SchemaMismatch(`error body of status ${status} has no X error shape: ${JSON.stringify(body).slice(0, 200)}`);
}
