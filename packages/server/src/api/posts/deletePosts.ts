/** DELETE /2/tweets/:id — author only; the whole edit chain and its reposts go (domain/posting.ts). */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { Unauthorized } from '../../errors.js';
import { str } from '../shared.js';
import { deletePost } from '../../domain/posting.js';

export const deletePosts = operation({
  operationId: 'deletePosts',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const me = req.principal?.userId;
    if (!me) throw new Unauthorized();
    // Nothing to delete (never existed, or already gone): X answers 200 with deleted:false.
    return { body: { data: { deleted: await deletePost(req.ctx, me, str(req.params.id)!) } } };
  },
});
