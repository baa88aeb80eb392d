/** PUT /2/tweets/:tweet_id/hidden — the conversation root's author hides or unhides a reply. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { Forbidden, Unauthorized } from '../../errors.js';
import { notFound } from '../../pipeline/problems.js';
import { str } from '../shared.js';

export const hidePostsReply = operation({
  operationId: 'hidePostsReply',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const { ctx } = req;
    const repos = ctx.repos;
    const me = req.principal?.userId;
    if (!me) throw new Unauthorized();
    const id = str(req.params.tweet_id)!;
    const { hidden } = req.body;
    const post = (await repos.posts.byIds([id])).get(id);
    if (!post || post.deleted) return { body: { errors: [notFound('tweet', 'tweet_id', id)] } };
    if (!post.inReplyToPostId) throw new Forbidden('You can only hide or unhide replies.');
    const root = (await repos.posts.byIds([post.conversationId])).get(post.conversationId);
    if (!root || root.authorId !== me) {
      throw new Forbidden('You can only hide or unhide replies in conversations you started.');
    }
    if (post.hidden !== hidden) {
      await repos.posts.setHidden(id, hidden);
      ctx.bus.publish({ type: 'post.hidden', postId: id, hidden, at: ctx.clock.now() });
    }
    return { body: { data: { hidden } } };
  },
});
