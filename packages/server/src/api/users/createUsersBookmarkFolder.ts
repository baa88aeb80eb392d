import type { Operation } from '../types.js';
import { requireSelf } from '../shared.js';
import { body } from './social-shared.js';

/** POST /2/users/:id/bookmarks/folders — 201 `{data:{id,name}}` (the contract's success status). */
export const createUsersBookmarkFolder: Operation = {
  operationId: 'createUsersBookmarkFolder',
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { name } = body<{ name: string }>('CreateUsersBookmarkFolderRequest', req);
    const id = req.ctx.ids.next();
    await req.ctx.repos.social.createFolder({ id, userId: me, name, createdAt: req.ctx.clock.now() });
    return { status: 201, body: { data: { id, name } } };
  },
};
