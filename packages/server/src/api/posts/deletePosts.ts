/**
 * DELETE /2/tweets/:id — author only. Deleting any version deletes the whole edit chain; reposts of it vanish
 * with it; replies keep their in_reply_to. Counters of everyone involved follow.
 */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { Forbidden, Unauthorized } from '../../errors.js';
import { str } from '../shared.js';

export const deletePosts = operation({
  operationId: 'deletePosts',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const { ctx } = req;
    const repos = ctx.repos;
    const me = req.principal?.userId;
    if (!me) throw new Unauthorized();
    const id = str(req.params.id)!;
    const post = (await repos.posts.byIds([id])).get(id);
    // Nothing to delete (never existed, or already gone): X answers 200 with deleted:false.
    if (!post || post.deleted) return { body: { data: { deleted: false } } };
    if (post.authorId !== me) throw new Forbidden('You are not allowed to delete a Tweet that you did not author.');

    const versions = post.repostedPostId ? [post.id] : ((await repos.posts.editChains([post.editRootId])).get(post.editRootId) ?? [post.id]);
    const root = post.editRootId === post.id ? post : ((await repos.posts.byIds([post.editRootId])).get(post.editRootId) ?? post);
    const now = ctx.clock.now();
    const reposts = post.repostedPostId ? [] : await repos.posts.liveRepostsOfAny(versions);

    await repos.transaction(async (r) => {
      const gone = [...versions, ...reposts.map((x) => x.id)];
      await r.posts.markDeleted(gone);
      // One post in the author's count per chain (edits never added to it).
      await r.users.adjustCounters(me, { tweet_count: -1 });
      if (post.repostedPostId) await r.posts.adjustCounters(post.repostedPostId, { retweet_count: -1 });
      if (root.inReplyToPostId) await r.posts.adjustCounters(root.inReplyToPostId, { reply_count: -1 });
      if (root.quotedPostId) await r.posts.adjustCounters(root.quotedPostId, { quote_count: -1 });
      for (const x of reposts) await r.users.adjustCounters(x.authorId, { tweet_count: -1 });
      // Keep most_recent_post_id pointing at a live post for everyone who lost one.
      const goneSet = new Set(gone);
      const owners = [...new Set([me, ...reposts.map((x) => x.authorId)])];
      const users = await r.users.byIds(owners);
      for (const u of users.values()) {
        if (u.mostRecentPostId === null || !goneSet.has(u.mostRecentPostId)) continue;
        const [latest] = await r.posts.idsByAuthor({ authorId: u.id, limit: 1 });
        await r.users.setMostRecentPost(u.id, latest ?? null);
      }
    });
    for (const v of versions) ctx.bus.publish({ type: 'post.deleted', postId: v, authorId: me, at: now });
    for (const x of reposts) ctx.bus.publish({ type: 'repost.deleted', userId: x.authorId, postId: post.id, repostId: x.id, at: now });
    return { body: { data: { deleted: true } } };
  },
});
