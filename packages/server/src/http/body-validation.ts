/**
 * JSON request bodies checked against the contract's request schemas (the subset of JSON Schema the spec uses:
 * type, properties, required, additionalProperties, enum, pattern, min/maxLength, min/maxItems, minimum/maximum,
 * $ref, nullable, anyOf/oneOf). Failures become X's 400 invalid-request body; messages follow the JSON-path style
 * X's gateway prints (`$.poll.options: there must be a minimum of 2 items in the array`).
 */
import { schemas } from '@roost/contract';
import { InvalidRequest, type InvalidItem } from '../errors.js';
import { ID_PATTERN, idInRange } from '../util/snowflake.js';

type Schema = Record<string, any>;

/**
 * At most this many problems are reported, and checking stops there: X answers the first few problems, and the
 * work of validating must be bounded by the size of the answer, not by the size of the input (a body of two
 * million invalid ids would otherwise make an answer hundreds of megabytes long).
 */
export const MAX_PROBLEMS = 10;

/** Thrown inside `check` once MAX_PROBLEMS are collected, to stop walking the body. */
class Enough extends Error {}

const REF = '#/components/schemas/';
const patternCache = new Map<string, RegExp>();

function resolve(s: Schema): Schema {
  let cur = s;
  for (let i = 0; i < 32 && typeof cur.$ref === 'string'; i++) {
    const name = String(cur.$ref).slice(REF.length);
    const next = (schemas as Record<string, Schema>)[name];
    if (!next) throw new Error(`unknown schema ${cur.$ref}`);
    cur = next;
  }
  return cur;
}

const typeOf = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
};

function typeMatches(want: string, v: unknown): boolean {
  const got = typeOf(v);
  if (want === 'number') return got === 'number' || got === 'integer';
  return got === want;
}

function report(out: InvalidItem[], message: string): void {
  out.push({ parameters: {}, message });
  if (out.length >= MAX_PROBLEMS) throw new Enough();
}

function check(schema: Schema, v: unknown, path: string, out: InvalidItem[]): void {
  const s = resolve(schema);
  const bad = (message: string) => report(out, `${path}: ${message}`);
  if (v === null) {
    if (!s.nullable) bad(`null found, ${s.type ?? 'value'} expected`);
    return;
  }
  const alts: Schema[] | undefined = s.anyOf ?? s.oneOf;
  if (alts) {
    const ok = alts.some((a) => {
      const tmp: InvalidItem[] = [];
      try {
        check(a, v, path, tmp);
      } catch (e) {
        if (!(e instanceof Enough)) throw e;
      }
      return tmp.length === 0;
    });
    if (!ok) bad('does not match any of the allowed schemas');
    return;
  }
  if (s.type && !typeMatches(s.type, v)) {
    bad(`${typeOf(v)} found, ${s.type} expected`);
    return;
  }
  if (s.enum && !s.enum.includes(v)) bad(`does not have a value in the enumeration [${s.enum.join(', ')}]`);
  if (typeof v === 'string') {
    // PostgreSQL text cannot hold NUL; refusing it here answers the same on every store.
    if (v.includes('\u0000')) bad('must not contain the NUL character (U+0000)');
    const len = Array.from(v).length;
    if (s.minLength !== undefined && len < s.minLength) bad(`must be at least ${s.minLength} characters long`);
    if (s.maxLength !== undefined && len > s.maxLength) bad(`may only be ${s.maxLength} characters long`);
    if (s.pattern) {
      let re = patternCache.get(s.pattern);
      if (!re) patternCache.set(s.pattern, (re = new RegExp(s.pattern, 'u')));
      if (!re.test(v)) bad(`does not match the regex pattern ${s.pattern}`);
      else if (s.pattern === ID_PATTERN && !idInRange(v)) bad(`does not match the regex pattern ${s.pattern}`);
    }
  } else if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) bad(`must have a minimum value of ${s.minimum}`);
    if (s.maximum !== undefined && v > s.maximum) bad(`must have a maximum value of ${s.maximum}`);
  } else if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) bad(`there must be a minimum of ${s.minItems} items in the array`);
    if (s.maxItems !== undefined && v.length > s.maxItems) {
      // The array is refused as a whole; its items are not worth walking.
      bad(`there must be a maximum of ${s.maxItems} items in the array`);
      return;
    }
    if (s.items) v.forEach((item, i) => check(s.items, item, `${path}[${i}]`, out));
  } else if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const props: Record<string, Schema> = s.properties ?? {};
    for (const r of (s.required ?? []) as string[]) {
      if (o[r] === undefined) report(out, `${path}.${r}: is missing but it is required`);
    }
    for (const [k, val] of Object.entries(o)) {
      if (val === undefined) continue;
      const p = props[k];
      if (p) check(p, val, `${path}.${k}`, out);
      else if (s.additionalProperties === false) {
        report(out, `${path}.${k}: is not defined in the schema and the schema does not allow additional properties`);
      } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        check(s.additionalProperties, val, `${path}.${k}`, out);
      }
    }
  }
}

/**
 * Checks `body` against the named contract schema (e.g. `CreatePostsRequest`) and returns it typed as `T`;
 * throws InvalidRequest with one item per failed check. A missing body is checked as `{}` when `required` is
 * false, otherwise it is an error.
 */
export function validateBody<T>(schemaName: string, body: unknown, opts: { required?: boolean } = {}): T {
  const schema = (schemas as Record<string, Schema>)[schemaName];
  if (!schema) throw new Error(`unknown request schema ${schemaName}`);
  if (body === undefined || body === '') {
    if (opts.required ?? true) throw new InvalidRequest([{ parameters: {}, message: 'Request body is required.' }]);
    body = {};
  }
  const items: InvalidItem[] = [];
  try {
    check(schema, body, '$', items);
  } catch (e) {
    if (!(e instanceof Enough)) throw e;
  }
  if (items.length) throw new InvalidRequest(items);
  return body as T;
}
