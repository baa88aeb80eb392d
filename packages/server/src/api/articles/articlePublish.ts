/** POST /2/articles/:article_id/publish: publishes a draft of the caller's as a post carrying it; `{post_id}`. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { publishArticle } from '../../domain/articles.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';
import { userOf } from '../shared.js';

export const articlePublish = operation({
  operationId: 'articlePublish',
  rateLimit: {},
  metering: meter.postCreate,
  async handle(req) {
    const id = String(req.params.article_id);
    const postId = await publishArticle(req.ctx, userOf(req), id);
    if (isRefusal(postId)) return refused(postId, 'article_id');
    return { body: { data: { post_id: postId } } };
  },
});
