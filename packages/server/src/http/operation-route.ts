/**
 * One route per operation, contract or not: authorize → rate limit → validate → credits and cap → handle →
 * meter. The rate-limit headers are set as soon as the token is taken, so every later answer of the operation
 * (validation errors, 402, 404 bodies, 2xx) carries them; requests that fail authentication take no token
 * (X counts per app or user, which an unauthenticated request does not name).
 *
 * Opt-in cost visibility: a request with `x-roost-cost: 1` gets `x-roost-cost-usd` (six decimals) on its
 * response, the charge metering applied to it (0 for free, failed, empty or deduplicated responses).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OperationDescriptor } from '@roost/contract';
import type { Context } from '../context.js';
import type { OperationRequest, OperationResult } from '../api/types.js';
import { authorize } from '../auth/authenticate.js';
import { authRequestOf } from './auth-request.js';
import { validateParams, type RawQuery } from './validation.js';
import { MICROS } from '../limits/metering.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export type OperationHandler = (req: OperationRequest) => Promise<OperationResult>;

/** `{id}` → `:id` for the router. */
export const routePath = (specPath: string) => specPath.replace(/\{([^}]+)\}/g, ':$1');

export function routeOperation(app: FastifyInstance, ctx: Context, d: OperationDescriptor, handle: OperationHandler): void {
  const { limits, metering } = ctx;
  const opId = d.operationId;
  app.route({
    method: d.method,
    url: routePath(d.path),
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const principal = await authorize(d, authRequestOf(req), ctx.auth);
      if (principal && limits.enabled) reply.headers(await limits.take(opId, principal));
      const params = validateParams(d, req.params as Record<string, string>, req.query as RawQuery);
      if (principal && metering.enabled) await metering.admit(opId, d.method, principal.appId);
      const res = await handle({ ctx, params, principal, body: req.body });
      if (res.stream) {
        // Streams write their own status, headers and chunks; they are not metered per request.
        reply.hijack();
        res.stream({ req: req.raw, res: reply.raw, headers: { ...reply.getHeaders(), 'content-type': JSON_TYPE, 'x-transaction-id': req.id } });
        return reply;
      }
      const status = res.status ?? 200;
      reply.status(status).type(JSON_TYPE).header('x-transaction-id', req.id);
      if (principal && metering.enabled) {
        const c = await metering.charge({ operationId: opId, method: d.method, principal, params, body: req.body, status, response: res.body });
        if (req.headers['x-roost-cost'] === '1') reply.header('x-roost-cost-usd', (c.micros / MICROS).toFixed(6));
      }
      return res.body;
    },
  });
}
