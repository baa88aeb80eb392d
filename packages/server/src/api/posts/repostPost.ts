import { newPostRow } from '../../data/rows.js';
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { isResult, requireSelf } from '../shared.js';
import { targetPost } from '../social-shared.js';
import { Forbidden } from '../../errors.js';
import type { PostEntities, PostRow, UserRow } from '../../data/rows.js';

/** Entities of `RT @author: <text>`: the author mention, then the original's entities moved past the prefix. */
function repostEntities(author: UserRow, orig: PostRow, shift: number): PostEntities {
  const out: PostEntities = { mentions: [{ start: 3, end: 4 + author.username.length, username: author.username, id: author.id }] };
  const e = orig.entities ?? {};
  const move = <T extends { start: number; end: number }>(xs: T[] | undefined) => xs?.map((x) => ({ ...x, start: x.start + shift, end: x.end + shift }));
  if (e.urls) out.urls = move(e.urls);
  if (e.hashtags) out.hashtags = move(e.hashtags);
  if (e.cashtags) out.cashtags = move(e.cashtags);
  if (e.mentions) out.mentions!.push(...move(e.mentions)!);
  if (e.annotations) out.annotations = move(e.annotations);
  return out;
}

/**
 * POST /2/users/:id/retweets — a repost is a posts row (`RT @user: …`). Reposting twice answers the existing
 * repost; reposting a repost reposts its original; protected accounts' posts cannot be reposted (not even by
 * approved followers or the author, as on X).
 */
export const repostPost = operation({
  operationId: 'repostPost',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionCreate),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { tweet_id } = req.body;
    let target = await targetPost(req, me, tweet_id);
    if (!isResult(target) && target.post.repostedPostId) target = await targetPost(req, me, target.post.repostedPostId);
    if (isResult(target)) return target;
    const { post: orig, author } = target;
    if (author.protected) throw new Forbidden('You cannot retweet a Tweet from a protected account.');
    const at = req.ctx.clock.now();
    const result = await req.ctx.repos.transaction(async (r) => {
      await r.social.lockUser(me);
      const existing = await r.social.liveRepostBy(me, orig.id);
      if (existing) return { id: existing, made: false };
      const id = req.ctx.ids.next();
      const prefix = `RT @${author.username}: `;
      await r.posts.insertMany([
        {
          ...newPostRow(id, me, at),
          text: prefix + orig.text,
          repostedPostId: orig.id,
          lang: orig.lang,
          possiblySensitive: orig.possiblySensitive,
          entities: repostEntities(author, orig, Array.from(prefix).length),
        },
      ]);
      await r.posts.adjustCounters(orig.id, { retweet_count: 1 });
      await r.users.adjustCounters(me, { tweet_count: 1 });
      return { id, made: true };
    });
    if (result.made) req.ctx.bus.publish({ type: 'repost.created', userId: me, postId: orig.id, repostId: result.id, at });
    // `id` is the classic member (FACTS §10); 2.167's schema requires `rest_id` for the same value.
    return { body: { data: { id: result.id, rest_id: result.id, retweeted: true } } };
  },
});
