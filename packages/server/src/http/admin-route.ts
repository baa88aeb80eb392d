/**
 * One route per declared admin route (admin/index.ts): admin token → check query and body fields → handle. No
 * rate limits, no metering, never in the request log. With the admin API off, its routes are not registered, so
 * their paths answer X's 404 like any path Roost does not serve; `/healthz` is always there.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Context } from '../context.js';
import type { AnyAdminRoute, Field, Fields } from '../admin/route.js';
import { adminRoutes } from '../admin/protocol.js';
import { InvalidRequest, Unauthorized, type InvalidItem } from '../errors.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Marks admin routes for hooks that must skip them (the request log). */
export const ADMIN_ROUTE = Symbol('roost admin route');

const digest = (s: string) => createHash('sha256').update(s).digest();

function checkToken(expected: string, header: string | undefined): void {
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  // Compared as digests: equal lengths, and no timing signal about the token's length or content.
  if (!m || !timingSafeEqual(digest(m[1]), digest(expected))) throw new Unauthorized();
}

const describe = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function problem(where: 'query' | 'body', name: string, value: unknown, why: string): InvalidItem {
  const what = where === 'query' ? 'query parameter' : 'body field';
  return { parameters: { [name]: [describe(value)] }, message: `The \`${name}\` ${what} value [${describe(value)}] ${why}` };
}

/** One field's value, converted (query strings) and checked; an InvalidItem when it does not fit. */
function readField(where: 'query' | 'body', name: string, f: Field, raw: unknown): { value: unknown } | InvalidItem {
  let v = raw;
  if (where === 'query' && typeof v === 'string') {
    if (f.type === 'integer' || f.type === 'number') v = v.trim() === '' ? NaN : Number(v);
    else if (f.type === 'boolean') v = v === 'true' ? true : v === 'false' ? false : v;
    else if (f.type === 'strings') v = v.split(',').filter(Boolean);
  }
  switch (f.type) {
    case 'string':
      if (typeof v !== 'string' || v === '') return problem(where, name, raw, 'is not a non-empty string');
      if (f.enum && !f.enum.includes(v)) return problem(where, name, raw, `is not one of [${f.enum.join(',')}]`);
      break;
    case 'integer':
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v) || (f.type === 'integer' && !Number.isInteger(v))) {
        return problem(where, name, raw, `is not ${f.type === 'integer' ? 'an integer' : 'a number'}`);
      }
      if ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) {
        return problem(where, name, raw, `is not between ${f.min ?? '-∞'} and ${f.max ?? '∞'}`);
      }
      break;
    case 'boolean':
      if (typeof v !== 'boolean') return problem(where, name, raw, 'is not true or false');
      break;
    case 'strings':
      if (typeof v === 'string') v = [v];
      if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x === '')) {
        return problem(where, name, raw, 'is not a string or a list of strings');
      }
      break;
  }
  return { value: v };
}

/** Checks a request's fields against their declaration: unknown names, missing required ones, types, ranges. */
export function readFields(where: 'query' | 'body', fields: Fields, input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidRequest([{ parameters: {}, message: 'The request body must be a JSON object.' }]);
  }
  const items: InvalidItem[] = [];
  const out: Record<string, unknown> = {};
  const given = input as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!(name in fields)) {
      const what = where === 'query' ? 'query parameter' : 'body field';
      items.push({ parameters: { [name]: [describe(given[name])] }, message: `The ${what} [${name}] is not one of [${Object.keys(fields).join(',')}]` });
    }
  }
  for (const [name, f] of Object.entries(fields)) {
    const raw = given[name];
    if (raw === undefined) {
      if (f.required) items.push({ parameters: { [name]: [] }, message: `The \`${name}\` ${where === 'query' ? 'query parameter' : 'body field'} is missing` });
      continue;
    }
    const r = readField(where, name, f, raw);
    if ('value' in r) out[name] = r.value;
    else items.push(r);
  }
  if (items.length) throw new InvalidRequest(items);
  return out;
}

function originOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? req.hostname}`;
}

export function registerAdminRoutes(app: FastifyInstance, ctx: Context, routes: readonly AnyAdminRoute[]): void {
  for (const r of routes) {
    if (r.auth === 'admin' && !ctx.admin) continue;
    const { method, path } = adminRoutes[r.id];
    app.route({
      method,
      url: path,
      config: { [ADMIN_ROUTE]: true },
      handler: async (req, reply) => {
        reply.header('x-transaction-id', req.id);
        if (r.auth === 'admin') checkToken(ctx.admin!.token, req.headers.authorization);
        const query = readFields('query', r.query ?? {}, req.query);
        const body = readFields('body', r.body ?? {}, req.body);
        const res = await r.handle({ ctx, admin: ctx.admin!, params: req.params as Record<string, string>, query, body, origin: originOf(req) });
        reply.status(res.status ?? 200).type(JSON_TYPE);
        return res.body;
      },
    });
  }
}
