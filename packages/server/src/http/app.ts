import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { operation as describe } from '@roost/contract';
import type { Context } from '../context.js';
import type { Operation } from '../api/types.js';
import { authorize } from '../auth/authenticate.js';
import { authRequestOf } from './auth-request.js';
import { fromError, InvalidRequest, RouteNotFound } from '../errors.js';
import { validateParams, type RawQuery } from './validation.js';
import { registerOAuth2AppOnly } from './oauth2-app.js';
import { registerBlockingRoutes } from './blocking-routes.js';

const JSON_TYPE = 'application/json; charset=utf-8';

let reqSeq = 0;
const reqPrefix = Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0');

/** `{id}` → `:id` for the router. */
export const routePath = (specPath: string) => specPath.replace(/\{([^}]+)\}/g, ':$1');

export function buildApp(ctx: Context, operations: readonly Operation[]): FastifyInstance {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as unknown as FastifyBaseLogger,
    // Per-request lines come from our onResponse hook at debug level, with the request id.
    logController: new LogController({ disableRequestLogging: true }),
    // X transaction ids are opaque hex; ours are unique per process and cheap.
    genReqId: () => `${reqPrefix}${(++reqSeq).toString(16).padStart(10, '0')}`,
    bodyLimit: 8 * 1024 * 1024,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  });

  // The official SDK sends `Content-Type: application/json` with empty bodies (GET, body-less POST): accept them.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(['application/json', 'application/problem+json'], { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(InvalidRequest.one('body', [], 'The request body is not valid JSON.'), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  // Every answer carries its request id (set where each answer is made: hooks cost on the hot path).
  if (ctx.log.isLevelEnabled('debug')) {
    app.addHook('onResponse', async (req, reply) => {
      req.log.debug({ method: req.method, url: req.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
    });
  }

  app.setErrorHandler((err, req, reply) => {
    const wire = fromError(err);
    if (wire.status >= 500) req.log.error({ err }, 'request failed');
    if (wire.headers) reply.headers(wire.headers);
    reply.header('x-transaction-id', req.id);
    reply.status(wire.status).type(wire.contentType).send(wire.body);
  });
  app.setNotFoundHandler((req, reply) => {
    const wire = fromError(new RouteNotFound());
    reply.header('x-transaction-id', req.id);
    reply.status(wire.status).type(wire.contentType).send(wire.body);
  });

  for (const op of operations) {
    const d = describe(op.operationId);
    app.route({
      method: d.method,
      url: routePath(d.path),
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const principal = await authorize(d, authRequestOf(req), ctx.auth);
        const params = validateParams(d, req.params as Record<string, string>, req.query as RawQuery);
        const res = await op.handle({ ctx, params, principal, body: req.body });
        reply.status(res.status ?? 200).type(JSON_TYPE).header('x-transaction-id', req.id);
        return res.body;
      },
    });
  }

  registerOAuth2AppOnly(app, ctx);
  registerBlockingRoutes(app, ctx);
  return app;
}
