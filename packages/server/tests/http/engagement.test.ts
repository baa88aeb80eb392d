import { describe, expect, it } from 'vitest';
import { serverPerFileWithEvents } from '../server-per-file.js';
import { expectExactUnderConcurrency } from './concurrency.js';
import { id, one } from './find.js';

const ME = '2244994945';
const { s, events } = serverPerFileWithEvents();

const PUBLIC = 'join users u on u.id = p.author_id where u.protected = 0 and u.suspended = 0 and p.deleted = 0';
let nextPost = 0;
/** A different live public original post (not by @XDevelopers) for each call. */
async function freshPost(): Promise<{ id: string; authorId: string }> {
  const r = await one(s, `select p.id, p.author_id from posts p ${PUBLIC} and p.reposted_post_id is null and p.author_id <> ${ME} order by p.id desc limit 1 offset ${nextPost++}`);
  return { id: id(r.id), authorId: id(r.author_id) };
}
const postRow = (postId: string) => one(s, `select like_count, retweet_count, bookmark_count from posts where id = ${postId}`);
const userRow = (userId: string) => one(s, `select like_count, tweet_count from users where id = ${userId}`);
const count = async (q: string) => Number((await one(s, `select count(*) as n from ${q}`)).n);
const post = (path: string, body: unknown, token = s.userToken) => s.request('POST', path, { token, body });
const del = (path: string, token = s.userToken) => s.request('DELETE', path, { token });

describe('likes', () => {
  it('like, like again (idempotent), unlike: exact counters and events', async () => {
    const p = await freshPost();
    const before = await postRow(p.id);
    const me = await userRow(ME);
    events.length = 0;
    const r = await post(`/2/users/${ME}/likes`, { tweet_id: p.id });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { liked: true } });
    expect((await post(`/2/users/${ME}/likes`, { tweet_id: p.id })).body).toEqual({ data: { liked: true } });
    expect(Number((await postRow(p.id)).like_count)).toBe(Number(before.like_count) + 1);
    expect(Number((await userRow(ME)).like_count)).toBe(Number(me.like_count) + 1);
    const metrics = await s.get(`/2/tweets/${p.id}`, { token: s.userToken, query: { 'tweet.fields': 'public_metrics' } });
    expect(metrics.body.data.public_metrics.like_count).toBe(Number(before.like_count) + 1);
    const liking = await s.get(`/2/tweets/${p.id}/liking_users`, { token: s.userToken });
    expect(liking.body.data.map((u: any) => u.id)).toContain(ME);

    expect((await del(`/2/users/${ME}/likes/${p.id}`)).body).toEqual({ data: { liked: false } });
    expect((await del(`/2/users/${ME}/likes/${p.id}`)).body).toEqual({ data: { liked: false } });
    expect(Number((await postRow(p.id)).like_count)).toBe(Number(before.like_count));
    expect(Number((await userRow(ME)).like_count)).toBe(Number(me.like_count));
    expect(events.map((e) => e.type)).toEqual(['like.created', 'like.deleted']);
    expect(events[0]).toMatchObject({ userId: ME, postId: p.id });
  });

  it('a missing or deleted post: 200 with a not-found Problem named tweet_id, nothing written', async () => {
    const r = await post(`/2/users/${ME}/likes`, { tweet_id: '1' });
    expect(r.status).toBe(200);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors[0]).toMatchObject({ title: 'Not Found Error', parameter: 'tweet_id', resource_id: '1', detail: 'Could not find tweet with tweet_id: [1].' });
    const gone = await one(s, 'select id from posts where deleted = 1 limit 1').catch(() => null);
    if (gone) {
      const g = await post(`/2/users/${ME}/likes`, { tweet_id: id(gone.id) });
      expect(g.body.errors[0].title).toBe('Not Found Error');
    }
  });

  it('a protected account the user does not follow: not-authorized Problem', async () => {
    const q = await one(s, `select p.id from posts p join users u on u.id = p.author_id where u.protected = 1 and u.suspended = 0 and p.deleted = 0 and not exists (select 1 from follows f where f.follower_id = ${ME} and f.followee_id = u.id) limit 1`);
    const r = await post(`/2/users/${ME}/likes`, { tweet_id: id(q.id) });
    expect(r.status).toBe(200);
    expect(r.body.errors[0]).toMatchObject({ title: 'Authorization Error', parameter: 'tweet_id' });
  });

  it('acting for another user, app-only bearer and a token without like.write are refused with 403', async () => {
    const p = await freshPost();
    const other = await post(`/2/users/${p.authorId}/likes`, { tweet_id: p.id });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ title: 'Forbidden', type: 'about:blank', status: 403 });
    const app = await post(`/2/users/${ME}/likes`, { tweet_id: p.id }, s.bearer);
    expect(app.status).toBe(403);
    expect(app.body.title).toBe('Unsupported Authentication');
    const weak = await s.userTokenFor(ME, ['tweet.read', 'users.read']);
    const w = await post(`/2/users/${ME}/likes`, { tweet_id: p.id }, weak);
    expect(w.status).toBe(403);
    expect(w.body.detail).toContain('like.write');
    const wd = await del(`/2/users/${ME}/likes/${p.id}`, weak);
    expect(wd.status).toBe(403);
  });

  it('bad input is a 400 invalid-request, never a 500', async () => {
    const bodies: unknown[] = [{}, { tweet_id: 12 }, { tweet_id: 'abc' }, { tweet_id: '1', extra: true }, [], 'null'];
    for (const b of bodies) {
      const r = await post(`/2/users/${ME}/likes`, b);
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(r.body.title).toBe('Invalid Request');
      expect(r.body.type).toBe('https://api.twitter.com/2/problems/invalid-request');
    }
    const broken = await s.request('POST', `/2/users/${ME}/likes`, { token: s.userToken, body: '{"tweet_id":', raw: true });
    expect(broken.status).toBe(400);
    const noBody = await s.request('POST', `/2/users/${ME}/likes`, { token: s.userToken });
    expect(noBody.status).toBe(400);
    const badPath = await del(`/2/users/${ME}/likes/12x`);
    expect(badPath.status).toBe(400);
    expect(badPath.body.errors[0].parameters).toEqual({ tweet_id: ['12x'] });
  });

  it('200 concurrent likes/unlikes from several users keep every counter exact', async () => {
    const p = await freshPost();
    const users = (await s.handle.ctx.store.db.selectFrom('users').select('id').where('suspended', '=', 0).where('protected', '=', 0).orderBy('id').limit(8).execute()).map((u) => id(u.id));
    const tokens = await Promise.all(users.map((u) => s.userTokenFor(u)));
    const drift = async () => {
      const postDrift = Number((await postRow(p.id)).like_count) - (await count(`likes where post_id = ${p.id}`));
      const userDrift = await Promise.all(users.map(async (u) => Number((await userRow(u)).like_count) - (await count(`likes where user_id = ${u}`))));
      return { postDrift, userDrift };
    };
    await expectExactUnderConcurrency(
      users,
      (k, undo) => (undo ? del(`/2/users/${users[k]}/likes/${p.id}`, tokens[k]) : post(`/2/users/${users[k]}/likes`, { tweet_id: p.id }, tokens[k])),
      drift,
    );
  });
});

describe('reposts', () => {
  it('repost, repost again (same repost), list, reposts_of_me, unrepost: counters and events', async () => {
    const p = await freshPost();
    const author = await one(s, `select username from users where id = ${p.authorId}`);
    const orig = await one(s, `select text from posts where id = ${p.id}`);
    const before = await postRow(p.id);
    const me = await userRow(ME);
    events.length = 0;
    const r = await post(`/2/users/${ME}/retweets`, { tweet_id: p.id });
    expect(r.status).toBe(200);
    expect(r.body.data.retweeted).toBe(true);
    const repostId = r.body.data.id;
    expect(repostId).toMatch(/^\d+$/);
    expect(r.body.data.rest_id).toBe(repostId);
    const again = await post(`/2/users/${ME}/retweets`, { tweet_id: p.id });
    expect(again.body.data).toEqual({ id: repostId, rest_id: repostId, retweeted: true });
    expect(await count(`posts where reposted_post_id = ${p.id} and author_id = ${ME} and deleted = 0`)).toBe(1);
    expect(Number((await postRow(p.id)).retweet_count)).toBe(Number(before.retweet_count) + 1);
    expect(Number((await userRow(ME)).tweet_count)).toBe(Number(me.tweet_count) + 1);

    const look = await s.get(`/2/tweets/${repostId}`, { query: { 'tweet.fields': 'referenced_tweets,author_id,conversation_id,entities' } });
    expect(look.body.data.text).toBe(`RT @${author.username}: ${orig.text}`);
    expect(look.body.data).toMatchObject({ author_id: ME, conversation_id: repostId });
    expect(look.body.data.referenced_tweets).toEqual([{ type: 'retweeted', id: p.id }]);
    expect(look.body.data.entities.mentions[0]).toMatchObject({ start: 3, end: 4 + author.username.length, username: author.username });

    const list = await s.get(`/2/tweets/${p.id}/retweets`, { query: { 'tweet.fields': 'author_id', expansions: 'author_id' } });
    expect(list.status).toBe(200);
    expect(list.body.data[0]).toMatchObject({ id: repostId, author_id: ME });
    expect(list.body.includes.users.map((u: any) => u.id)).toContain(ME);
    expect(list.body.meta.result_count).toBe(list.body.data.length);

    const authorToken = await s.userTokenFor(p.authorId);
    const mine = await s.get('/2/users/reposts_of_me', { token: authorToken, query: { max_results: 5 } });
    expect(mine.status).toBe(200);
    expect(mine.body.data[0].id).toBe(repostId);
    const ids = mine.body.data.map((d: any) => BigInt(d.id));
    expect([...ids].sort((a, b) => (a < b ? 1 : -1))).toEqual(ids);
    if (mine.body.meta.next_token) {
      const page2 = await s.get('/2/users/reposts_of_me', { token: authorToken, query: { max_results: 5, pagination_token: mine.body.meta.next_token } });
      expect(page2.status).toBe(200);
      expect(BigInt(page2.body.data[0].id) < ids[ids.length - 1]).toBe(true);
    }
    expect((await s.get('/2/users/reposts_of_me', { token: s.bearer })).status).toBe(403);

    expect((await del(`/2/users/${ME}/retweets/${p.id}`)).body).toEqual({ data: { retweeted: false } });
    expect((await del(`/2/users/${ME}/retweets/${p.id}`)).body).toEqual({ data: { retweeted: false } });
    expect(Number((await postRow(p.id)).retweet_count)).toBe(Number(before.retweet_count));
    expect(Number((await userRow(ME)).tweet_count)).toBe(Number(me.tweet_count));
    const gone = await s.get(`/2/tweets/${repostId}`);
    expect(gone.body.errors[0].title).toBe('Not Found Error');
    const after = await s.get(`/2/tweets/${p.id}/retweets`);
    expect((after.body.data ?? []).map((d: any) => d.id)).not.toContain(repostId);
    expect(events.map((e) => e.type)).toEqual(['repost.created', 'repost.deleted']);
  });

  it("a protected account's post cannot be reposted, not even by its author", async () => {
    const q = await one(s, `select p.id, p.author_id from posts p join users u on u.id = p.author_id where u.protected = 1 and u.suspended = 0 and p.deleted = 0 and p.reposted_post_id is null limit 1`);
    const token = await s.userTokenFor(id(q.author_id));
    const r = await post(`/2/users/${id(q.author_id)}/retweets`, { tweet_id: id(q.id) }, token);
    expect(r.status).toBe(403);
    expect(r.body.title).toBe('Forbidden');
    const stranger = await post(`/2/users/${ME}/retweets`, { tweet_id: id(q.id) });
    expect(stranger.body.errors?.[0]?.title ?? stranger.body.title).toMatch(/Authorization Error|Forbidden/);
  });

  it('scopes and self: tweet.write is required; another user id is 403; app-only is 403', async () => {
    const p = await freshPost();
    const weak = await s.userTokenFor(ME, ['tweet.read', 'users.read', 'like.write']);
    expect((await post(`/2/users/${ME}/retweets`, { tweet_id: p.id }, weak)).status).toBe(403);
    expect((await post(`/2/users/${p.authorId}/retweets`, { tweet_id: p.id })).status).toBe(403);
    expect((await post(`/2/users/${ME}/retweets`, { tweet_id: p.id }, s.bearer)).body.title).toBe('Unsupported Authentication');
    expect((await post(`/2/users/${ME}/retweets`, { tweet_id: p.id, x: 1 })).status).toBe(400);
  });
});

describe('bookmarks', () => {
  it('bookmark, list, idempotent, delete: bookmark_count exact', async () => {
    const p = await freshPost();
    const before = Number((await postRow(p.id)).bookmark_count);
    expect((await post(`/2/users/${ME}/bookmarks`, { tweet_id: p.id })).body).toEqual({ data: { bookmarked: true } });
    expect((await post(`/2/users/${ME}/bookmarks`, { tweet_id: p.id })).body).toEqual({ data: { bookmarked: true } });
    expect(Number((await postRow(p.id)).bookmark_count)).toBe(before + 1);
    const list = await s.get(`/2/users/${ME}/bookmarks`, { token: s.userToken, query: { 'tweet.fields': 'author_id' } });
    expect(list.status).toBe(200);
    expect(list.body.data[0]).toMatchObject({ id: p.id, author_id: p.authorId });
    expect(list.body.meta.result_count).toBe(list.body.data.length);
    expect((await del(`/2/users/${ME}/bookmarks/${p.id}`)).body).toEqual({ data: { bookmarked: false } });
    expect((await del(`/2/users/${ME}/bookmarks/${p.id}`)).body).toEqual({ data: { bookmarked: false } });
    expect(Number((await postRow(p.id)).bookmark_count)).toBe(before);
    const empty = await s.get(`/2/users/${ME}/bookmarks`, { token: s.userToken });
    expect((empty.body.data ?? []).map((d: any) => d.id)).not.toContain(p.id);
  });

  it('pages with next_token and previous_token', async () => {
    const ps = [await freshPost(), await freshPost(), await freshPost()];
    for (const p of ps) {
      s.clock.advance(1000);
      await post(`/2/users/${ME}/bookmarks`, { tweet_id: p.id });
    }
    const p1 = await s.get(`/2/users/${ME}/bookmarks`, { token: s.userToken, query: { max_results: 2 } });
    expect(p1.body.data.map((d: any) => d.id)).toEqual([ps[2].id, ps[1].id]);
    const p2 = await s.get(`/2/users/${ME}/bookmarks`, { token: s.userToken, query: { max_results: 2, pagination_token: p1.body.meta.next_token } });
    expect(p2.body.data[0].id).toBe(ps[0].id);
    const back = await s.get(`/2/users/${ME}/bookmarks`, { token: s.userToken, query: { max_results: 2, pagination_token: p2.body.meta.previous_token } });
    expect(back.body.data.map((d: any) => d.id)).toEqual([ps[2].id, ps[1].id]);
    for (const p of ps) await del(`/2/users/${ME}/bookmarks/${p.id}`);
  });

  it('folders: create (201), list, file a bookmark, posts by folder; foreign folders are not found', async () => {
    const f = await post(`/2/users/${ME}/bookmarks/folders`, { name: 'Reading' });
    expect(f.status).toBe(201);
    expect(f.body.data).toEqual({ id: expect.stringMatching(/^\d+$/), name: 'Reading' });
    const folders = await s.get(`/2/users/${ME}/bookmarks/folders`, { token: s.userToken });
    expect(folders.body.data).toContainEqual({ id: f.body.data.id, name: 'Reading' });
    const p = await freshPost();
    expect((await post(`/2/users/${ME}/bookmarks`, { tweet_id: p.id, folder_id: f.body.data.id })).body).toEqual({ data: { bookmarked: true } });
    const inFolder = await s.get(`/2/users/${ME}/bookmarks/folders/${f.body.data.id}`, { token: s.userToken });
    expect(inFolder.status).toBe(200);
    expect(inFolder.body.data).toEqual([{ id: p.id }]);
    const missing = await s.get(`/2/users/${ME}/bookmarks/folders/123`, { token: s.userToken });
    expect(missing.body.errors[0]).toMatchObject({ title: 'Not Found Error', parameter: 'folder_id' });
    const badFolder = await post(`/2/users/${ME}/bookmarks`, { tweet_id: p.id, folder_id: '123' });
    expect(badFolder.body.errors[0].parameter).toBe('folder_id');
    expect((await post(`/2/users/${ME}/bookmarks/folders`, { name: '' })).status).toBe(400);
    expect((await post(`/2/users/${ME}/bookmarks/folders`, { name: 'x'.repeat(26) })).status).toBe(400);
    await del(`/2/users/${ME}/bookmarks/${p.id}`);
  });

  it('OAuth 2.0 user context only, bookmark.write required, own id only', async () => {
    const p = await freshPost();
    const app = await post(`/2/users/${ME}/bookmarks`, { tweet_id: p.id }, s.bearer);
    expect(app.status).toBe(403);
    expect(app.body.title).toBe('Unsupported Authentication');
    const weak = await s.userTokenFor(ME, ['tweet.read', 'users.read', 'bookmark.read']);
    expect((await post(`/2/users/${ME}/bookmarks`, { tweet_id: p.id }, weak)).status).toBe(403);
    expect((await del(`/2/users/${ME}/bookmarks/${p.id}`, weak)).status).toBe(403);
    expect((await post(`/2/users/${ME}/bookmarks/folders`, { name: 'n' }, weak)).status).toBe(403);
    expect((await s.get(`/2/users/${p.authorId}/bookmarks`, { token: s.userToken })).status).toBe(403);
  });
});
