/**
 * One route per declared operation: authorize → rate limit → validate parameters and body → credits and cap →
 * handle → meter, all driven by the declaration (api/operation.ts) and its contract descriptor. The rate-limit
 * headers are set as soon as the token is taken, so every later answer of the operation (validation errors, 402,
 * 404 bodies, 2xx) carries them; requests that fail authentication take no token (X counts per app or user,
 * which an unauthenticated request does not name).
 *
 * Opt-in cost visibility: a request with `x-roost-cost: 1` gets `x-roost-cost-usd` (six decimals) on its
 * response, the charge metering applied to it (0 for free, failed, empty or deduplicated responses).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { operation as describe, type OperationDescriptor } from '@roost/contract';
import type { Context } from '../context.js';
import type { Operation, OperationRequest } from '../api/operation.js';
import { authorize } from '../auth/authenticate.js';
import { fromError } from '../errors.js';
import { authRequestOf } from './auth-request.js';
import { validateParams, type RawQuery } from './validation.js';
import { validateBody } from './body-validation.js';
import { MultipartBody } from '../media/multipart.js';
import { MICROS } from '../limits/metering.js';
import { applyFault, type StreamFault } from '../admin/faults.js';
import { withStreamFault } from '../admin/stream-faults.js';
import type { RequestFacts } from './request-facts.js';
import type { UsageEvent } from '../domain/usage.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** `{id}` → `:id` for the router. */
export const routePath = (specPath: string) => specPath.replace(/\{([^}]+)\}/g, ':$1');

/** The contract's descriptor of a declared operation, with the legacy parameters it also takes. */
export function descriptorOf(op: Operation): OperationDescriptor {
  const d = describe(op.operationId);
  return op.extraParams ? { ...d, params: [...d.params, ...op.extraParams] } : d;
}

/** The JSON body checked against the contract's schema; multipart bodies are the handler's to read. */
function checkedBody(op: Operation, d: OperationDescriptor, body: unknown): unknown {
  const schema = d.body?.schema;
  if (op.rawBody || !schema || body instanceof MultipartBody) return body;
  const absent = body === undefined || body === '';
  if (absent && op.optionalBody) return undefined;
  return validateBody(schema, body, { required: d.body!.required });
}

export function routeOperation(app: FastifyInstance, ctx: Context, op: Operation): void {
  const d = descriptorOf(op);
  if (op.presentError) {
    // Its own scope, so its errors are answered in its own shapes.
    const present = op.presentError;
    void app.register(async (scope) => {
      scope.setErrorHandler((err, req, reply) => {
        const wire = fromError(err);
        if (wire.status >= 500) req.log.error({ err }, 'request failed');
        if (wire.headers) reply.headers(wire.headers);
        reply.header('x-transaction-id', req.id).type(JSON_TYPE).status(wire.status).send(present(err, wire));
      });
      register(scope, ctx, op, d);
    });
    return;
  }
  register(app, ctx, op, d);
}

function register(app: FastifyInstance, ctx: Context, op: Operation, d: OperationDescriptor): void {
  const { limits, metering } = ctx;
  const opId = op.operationId;
  app.route({
    method: d.method,
    url: routePath(d.path),
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const facts: RequestFacts | null = ctx.admin ? (req.roost = { operationId: opId, principal: null, fault: null }) : null;
      const principal = await authorize(d, authRequestOf(req), ctx.auth);
      let streamFault: StreamFault | null = null;
      if (facts) {
        facts.principal = principal;
        // Injected faults answer before anything is counted or charged (admin API, admin/faults.ts).
        const rule = ctx.admin!.faults.size ? ctx.admin!.faults.match(opId, principal, d.streaming) : null;
        if (rule) {
          facts.fault = rule.id;
          streamFault = await applyFault(ctx, rule, opId, principal);
        }
      }
      // Every request that names an app counts in the console's usage, whatever its answer.
      const usage = principal ? { appId: principal.appId, operationId: opId, userId: principal.userId, status: 500, costMicros: 0, posts: 0 } as UsageEvent : null;
      let res;
      let params;
      let body;
      try {
        if (principal && limits.enabled) reply.headers((usage!.rateLimit = await limits.take(opId, principal)));
        params = validateParams(d, req.params as Record<string, string>, req.query as RawQuery);
        body = checkedBody(op, d, req.body);
        if (principal && metering.enabled) await metering.admit(op.metering, principal.appId);
        const origin = ctx.config.publicUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.headers.host ?? req.hostname}`;
        res = await op.handle({ ctx, params, principal, body, origin } as OperationRequest);
      } catch (err) {
        if (usage) ctx.usage.record({ ...usage, status: fromError(err).status });
        throw err;
      }
      if (usage && (res.stream || !metering.enabled || !principal)) ctx.usage.record({ ...usage, status: res.status ?? 200 });
      if (res.stream) {
        // Streams write their own status, headers and chunks; they are not metered per request.
        reply.hijack();
        const stream = streamFault ? withStreamFault(ctx, res.stream, streamFault) : res.stream;
        stream({ req: req.raw, res: reply.raw, headers: { ...reply.getHeaders(), 'content-type': JSON_TYPE, 'x-transaction-id': req.id } });
        return reply;
      }
      const status = res.status ?? 200;
      reply.status(status).type(res.contentType ?? JSON_TYPE).header('x-transaction-id', req.id);
      if (res.headers) reply.headers(res.headers);
      if (principal && metering.enabled) {
        const c = await metering.charge({ metering: op.metering, principal, params, body, status, response: res.body });
        ctx.usage.record({ ...usage!, status, costMicros: c.micros, posts: c.posts });
        if (req.headers['x-roost-cost'] === '1') reply.header('x-roost-cost-usd', (c.micros / MICROS).toFixed(6));
      }
      return res.body;
    },
  });
}
