import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection } from '../shared.js';
import { renderPosts } from '../../pipeline/render.js';

export const getPostsByIds = operation({
  operationId: 'getPostsByIds',
  rateLimit: { app: 3500, user: 5000 },
  metering: meter.read('post'),
  async handle(req) {
    return many(await renderPosts(renderEnv(req), req.params.ids as string[], selection(req), { parameter: 'ids' }));
  },
});
