/**
 * POST /2/tweets: create a post, a reply, a quote, a poll post, or — with `edit_options.previous_post_id` — a new
 * version of an own post (FACTS §9, §10; the rules are domain/posting.ts's).
 */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { Unauthorized } from '../../errors.js';
import { createPost } from '../../domain/posting.js';

export const createPosts = operation({
  operationId: 'createPosts',
  rateLimit: { user: 100, app24h: 10_000 },
  metering: meter.postCreate,
  async handle(req) {
    const me = req.principal?.userId;
    if (!me) throw new Unauthorized();
    const p = await createPost(req.ctx, me, req.body);
    return { status: 201, body: { data: { id: p.id, text: p.text, edit_history_tweet_ids: p.editHistory } } };
  },
});
