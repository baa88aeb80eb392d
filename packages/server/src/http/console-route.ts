/**
 * One route per declared console route (console/index.ts): session cookie → same-origin and CSRF checks on calls
 * that change something → query and body fields (the admin API's checks) → handle. Answers set or clear the session
 * cookie (HttpOnly, SameSite=Strict, Secure behind HTTPS), or stream server-sent events. Not rate-limited, not
 * metered, not in X's request log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { consoleRoutes, CSRF_HEADER } from '../../../sdk/src/console.js';
import type { Context } from '../context.js';
import type { AnyConsoleRoute, ConsoleResult } from '../console/route.js';
import { csrfTokenMatches, sameOrigin } from '../console/csrf.js';
import { developerOfSession, SESSION_TTL_MS } from '../domain/developers.js';
import { Forbidden, Unauthorized } from '../errors.js';
import { ADMIN_ROUTE, readFields } from './admin-route.js';

const JSON_TYPE = 'application/json; charset=utf-8';
export const SESSION_COOKIE = 'roost_console';
/** Keep-alive comments on event streams, so proxies do not close an idle one. */
const HEARTBEAT_MS = 15_000;

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

function ownOrigins(ctx: Context, req: FastifyRequest): string[] {
  const own = [`${req.protocol}://${req.headers.host ?? req.hostname}`];
  if (ctx.config.publicUrl) own.push(new URL(ctx.config.publicUrl).origin);
  return own;
}

function sessionCookie(ctx: Context, req: FastifyRequest, value: string | null): string {
  const secure = req.protocol === 'https' || ctx.config.publicUrl?.startsWith('https:') ? '; Secure' : '';
  const life = value === null ? 'Max-Age=0' : `Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`;
  return `${SESSION_COOKIE}=${value ?? ''}; Path=/; HttpOnly; SameSite=Strict; ${life}${secure}`;
}

function streamEvents(req: FastifyRequest, reply: FastifyReply, events: NonNullable<ConsoleResult['events']>): FastifyReply {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-transaction-id': req.id });
  res.flushHeaders();
  const close = events((event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
  const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  beat.unref();
  res.on('close', () => {
    clearInterval(beat);
    close();
  });
  return reply;
}

export function registerConsoleRoutes(app: FastifyInstance, ctx: Context, routes: readonly AnyConsoleRoute[]): void {
  for (const r of routes) {
    const { method, path } = consoleRoutes[r.id];
    app.route({
      method,
      url: path,
      config: { [ADMIN_ROUTE]: true },
      handler: async (req, reply) => {
        reply.header('x-transaction-id', req.id).header('cache-control', 'no-store');
        const presented = cookieValue(req.headers.cookie, SESSION_COOKIE);
        const developer = presented ? ((await developerOfSession(ctx, presented)) ?? null) : null;
        const session = developer ? presented : null;
        if (r.auth === 'session' && !developer) throw new Unauthorized();
        if (method !== 'GET') {
          const fetchSite = req.headers['sec-fetch-site'] as string | undefined;
          if (!sameOrigin(req.headers.origin, fetchSite, ownOrigins(ctx, req))) throw new Forbidden('Cross-origin requests to the console API are refused.');
          if (session && !csrfTokenMatches(ctx, session, req.headers[CSRF_HEADER] as string | undefined)) {
            throw new Forbidden('The CSRF token is missing or does not match the session.');
          }
        }
        const query = readFields('query', r.query ?? {}, req.query);
        const body = readFields('body', r.body ?? {}, req.body);
        const res = await r.handle({ ctx, developer, session, params: req.params as Record<string, string>, query, body });
        if (res.events) return streamEvents(req, reply, res.events);
        if (res.session !== undefined) reply.header('set-cookie', sessionCookie(ctx, req, res.session));
        reply.status(res.status ?? 200).type(JSON_TYPE);
        return res.body ?? {};
      },
    });
  }
}
