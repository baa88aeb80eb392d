/** POST /2/users/:id/public_keys: registers a public key version of the caller's (stored and served as sent). */
import { operation } from '../operation.js';
import { addPublicKey } from '../../domain/chats.js';
import { requireSelf } from '../shared.js';
import { CHAT_LIMIT, CHAT_MANAGE_PRICE } from './chat-requests.js';

export const addUserPublicKey = operation({
  operationId: 'addUserPublicKey',
  rateLimit: CHAT_LIMIT,
  metering: CHAT_MANAGE_PRICE,
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    return { body: { data: { public_key_version: await addPublicKey(req.ctx, me, req.body) } } };
  },
});
