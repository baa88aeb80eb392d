/**
 * GET /2/users/public_keys?ids=: the newest registered key of each user, in the order of `ids` (users without a
 * key have no entry; unknown or suspended ones get a Problem).
 */
import { operation } from '../operation.js';
import { userVerdict } from '../../pipeline/rules.js';
import { userProblem } from '../../pipeline/problems.js';
import { presentPublicKey } from '../../pipeline/present-dm.js';
import { many, selection } from '../shared.js';
import { CHAT_LIMIT, PUBLIC_KEY_PRICE } from './chat-requests.js';

export const getUsersPublicKeys = operation({
  operationId: 'getUsersPublicKeys',
  rateLimit: CHAT_LIMIT,
  metering: PUBLIC_KEY_PRICE,
  async handle(req) {
    const ids = req.params.ids as string[];
    const repos = req.ctx.repos;
    const [users, keys] = await Promise.all([repos.users.byIds(ids), repos.chats.publicKeysOf(ids)]);
    const sel = selection(req);
    const data: Record<string, unknown>[] = [];
    const errors = [];
    for (const id of ids) {
      const verdict = userVerdict(users.get(id));
      if (verdict !== 'ok') errors.push(userProblem(verdict, 'ids', id));
      else if (keys.get(id)?.length) data.push(presentPublicKey(keys.get(id)![0]!, sel));
    }
    return many({ data, ...(errors.length ? { errors } : {}) });
  },
});
