/**
 * Blocking writes: X's classic v2 routes `POST /2/users/:id/blocking` and
 * `DELETE /2/users/:source_user_id/blocking/:target_user_id`, which spec 2.167 no longer lists (so they are not
 * contract operations). They go through the same authorize → validate → handle steps as contract routes, with a
 * descriptor written here in the contract's shape.
 */
import type { FastifyInstance } from 'fastify';
import type { OperationDescriptor } from '@roost/contract';
import type { Context } from '../context.js';
import { routeOperation, type OperationHandler } from './operation-route.js';
import { isResult, requireSelf } from '../api/shared.js';
import { block, body, targetUser, unblock } from '../api/users/social-shared.js';
import { InvalidRequest } from '../errors.js';

const SECURITY = [
  { scheme: 'OAuth2UserToken', scopes: ['block.write', 'tweet.read', 'users.read'] },
  { scheme: 'UserToken', scopes: [] },
] as const;
const userId = (name: string) => ({ name, in: 'path', required: true, type: 'string', pattern: '^[0-9]{1,19}$' }) as const;

export const blockUser: OperationDescriptor = {
  operationId: 'blockUser',
  method: 'POST',
  path: '/2/users/{id}/blocking',
  tag: 'Users',
  streaming: false,
  security: SECURITY,
  params: [userId('id')],
  body: { required: true, contentTypes: ['application/json'] },
  responses: { '200': null },
};

export const unblockUser: OperationDescriptor = {
  operationId: 'unblockUser',
  method: 'DELETE',
  path: '/2/users/{source_user_id}/blocking/{target_user_id}',
  tag: 'Users',
  streaming: false,
  security: SECURITY,
  params: [userId('source_user_id'), userId('target_user_id')],
  responses: { '200': null },
};

const handlers: [OperationDescriptor, OperationHandler][] = [
  [
    blockUser,
    async (req) => {
      const me = requireSelf(req, String(req.params.id));
      // Same body as the mute and follow requests: `{"target_user_id"}`, nothing else.
      const { target_user_id: targetId } = body<{ target_user_id: string }>('MuteUserRequest', req);
      if (targetId === me) throw InvalidRequest.one('target_user_id', [targetId], 'You cannot block yourself.');
      const target = await targetUser(req, targetId);
      if (isResult(target)) return target;
      await block(req.ctx, me, targetId);
      return { body: { data: { blocking: true } } };
    },
  ],
  [
    unblockUser,
    async (req) => {
      const me = requireSelf(req, String(req.params.source_user_id));
      await unblock(req.ctx, me, String(req.params.target_user_id));
      return { body: { data: { blocking: false } } };
    },
  ],
];

export function registerBlockingRoutes(app: FastifyInstance, ctx: Context): void {
  for (const [d, handle] of handlers) routeOperation(app, ctx, d, handle);
}
