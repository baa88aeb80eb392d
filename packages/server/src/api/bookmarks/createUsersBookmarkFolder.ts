import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';

/** POST /2/users/:id/bookmarks/folders — 201 `{data:{id,name}}` (the contract's success status). */
export const createUsersBookmarkFolder = operation({
  operationId: 'createUsersBookmarkFolder',
  rateLimit: {},
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { name } = req.body;
    const id = req.ctx.ids.next();
    await req.ctx.repos.social.createFolder({ id, userId: me, name, createdAt: req.ctx.clock.now() });
    return { status: 201, body: { data: { id, name } } };
  },
});
