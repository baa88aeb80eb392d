/** PUT /2/tweets/:tweet_id/hidden — the conversation root's author hides or unhides a reply. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { Unauthorized } from '../../errors.js';
import { str } from '../shared.js';
import { hideReply } from '../../domain/posting.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

export const hidePostsReply = operation({
  operationId: 'hidePostsReply',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const me = req.principal?.userId;
    if (!me) throw new Unauthorized();
    const r = await hideReply(req.ctx, me, str(req.params.tweet_id)!, req.body.hidden);
    if (isRefusal(r)) return refused(r, 'tweet_id');
    return { body: { data: { hidden: r.hidden } } };
  },
});
