import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { renderEnv, selection, single } from '../shared.js';
import { renderPosts } from '../../pipeline/render.js';

export const getPostsById = operation({
  operationId: 'getPostsById',
  rateLimit: { app: 450, user: 900 },
  metering: meter.read('post'),
  async handle(req) {
    return single(await renderPosts(renderEnv(req), [String(req.params.id)], selection(req), { parameter: 'id' }));
  },
});
