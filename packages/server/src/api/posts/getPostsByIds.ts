import type { Operation } from '../types.js';
import { many, renderEnv, selection } from '../shared.js';
import { renderPosts } from '../../pipeline/render.js';

export const getPostsByIds: Operation = {
  operationId: 'getPostsByIds',
  async handle(req) {
    return many(await renderPosts(renderEnv(req), req.params.ids as string[], selection(req), { parameter: 'ids' }));
  },
};
