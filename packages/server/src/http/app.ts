import type { IncomingMessage, Server, ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Context } from '../context.js';
import type { Operation } from '../api/operation.js';
import { fromError, InvalidRequest, RouteNotFound } from '../errors.js';
import { registerOAuth2AppOnly } from './oauth2-app.js';
import { registerOAuth1Routes } from './oauth1-routes.js';
import { routeOperation } from './operation-route.js';
import { CreditsDepleted } from '../limits/metering.js';
import { registerOAuth2Routes } from './oauth2-routes.js';
import { registerMediaRoutes } from './media-routes.js';
import { registerComplianceRoutes } from './compliance-routes.js';
import { guardConnections } from './connection-guard.js';
import { onClientError, onConnect, onFrameworkError } from './client-errors.js';
import { redactUrl } from '../util/redact.js';
import { registerAdminRoutes } from './admin-route.js';
import { adminRouteList } from '../admin/index.js';
import { recordRequests } from './request-facts.js';
import { registerConsoleRoutes } from './console-route.js';
import { registerConsoleStatic } from './console-static.js';
import { consoleRouteList } from '../console/index.js';

let reqSeq = 0;
const reqPrefix = Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0');

export { routePath } from './operation-route.js';

/** Options of the HTTP server itself (they can only be given when it is created). */
export function httpServerOptions(config: Config): ServerOptions {
  return {
    headersTimeout: Math.min(config.headersTimeoutMs, config.requestTimeoutMs),
    // How often Node looks for requests past their timeouts (its default, 30 s, would let them run long).
    connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
  };
}

/**
 * Settings of the listening server, applied once to whichever server listens (the listener bound before seeding
 * outlives the Fastify instances that answer through it): a request must arrive whole in time (slow bodies are cut
 * off), idle keep-alives close after a while, connections per address are capped, malformed HTTP gets X's JSON,
 * and so does CONNECT — unless `connect` handles it (zero-change mode's proxy, http/x-tunnel.ts).
 */
export function configureHttpServer(
  server: Server,
  config: Config,
  connect: (req: IncomingMessage, socket: Duplex, head: Buffer) => void = onConnect,
): void {
  server.requestTimeout = config.requestTimeoutMs;
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  guardConnections(server, config.maxConnectionsPerIp);
  server.on('connect', connect);
  server.on('clientError', onClientError);
}

export interface BuildOptions {
  /**
   * The app answers through another server (a listener: `listener.attach(app.routing)`), which carries the
   * server-level settings; the app's own server is never bound.
   */
  external?: boolean;
}

export function buildApp(ctx: Context, operations: readonly Operation[], opts: BuildOptions = {}): FastifyInstance {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as unknown as FastifyBaseLogger,
    // Per-request lines come from our onResponse hook at debug level, with the request id.
    logController: new LogController({ disableRequestLogging: true }),
    // X transaction ids are opaque hex; ours are unique per process and cheap.
    genReqId: () => `${reqPrefix}${(++reqSeq).toString(16).padStart(10, '0')}`,
    bodyLimit: 8 * 1024 * 1024,
    return503OnClosing: true,
    // Server-level settings (see configureHttpServer); with an external listener they are set there.
    requestTimeout: ctx.config.requestTimeoutMs,
    keepAliveTimeout: ctx.config.keepAliveTimeoutMs,
    http: httpServerOptions(ctx.config),
    // Ids longer than any X id still reach their route, whose validation answers X's 400 for the parameter.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    clientErrorHandler: onClientError,
    frameworkErrors: onFrameworkError,
  });

  if (!opts.external) {
    guardConnections(app.server, ctx.config.maxConnectionsPerIp);
    app.server.on('connect', onConnect);
  }

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
      req.log.debug({ method: req.method, url: redactUrl(req.url), status: reply.statusCode, ms: reply.elapsedTime }, 'request');
    });
  }

  app.setErrorHandler((err, req, reply) => {
    const wire = fromError(err);
    if (wire.status >= 500) req.log.error({ err }, 'request failed');
    if (wire.headers) reply.headers(wire.headers);
    reply.header('x-transaction-id', req.id);
    // 402's account_id is a JSON number that may exceed 2^53: its text is written exactly.
    reply.status(wire.status).type(wire.contentType).send(err instanceof CreditsDepleted ? err.rawBody() : wire.body);
  });
  app.setNotFoundHandler((req, reply) => {
    const wire = fromError(new RouteNotFound());
    reply.header('x-transaction-id', req.id);
    reply.status(wire.status).type(wire.contentType).send(wire.body);
  });

  recordRequests(app, ctx);
  // Roost's own routes, never on X's paths: /healthz, and the admin API when ROOST_ADMIN_TOKEN is set.
  registerAdminRoutes(app, ctx, adminRouteList);
  // The Developer Console: its API (/console/api) and its pages (/console).
  registerConsoleRoutes(app, ctx, consoleRouteList);
  registerConsoleStatic(app, ctx);

  registerMediaRoutes(app, ctx);
  registerComplianceRoutes(app, ctx);
  // authorize → rate limit → validate → credits/cap → handle → meter (http/operation-route.ts).
  for (const op of operations) routeOperation(app, ctx, op);

  registerOAuth2AppOnly(app, ctx);
  registerOAuth1Routes(app, ctx);
  registerOAuth2Routes(app, ctx);
  return app;
}
