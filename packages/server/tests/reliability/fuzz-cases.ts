/**
 * Invalid requests derived from the contract, for every declared operation: wrong types, out-of-range values,
 * duplicate and unknown parameters, malformed path ids and bodies, bad UTF-8, broken auth headers, unknown
 * methods. Deterministic for a seed, so a failure reproduces.
 */
import { mulberry32 } from '../../src/util/random.js';
import type { OperationDescriptor, ParamDescriptor } from '@roost/contract';
import { schemas } from '@roost/contract';

export interface FuzzCase {
  /** What was wrong with it (for the failure message). */
  kind: string;
  operationId: string;
  method: string;
  /** Path and query string, already encoded (may hold deliberately broken escapes). */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** A small deterministic generator (mulberry32), with the draws the fuzz and property tests make. */
export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  sample<T>(xs: readonly T[], n: number): T[] {
    return Array.from({ length: n }, () => this.pick(xs));
  }
}

export interface Credentials {
  bearer: string;
  user: string;
  /** A valid value for each path parameter name (so a case can break one thing at a time). */
  pathValues: Record<string, string>;
}

const BAD_SCALARS = ['', ' ', 'abc', '-1', '0', '1.5', '1e400', '99999999999999999999999', 'null', 'true', '%00', '%FF%FE', '%', '%zz', '..%2F..', "'", '"', '<script>', '\u{1F600}', 'a'.repeat(600)];
const BAD_IDS = ['abc', '-1', '0x10', '1'.repeat(20), '9223372036854775808', '18446744073709551616', '%00', '%20', '1%2F2', '..', 'a'.repeat(300), '%E0%A4%A'];
const BAD_AUTH = ['Bearer', 'Bearer ', 'Bearer \t', 'bearer x y z', 'OAuth', 'OAuth garbage', 'OAuth oauth_consumer_key=', 'Basic Og==', 'Basic !!!', 'Digest x', `Bearer ${'A'.repeat(8000)}`, 'Bearer %00'];
const METHODS = ['PATCH', 'OPTIONS', 'PUT', 'DELETE', 'POST', 'GET'];

const enc = encodeURIComponent;

function authFor(d: OperationDescriptor, c: Credentials): Record<string, string> {
  const schemes = new Set(d.security.map((s) => s.scheme));
  if (schemes.has('OAuth2UserToken')) return { authorization: `Bearer ${c.user}` };
  if (schemes.has('BearerToken')) return { authorization: `Bearer ${c.bearer}` };
  return {};
}

function pathWith(d: OperationDescriptor, c: Credentials, override: Record<string, string> = {}): string {
  return d.path.replace(/\{([^}]+)\}/g, (_, name: string) => override[name] ?? enc(c.pathValues[name] ?? '1'));
}

/** A value of the right shape for a parameter (a valid request that the case then breaks in one place). */
function goodValue(p: ParamDescriptor): string | undefined {
  const s = p.array ? p.items ?? {} : p;
  if (s.enum?.length) return s.enum[0];
  if (s.type === 'integer' || s.type === 'number') return String(s.minimum ?? 10);
  if (s.type === 'boolean') return 'true';
  if (s.format === 'date-time') return '2026-10-30T00:00:00Z';
  if (s.pattern === '^[0-9]{1,19}$') return '2244994945';
  return undefined;
}

/** Bad values aimed at a parameter's own type and constraints (boundaries, formats, list sizes). */
function typedBadValues(p: ParamDescriptor): string[] {
  const s = p.array ? p.items ?? {} : p;
  const options: string[] = [];
  if (s.type === 'integer' || s.type === 'number') {
    if (s.minimum !== undefined) options.push(String(s.minimum - 1));
    if (s.maximum !== undefined) options.push(String(s.maximum + 1), String(s.maximum * 1000));
  }
  if (s.format === 'date-time') options.push('2026-13-40T99:99:99Z', '2090-01-01T00:00:00Z', '1969-12-31T23:59:59Z', 'yesterday');
  if (p.array) options.push(Array.from({ length: (p.maxItems ?? 100) + 1 }, () => goodValue(p) ?? 'x').join(','), ',,,', ',');
  if (s.enum?.length) options.push(`${s.enum[0]}x`, s.enum[0]!.toUpperCase());
  if (s.pattern) options.push('x', '9'.repeat(25));
  return options;
}

function badValueFor(p: ParamDescriptor, rng: Rng): string {
  // Half the time a value aimed at the parameter's own type, half the time any bad scalar.
  const typed = typedBadValues(p);
  const v = typed.length && rng.next() < 0.5 ? rng.pick(typed) : rng.pick(BAD_SCALARS);
  // Most bad values are sent encoded; the broken-escape ones are sent as they are.
  return v.startsWith('%') || v.includes('%2F') ? v : enc(v);
}

type Json = unknown;

/** A JSON value that violates the named schema somewhere (wrong type, missing member, extra member, too long…). */
function badBody(schemaName: string, rng: Rng, depth = 0): Json {
  const s = (schemas as Record<string, any>)[schemaName];
  const mutate = (schema: any, d: number): Json => {
    if (schema?.$ref) return mutate((schemas as Record<string, any>)[String(schema.$ref).split('/').pop()!], d);
    const pick = rng.int(8);
    if (d > 3 || pick === 0) return rng.pick([null, 1e308, -1, '', 'x'.repeat(5000), [], {}, true, [[[[[]]]]], '\u0000']);
    if (schema?.type === 'object' || schema?.properties) {
      const out: Record<string, Json> = {};
      const props = Object.entries<any>(schema.properties ?? {});
      for (const [k, v] of props) if (rng.next() < 0.6) out[k] = rng.next() < 0.5 ? mutate(v, d + 1) : goodJson(v);
      if (rng.next() < 0.3) out[`unknown_${rng.int(100)}`] = 1;
      if (rng.next() < 0.2 && props.length) delete out[rng.pick(props)[0]];
      return out;
    }
    if (schema?.type === 'array') return rng.next() < 0.5 ? Array.from({ length: (schema.maxItems ?? 3) + 2 }, () => mutate(schema.items, d + 1)) : [mutate(schema.items, d + 1)];
    if (schema?.type === 'string') return rng.pick([1, '', 'x'.repeat((schema.maxLength ?? 300) + 1), '\u0000', '\uD800', { a: 1 }, ['x']]);
    if (schema?.type === 'integer' || schema?.type === 'number') return rng.pick(['1', 1.5, (schema.maximum ?? 1e6) + 1, (schema.minimum ?? 0) - 1, 1e308]);
    if (schema?.type === 'boolean') return rng.pick(['true', 0, null]);
    return rng.pick([null, 1, 'x']);
  };
  return mutate(s, depth);
}

function goodJson(schema: any): Json {
  if (schema?.$ref) return goodJson((schemas as Record<string, any>)[String(schema.$ref).split('/').pop()!]);
  if (schema?.enum) return schema.enum[0];
  switch (schema?.type) {
    case 'string':
      return schema.pattern === '^[0-9]{1,19}$' ? '2244994945' : 'x';
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [goodJson(schema.items)];
    default:
      return {};
  }
}

/** `n` cases spread over the operations, in a deterministic order for `seed`. */
export function fuzzCases(ops: readonly OperationDescriptor[], c: Credentials, n: number, seed: number): FuzzCase[] {
  const rng = new Rng(seed);
  const out: FuzzCase[] = [];
  const query = (d: OperationDescriptor) => d.params.filter((p) => p.in === 'query');
  const required = (d: OperationDescriptor) => {
    const parts: string[] = [];
    for (const p of query(d)) if (p.required) parts.push(`${enc(p.name)}=${enc(goodValue(p) ?? 'roost')}`);
    return parts;
  };
  const withQuery = (path: string, parts: string[]) => (parts.length ? `${path}?${parts.join('&')}` : path);
  const jsonHeaders = { 'content-type': 'application/json' };

  const makers: ((d: OperationDescriptor) => FuzzCase | null)[] = [
    // A query parameter with a value of the wrong type or out of range.
    (d) => {
      const qs = query(d);
      if (!qs.length) return null;
      const p = rng.pick(qs);
      const parts = required(d).filter((x) => !x.startsWith(`${enc(p.name)}=`));
      parts.push(`${enc(p.name)}=${badValueFor(p, rng)}`);
      return { kind: `bad value of ${p.name}`, operationId: d.operationId, method: d.method, url: withQuery(pathWith(d, c), parts), headers: authFor(d, c) };
    },
    // The same parameter twice, or an unknown one.
    (d) => {
      const qs = query(d);
      const parts = required(d);
      if (qs.length && rng.next() < 0.5) {
        const p = rng.pick(qs);
        const v = enc(goodValue(p) ?? 'x');
        parts.push(`${enc(p.name)}=${v}`, `${enc(p.name)}=${v}`);
        return { kind: `duplicate ${p.name}`, operationId: d.operationId, method: d.method, url: withQuery(pathWith(d, c), parts), headers: authFor(d, c) };
      }
      parts.push(`${rng.pick(['foo', 'tweet.feilds', 'user.fields[]', '', '%00', 'max_results%00'])}=${rng.pick(['1', '', '%FF'])}`);
      return { kind: 'unknown parameter', operationId: d.operationId, method: d.method, url: withQuery(pathWith(d, c), parts), headers: authFor(d, c) };
    },
    // A malformed path id.
    (d) => {
      const names = [...d.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      if (!names.length) return null;
      const name = rng.pick(names);
      return {
        kind: `bad path ${name}`,
        operationId: d.operationId,
        method: d.method,
        url: withQuery(pathWith(d, c, { [name]: rng.pick(BAD_IDS) }), required(d)),
        headers: authFor(d, c),
      };
    },
    // A body that is not what the schema says, not JSON, not UTF-8, or of another content type.
    (d) => {
      if (d.method === 'GET') return null;
      const url = withQuery(pathWith(d, c), required(d));
      const headers = { ...authFor(d, c), ...jsonHeaders };
      const r = rng.int(6);
      if (r === 0) return { kind: 'invalid JSON', operationId: d.operationId, method: d.method, url, headers, body: rng.pick(['{', '{"a":', '[1,2', 'nul', '{"a":1}}', '\u0000', '{"text":"\\ud800"}']) };
      if (r === 1) return { kind: 'bad UTF-8 body', operationId: d.operationId, method: d.method, url, headers, body: Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]) };
      if (r === 2) return { kind: 'wrong content type', operationId: d.operationId, method: d.method, url, headers: { ...authFor(d, c), 'content-type': rng.pick(['text/plain', 'application/xml', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']) }, body: 'a=1&b' };
      if (r === 3) return { kind: 'deep JSON', operationId: d.operationId, method: d.method, url, headers, body: '['.repeat(5000) + ']'.repeat(5000) };
      const schema = d.body?.schema;
      const value = schema ? badBody(schema, rng) : rng.pick([{}, [], 'x', 1, null]);
      return { kind: 'body against its schema', operationId: d.operationId, method: d.method, url, headers, body: JSON.stringify(value) };
    },
    // Broken authorization.
    (d) => ({
      kind: 'broken auth',
      operationId: d.operationId,
      method: d.method,
      url: withQuery(pathWith(d, c), required(d)),
      headers: { authorization: rng.pick(BAD_AUTH) },
    }),
    // A method the route does not have.
    (d) => {
      const m = rng.pick(METHODS.filter((x) => x !== d.method));
      return { kind: `method ${m}`, operationId: d.operationId, method: m, url: withQuery(pathWith(d, c), required(d)), headers: authFor(d, c) };
    },
    // A query string that is not UTF-8.
    (d) => ({
      kind: 'bad UTF-8 query',
      operationId: d.operationId,
      method: d.method,
      url: `${pathWith(d, c)}?${rng.pick(['q=%FF%FE', 'query=%C3%28', '%E2%82=1', 'user.fields=%ED%A0%80'])}`,
      headers: authFor(d, c),
    }),
  ];

  // First every operation's every parameter with every value aimed at it, and every path id broken every way;
  // then random cases of every kind up to `n`.
  for (const d of ops) {
    for (const p of query(d)) {
      for (const v of typedBadValues(p)) {
        const parts = required(d).filter((x) => !x.startsWith(`${enc(p.name)}=`));
        parts.push(`${enc(p.name)}=${enc(v)}`);
        out.push({ kind: `bad value of ${p.name}`, operationId: d.operationId, method: d.method, url: withQuery(pathWith(d, c), parts), headers: authFor(d, c) });
      }
    }
    for (const name of [...d.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)) {
      for (const bad of BAD_IDS) {
        out.push({ kind: `bad path ${name}`, operationId: d.operationId, method: d.method, url: withQuery(pathWith(d, c, { [name]: bad }), required(d)), headers: authFor(d, c) });
      }
    }
  }
  let i = 0;
  while (out.length < n) {
    const d = ops[i % ops.length]!;
    const make = makers[rng.int(makers.length)]!;
    const k = make(d);
    if (k) out.push(k);
    i++;
  }
  return out;
}
