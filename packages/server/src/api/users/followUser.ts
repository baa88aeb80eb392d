import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { isResult, requireSelf } from '../shared.js';
import { addFollow, targetUser } from '../social-shared.js';
import { Forbidden, InvalidRequest } from '../../errors.js';

/**
 * POST /2/users/:id/following — follows, or for a protected account files a follow request
 * (`pending_follow: true`, counters unchanged until accepted). Idempotent.
 */
export const followUser = operation({
  operationId: 'followUser',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionCreate),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { target_user_id: targetId } = req.body;
    if (targetId === me) throw InvalidRequest.one('target_user_id', [targetId], 'You cannot follow yourself.');
    const target = await targetUser(req, targetId);
    if (isResult(target)) return target;
    const social = req.ctx.repos.social;
    if (await social.isBlocking(targetId, me)) throw new Forbidden('You have been blocked from following this account at the request of the user.');
    if (await social.isBlocking(me, targetId)) throw new Forbidden('You cannot follow an account you have blocked.');
    const at = req.ctx.clock.now();
    const outcome = await req.ctx.repos.transaction(async (r) => {
      if (await r.social.isFollowing(me, targetId)) return 'following' as const;
      if (target.protected) return (await r.social.requestFollow(me, targetId, at)) ? ('requested' as const) : ('pending' as const);
      return (await addFollow(r, me, targetId, at)) ? ('followed' as const) : ('following' as const);
    });
    if (outcome === 'followed') req.ctx.bus.publish({ type: 'follow.created', followerId: me, followeeId: targetId, at });
    if (outcome === 'requested') req.ctx.bus.publish({ type: 'follow.requested', followerId: me, followeeId: targetId, at });
    const pending = outcome === 'requested' || outcome === 'pending';
    return { body: { data: { following: !pending, pending_follow: pending } } };
  },
});
