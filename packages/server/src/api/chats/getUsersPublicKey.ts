/** GET /2/users/:id/public_keys: a user's registered X Chat public keys, newest first. */
import { operation } from '../operation.js';
import { userVerdict } from '../../pipeline/rules.js';
import { userProblem } from '../../pipeline/problems.js';
import { presentPublicKey } from '../../pipeline/present-dm.js';
import { many, selection } from '../shared.js';
import { CHAT_LIMIT, PUBLIC_KEY_PRICE } from './chat-requests.js';

export const getUsersPublicKey = operation({
  operationId: 'getUsersPublicKey',
  rateLimit: CHAT_LIMIT,
  metering: PUBLIC_KEY_PRICE,
  async handle(req) {
    const id = String(req.params.id);
    const repos = req.ctx.repos;
    const [users, keys] = await Promise.all([repos.users.byIds([id]), repos.chats.publicKeysOf([id])]);
    const verdict = userVerdict(users.get(id));
    if (verdict !== 'ok') return { body: { errors: [userProblem(verdict, 'id', id)] } };
    const sel = selection(req);
    return many({ data: (keys.get(id) ?? []).map((k) => presentPublicKey(k, sel)) });
  },
});
