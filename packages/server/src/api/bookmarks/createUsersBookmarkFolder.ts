import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { createBookmarkFolder } from '../../domain/engagement.js';

/** POST /2/users/:id/bookmarks/folders — 201 `{data:{id,name}}` (the contract's success status). */
export const createUsersBookmarkFolder = operation({
  operationId: 'createUsersBookmarkFolder',
  rateLimit: {},
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const folder = await createBookmarkFolder(req.ctx, me, req.body.name);
    return { status: 201, body: { data: { id: folder.id, name: folder.name } } };
  },
});
