/**
 * What the route layer learns about a request (its operation, who called, which fault rule answered) kept on the
 * request for the admin API's request log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/authenticate.js';
import type { Context } from '../context.js';
import type { AuthKind } from '../admin/protocol.js';
import { presentedAuth } from '../admin/request-log.js';
import { MultipartBody } from '../media/multipart.js';
import { ADMIN_ROUTE } from './admin-route.js';

export interface RequestFacts {
  operationId: string | null;
  principal: Principal | null;
  fault: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    roost: RequestFacts | null;
  }
}

function authOf(f: RequestFacts | null, header: string | undefined): AuthKind {
  const p = f?.principal;
  if (!p) return presentedAuth(header);
  if (p.kind === 'app') return 'oauth2-app';
  return p.scheme === 'UserToken' ? 'oauth1-user' : 'oauth2-user';
}

function flatQuery(q: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((q ?? {}) as Record<string, unknown>)) out[k] = Array.isArray(v) ? v.join(',') : String(v);
  return out;
}

/** Bodies kept in the log: parsed JSON or form bodies up to this size (a base64 upload is not worth its memory). */
const MAX_LOGGED_BODY = 64 * 1024;

function loggedBody(body: unknown): { body?: unknown; body_bytes?: number } {
  if (body === undefined || body === null || body === '' || body instanceof MultipartBody || Buffer.isBuffer(body)) return {};
  const bytes = typeof body === 'string' ? Buffer.byteLength(body) : Buffer.byteLength(JSON.stringify(body));
  return bytes <= MAX_LOGGED_BODY ? { body } : { body_bytes: bytes };
}

/** Records every answer on X's paths (streams when they end) into the admin API's request log. */
export function recordRequests(app: FastifyInstance, ctx: Context): void {
  const log = ctx.admin?.requests;
  if (!log) return;
  app.decorateRequest('roost', null);
  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    if ((req.routeOptions.config as unknown as Record<symbol, unknown> | undefined)?.[ADMIN_ROUTE]) return;
    const f = req.roost;
    const q = req.url.indexOf('?');
    const body = req.body;
    log.add({
      at: new Date(ctx.clock.now()).toISOString(),
      method: req.method,
      path: q < 0 ? req.url : req.url.slice(0, q),
      query: flatQuery(req.query),
      operation_id: f?.operationId ?? null,
      auth: authOf(f, req.headers.authorization),
      app_id: f?.principal?.appId ?? null,
      user_id: f?.principal?.userId ?? null,
      status: reply.raw.statusCode,
      ...loggedBody(body),
      ...(f?.fault ? { fault: f.fault } : {}),
      duration_ms: Math.round(reply.elapsedTime),
    });
  });
}
