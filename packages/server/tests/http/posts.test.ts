import { describe, expect, it } from 'vitest';
import { serverPerFile } from '../server-per-file.js';
import { id, one } from './find.js';

const s = serverPerFile();

const PUBLIC = 'join users u on u.id = p.author_id where u.protected = 0 and u.suspended = 0 and p.deleted = 0';

describe('post lookup', () => {
  it('defaults: id, text, edit_history_tweet_ids', async () => {
    const r = await s.get('/2/tweets/1460323737035677698');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.data).sort()).toEqual(['edit_history_tweet_ids', 'id', 'text']);
    expect(r.body.data.edit_history_tweet_ids).toEqual(['1460323737035677698']);
  });

  it('two expansions: author and referenced posts with their authors, includes deduplicated', async () => {
    const q = await one(s, `select p.id, p.quoted_post_id, p.author_id from posts p ${PUBLIC} and p.quoted_post_id is not null and exists (select 1 from posts r join users ru on ru.id = r.author_id where r.id = p.quoted_post_id and r.deleted = 0 and ru.protected = 0 and ru.suspended = 0) limit 1`);
    const r = await s.get(`/2/tweets/${id(q.id)}`, {
      query: { expansions: 'author_id,referenced_tweets.id,referenced_tweets.id.author_id', 'tweet.fields': 'author_id,referenced_tweets,created_at,public_metrics' },
    });
    expect(r.status).toBe(200);
    expect(r.body.data.referenced_tweets).toContainEqual({ type: 'quoted', id: id(q.quoted_post_id) });
    expect(r.body.includes.tweets.map((t: any) => t.id)).toContain(id(q.quoted_post_id));
    const userIds = r.body.includes.users.map((u: any) => u.id);
    expect(userIds).toContain(id(q.author_id));
    expect(new Set(userIds).size).toBe(userIds.length);
    expect(Object.keys(r.body.data.public_metrics).sort()).toEqual(['bookmark_count', 'impression_count', 'like_count', 'quote_count', 'reply_count', 'retweet_count']);
  });

  it('2.167 names: post.fields and referenced_posts answer with 2.167 keys', async () => {
    const q = await one(s, `select p.id from posts p ${PUBLIC} and p.in_reply_to_post_id is not null limit 1`);
    const r = await s.get(`/2/tweets/${id(q.id)}`, { query: { 'post.fields': 'referenced_posts,public_metrics,author_id', expansions: 'referenced_posts' } });
    expect(r.body.data.edit_history_post_ids).toEqual([id(q.id)]);
    expect(r.body.data.referenced_posts[0].type).toBe('replied_to');
    expect(r.body.data.public_metrics.repost_count).toBeTypeOf('number');
    expect(r.body.data.edit_history_tweet_ids).toBeUndefined();
  });

  it('missing post: errors only, X detail', async () => {
    const r = await s.get('/2/tweets/20');
    expect(r.body).toEqual({
      errors: [
        {
          value: '20',
          detail: 'Could not find tweet with id: [20].',
          title: 'Not Found Error',
          resource_type: 'tweet',
          parameter: 'id',
          resource_id: '20',
          type: 'https://api.twitter.com/2/problems/resource-not-found',
        },
      ],
    });
  });

  it('protected author: Authorization Error for outsiders, visible to the author', async () => {
    const q = await one(s, 'select p.id, p.author_id from posts p join users u on u.id = p.author_id where u.protected = 1 and u.suspended = 0 and p.deleted = 0 limit 1');
    const pid = id(q.id);
    const outsider = await s.get(`/2/tweets/${pid}`);
    expect(outsider.body.errors[0]).toMatchObject({
      title: 'Authorization Error',
      detail: `Sorry, you are not authorized to see the Tweet with id: [${pid}].`,
      section: 'data',
      type: 'https://api.twitter.com/2/problems/not-authorized-for-resource',
    });
    const mine = await s.get(`/2/tweets/${pid}`, { token: await s.userTokenFor(id(q.author_id)) });
    expect(mine.body.data.id).toBe(pid);
  });

  it('batch lookup keeps order with partial errors; includes errors carry section "includes"', async () => {
    const a = await one(s, `select p.id from posts p ${PUBLIC} and p.reposted_post_id is null order by p.id desc limit 1`);
    const r = await s.get('/2/tweets', { query: { ids: `${id(a.id)},1460323737035677698,21` } });
    expect(r.body.data.map((d: any) => d.id)).toEqual([id(a.id), '1460323737035677698']);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].detail).toBe('Could not find tweet with ids: [21].');

    // A reply whose parent is protected: the include is refused with section "includes".
    const hidden = await s.handle.ctx.store.db
      .selectFrom('posts as p')
      .innerJoin('posts as parent', 'parent.id', 'p.in_reply_to_post_id')
      .innerJoin('users as pu', 'pu.id', 'parent.author_id')
      .innerJoin('users as au', 'au.id', 'p.author_id')
      .select(['p.id as id', 'parent.id as parent'])
      .where('pu.protected', '=', 1)
      .where('au.protected', '=', 0)
      .where('au.suspended', '=', 0)
      .where('p.deleted', '=', 0)
      .executeTakeFirst();
    if (hidden) {
      const h = await s.get(`/2/tweets/${id(hidden.id)}`, { query: { expansions: 'referenced_tweets.id' } });
      expect(h.body.data.id).toBe(id(hidden.id));
      expect(h.body.errors[0]).toMatchObject({ title: 'Authorization Error', section: 'includes', parameter: 'referenced_tweets.id' });
    }
  });

  it('media, polls and places expansions fill includes with their fields', async () => {
    const m = await one(s, `select p.id from posts p ${PUBLIC} and p.media_keys is not null limit 1`);
    const r = await s.get(`/2/tweets/${id(m.id)}`, { query: { expansions: 'attachments.media_keys', 'media.fields': 'url,width,height,type,alt_text,variants,preview_image_url,duration_ms' } });
    expect(r.body.includes.media.length).toBeGreaterThan(0);
    expect(r.body.includes.media[0].media_key).toMatch(/^\d+_\d+$/);
    const p = await one(s, `select p.id from posts p ${PUBLIC} and p.poll_id is not null limit 1`);
    const pr = await s.get(`/2/tweets/${id(p.id)}`, { query: { expansions: 'attachments.poll_ids', 'poll.fields': 'duration_minutes,end_datetime,voting_status' } });
    expect(pr.body.includes.polls[0].options[0]).toMatchObject({ position: 1 });
    expect(['open', 'closed']).toContain(pr.body.includes.polls[0].voting_status);
    const g = await one(s, `select p.id from posts p ${PUBLIC} and p.place_id is not null limit 1`);
    const gr = await s.get(`/2/tweets/${id(g.id)}`, { query: { expansions: 'geo.place_id', 'place.fields': 'country_code,geo,name,place_type' } });
    expect(gr.body.includes.places[0]).toMatchObject({ geo: { type: 'Feature' } });
  });

  it('non_public_metrics: field error for others, values for the author', async () => {
    const r = await s.get('/2/tweets/1460323737035677698', { query: { 'tweet.fields': 'non_public_metrics' } });
    expect(r.body.data.id).toBe('1460323737035677698');
    expect(r.body.errors[0]).toMatchObject({ title: 'Field Authorization Error', field: 'non_public_metrics' });
  });
});

describe('user timeline', () => {
  it('paginates to the end without gaps or repeats, newest first, with meta', async () => {
    const a = await one(s, `select p.author_id, count(*) as n from posts p ${PUBLIC} group by p.author_id order by n desc limit 1`);
    const author = id(a.author_id);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await s.get(`/2/users/${author}/tweets`, { query: { max_results: 5, pagination_token: token } });
      expect(r.status).toBe(200);
      const ids = (r.body.data ?? []).map((d: any) => d.id);
      if (ids.length) {
        expect(r.body.meta.newest_id).toBe(ids[0]);
        expect(r.body.meta.oldest_id).toBe(ids[ids.length - 1]);
      }
      expect(r.body.meta.result_count).toBe(ids.length);
      seen.push(...ids);
      token = r.body.meta.next_token;
      if (pages === 1) {
        // previous_token walks back to exactly the first page.
        const back = await s.get(`/2/users/${author}/tweets`, { query: { max_results: 5, pagination_token: r.body.meta.previous_token } });
        expect(back.body.data.map((d: any) => d.id)).toEqual(seen.slice(0, 5));
      }
      pages++;
    } while (token && pages < 500);
    expect(seen.length).toBe(Number(a.n));
    expect(new Set(seen).size).toBe(seen.length);
    const sorted = [...seen].sort((x, y) => (BigInt(y) > BigInt(x) ? 1 : -1));
    expect(seen).toEqual(sorted);
  });

  it('since_id/until_id, start_time/end_time and exclude', async () => {
    const a = await one(s, `select p.author_id from posts p ${PUBLIC} group by p.author_id having count(*) > 12 limit 1`);
    const author = id(a.author_id);
    const all = (await s.get(`/2/users/${author}/tweets`, { query: { max_results: 100, 'tweet.fields': 'created_at,referenced_tweets' } })).body.data as any[];
    const mid = all[Math.floor(all.length / 2)];
    const since = await s.get(`/2/users/${author}/tweets`, { query: { max_results: 100, since_id: mid.id } });
    expect(since.body.data.every((d: any) => BigInt(d.id) > BigInt(mid.id))).toBe(true);
    const until = await s.get(`/2/users/${author}/tweets`, { query: { max_results: 100, until_id: mid.id } });
    expect(until.body.data.every((d: any) => BigInt(d.id) < BigInt(mid.id))).toBe(true);
    expect(since.body.data.length + until.body.data.length + 1).toBe(all.length);
    const start = mid.created_at.replace(/\.\d{3}Z$/, 'Z');
    const fromStart = await s.get(`/2/users/${author}/tweets`, { query: { max_results: 100, start_time: start, 'tweet.fields': 'created_at' } });
    expect(fromStart.body.data.every((d: any) => Date.parse(d.created_at) >= Date.parse(start))).toBe(true);
    expect(fromStart.body.data.map((d: any) => d.id)).toContain(mid.id);
    const toEnd = await s.get(`/2/users/${author}/tweets`, { query: { max_results: 100, end_time: start, 'tweet.fields': 'created_at' } });
    expect((toEnd.body.data ?? []).every((d: any) => Date.parse(d.created_at) < Date.parse(start))).toBe(true);
    const noRt = await s.get(`/2/users/${author}/tweets`, { query: { max_results: 100, exclude: 'retweets,replies', 'tweet.fields': 'referenced_tweets' } });
    for (const d of noRt.body.data ?? []) expect((d.referenced_tweets ?? []).filter((r: any) => r.type !== 'quoted')).toEqual([]);
    const bad = await s.get(`/2/users/${author}/tweets`, { query: { exclude: 'likes' } });
    expect(bad.status).toBe(400);
  });

  it("a protected user's timeline is refused to outsiders", async () => {
    const u = await one(s, 'select id from users where protected = 1 and suspended = 0 limit 1');
    const r = await s.get(`/2/users/${id(u.id)}/tweets`);
    expect(r.body.errors[0]).toMatchObject({ title: 'Authorization Error', resource_type: 'user' });
    const missing = await s.get('/2/users/3/tweets');
    expect(missing.body.errors[0].detail).toBe('Could not find user with id: [3].');
  });
});

describe('relations', () => {
  async function walk(path: string, max: number, auth?: string) {
    const out: string[] = [];
    let pages = 0;
    let t: string | undefined;
    do {
      const r = await s.get(path, { token: auth, query: { max_results: max, pagination_token: t } });
      expect(r.status).toBe(200);
      expect(r.body.meta.result_count).toBe((r.body.data ?? []).length);
      out.push(...(r.body.data ?? []).map((d: any) => d.id));
      t = r.body.meta.next_token;
      pages++;
    } while (t && pages < 200);
    return out;
  }

  it('followers and following page through every edge', async () => {
    const followers = await walk('/2/users/2244994945/followers', 7);
    const n = await one(s, 'select count(*) as n from follows f join users u on u.id = f.follower_id where f.followee_id = 2244994945 and u.suspended = 0');
    expect(followers.length).toBe(Number(n.n));
    expect(new Set(followers).size).toBe(followers.length);
    const f = await one(s, 'select follower_id, count(*) as n from follows group by follower_id order by n desc limit 1');
    const following = await walk(`/2/users/${id(f.follower_id)}/following`, 3);
    expect(new Set(following).size).toBe(following.length);
    expect(following.length).toBeLessThanOrEqual(Number(f.n));
  });

  it('followers previous_token returns the page before', async () => {
    const p1 = await s.get('/2/users/2244994945/followers', { query: { max_results: 4 } });
    const p2 = await s.get('/2/users/2244994945/followers', { query: { max_results: 4, pagination_token: p1.body.meta.next_token } });
    expect(p2.body.meta.previous_token).toBeDefined();
    const back = await s.get('/2/users/2244994945/followers', { query: { max_results: 4, pagination_token: p2.body.meta.previous_token } });
    expect(back.body.data.map((d: any) => d.id)).toEqual(p1.body.data.map((d: any) => d.id));
  });

  it('liking_users, liked_tweets, retweeted_by, quote_tweets', async () => {
    const liked = await one(s, `select p.id, p.like_count from posts p ${PUBLIC} order by p.like_count desc limit 1`);
    const likers = await walk(`/2/tweets/${id(liked.id)}/liking_users`, 10, s.userToken);
    expect((await s.get(`/2/tweets/${id(liked.id)}/liking_users`)).status).toBe(403);
    expect(likers.length).toBeGreaterThan(0);
    expect(likers.length).toBeLessThanOrEqual(Number(liked.like_count));
    const liker = await one(s, 'select user_id from likes group by user_id order by count(*) desc limit 1');
    const likedPosts = await s.get(`/2/users/${id(liker.user_id)}/liked_tweets`, { token: s.userToken, query: { max_results: 5 } });
    expect(likedPosts.status).toBe(200);
    expect(likedPosts.body.meta.result_count).toBeGreaterThanOrEqual(0);
    const rt = await one(s, `select p.id from posts p ${PUBLIC} and p.retweet_count > 0 order by p.retweet_count desc limit 1`);
    const rts = await s.get(`/2/tweets/${id(rt.id)}/retweeted_by`);
    expect(rts.body.data.length).toBeGreaterThan(0);
    const qt = await one(s, `select p.quoted_post_id as id from posts p ${PUBLIC} and p.quoted_post_id is not null limit 1`);
    const qts = await s.get(`/2/tweets/${id(qt.id)}/quote_tweets`, { query: { 'tweet.fields': 'referenced_tweets' } });
    if (qts.body.data) for (const d of qts.body.data) expect(d.referenced_tweets).toContainEqual({ type: 'quoted', id: id(qt.id) });
    const missing = await s.get('/2/tweets/22/liking_users', { token: s.userToken });
    expect(missing.body.errors[0].detail).toBe('Could not find tweet with id: [22].');
  });
});
