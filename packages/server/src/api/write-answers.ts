/** X's answers to a refused write: a 200 carrying only `errors`, naming the request member that was refused. */
import type { Context } from '../context.js';
import type { OperationRequest, OperationResult } from './operation.js';
import { isRefusal, type Refusal } from '../domain/write.js';
import { requireSelf } from './shared.js';
import { notAuthorized, notFound, suspended, unavailable, type Problem } from '../pipeline/problems.js';
import { folderNotFound } from './posts/getUsersBookmarksByFolderId.js';

function problemOf(r: Refusal, parameter: string): Problem {
  const value = r.id;
  switch (r.refused) {
    case 'post-missing':
      return notFound('tweet', parameter, value);
    case 'post-unauthorized':
      return notAuthorized('tweet', parameter, value, 'data');
    case 'user-missing':
      return notFound('user', parameter, value);
    case 'user-suspended':
      return suspended(parameter, value);
    case 'folder-missing':
      return folderNotFound(value);
    case 'dm-conversation-missing':
      return notFound('dm_conversation', parameter, value);
    case 'chat-conversation-missing':
      return notFound('chat_conversation', parameter, value);
    case 'list-missing':
      return notFound('list', parameter, value);
    case 'list-unauthorized':
      return notAuthorized('list', parameter, value, 'data');
    case 'scheduled-broadcast-missing':
      return notFound('scheduled_broadcast', parameter, value);
    case 'broadcast-missing':
      return notFound('broadcast', parameter, value);
    case 'broadcast-unavailable':
      return unavailable('broadcast', value, `The broadcast with ${parameter}: [${value}] is not live.`);
    case 'article-missing':
      return notFound('article', parameter, value);
  }
}

export const refused = (r: Refusal, parameter: string): OperationResult => ({ body: { errors: [problemOf(r, parameter)] } });

/**
 * A write by the path's user (`:id`, who must be the caller) at the body's `target_user_id` — follow, block, mute:
 * the refusal's answer, or `data` as `answer` makes it of the domain's outcome.
 */
export async function onTargetUser<T>(
  req: OperationRequest<'followUser' | 'blockUser' | 'muteUser'>,
  act: (ctx: Context, me: string, targetId: string) => Promise<T | Refusal>,
  answer: (outcome: T) => Record<string, unknown>,
): Promise<OperationResult> {
  const me = requireSelf(req, String(req.params.id));
  const outcome = await act(req.ctx, me, req.body.target_user_id);
  if (isRefusal(outcome)) return refused(outcome, 'target_user_id');
  return { body: { data: answer(outcome) } };
}
