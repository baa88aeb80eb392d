import type { Operation } from '../types.js';
import { renderEnv, selection, single } from '../shared.js';
import { renderPosts } from '../../pipeline/render.js';

export const getPostsById: Operation = {
  operationId: 'getPostsById',
  async handle(req) {
    return single(await renderPosts(renderEnv(req), [String(req.params.id)], selection(req), { parameter: 'id' }));
  },
};
