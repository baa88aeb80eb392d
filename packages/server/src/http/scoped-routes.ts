import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';

/**
 * Registers routes outside the contract (OAuth endpoints) in their own Fastify scope whose hook stamps every answer
 * with `x-transaction-id`, as X does; being scoped, the hook costs nothing on API routes.
 */
export function registerWithTransactionId(app: FastifyInstance, ctx: Context, routes: (scope: FastifyInstance, ctx: Context) => void): void {
  app.register(async (scope) => {
    scope.addHook('onRequest', async (req, reply) => {
      reply.header('x-transaction-id', req.id);
    });
    routes(scope, ctx);
  });
}
