import { describe, expect, it } from 'vitest';
import { serverPerFile } from '../server-per-file.js';
import { id, one } from './find.js';

const s = serverPerFile();

const ME = '2244994945';
const CLEAN = (col: string) =>
  `${col} not in (select blocker_id from blocks where blocked_id = ${ME}) and ${col} not in (select blocked_id from blocks where blocker_id = ${ME})`;

const ids = (r: { body: any }) => ((r.body.data ?? []) as any[]).map((d) => d.id);

describe('write-then-read consistency', () => {
  it('a post shows up everywhere X shows it, edits replace it in lists, and delete removes it from all of them', async () => {
    const follower = id(
      (await one(s, `select f.follower_id from follows f join users u on u.id = f.follower_id where f.followee_id = ${ME} and u.suspended = 0 and ${CLEAN('f.follower_id')} and f.follower_id not in (select muter_id from mutes where muted_id = ${ME}) limit 1`)).follower_id,
    );
    const mentioned = await one(s, `select id, username from users where suspended = 0 and protected = 0 and id <> ${ME} and ${CLEAN('id')} limit 1`);
    const followerToken = await s.userTokenFor(follower);
    const mentionedToken = await s.userTokenFor(id(mentioned.id));

    const created = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: `Consistency check for @${mentioned.username} #roost` } });
    expect(created.status).toBe(201);
    const postId = created.body.data.id as string;

    expect((await s.get(`/2/tweets/${postId}`)).body.data.id).toBe(postId);
    expect(ids(await s.get(`/2/users/${ME}/tweets`, { query: { max_results: 5 } }))).toContain(postId);
    expect(ids(await s.get(`/2/users/${follower}/timelines/reverse_chronological`, { token: followerToken, query: { max_results: 5 } }))).toContain(postId);
    expect(ids(await s.get(`/2/users/${id(mentioned.id)}/mentions`, { query: { max_results: 5 } }))).toContain(postId);

    expect((await s.request('POST', `/2/users/${follower}/likes`, { token: followerToken, body: { tweet_id: postId } })).body.data.liked).toBe(true);
    expect(ids(await s.get(`/2/tweets/${postId}/liking_users`, { token: s.userToken }))).toContain(follower);
    expect(ids(await s.get(`/2/users/${follower}/liked_tweets`, { token: followerToken, query: { max_results: 5 } }))).toContain(postId);
    const rt = await s.request('POST', `/2/users/${id(mentioned.id)}/retweets`, { token: mentionedToken, body: { tweet_id: postId } });
    expect(rt.body.data.retweeted).toBe(true);
    expect(ids(await s.get(`/2/tweets/${postId}/retweeted_by`))).toContain(id(mentioned.id));
    const metrics = (await s.get(`/2/tweets/${postId}`, { query: { 'tweet.fields': 'public_metrics' } })).body.data.public_metrics;
    expect(metrics).toMatchObject({ like_count: 1, retweet_count: 1 });

    // An edit: the new version replaces the old one in lists; the old id still resolves with its history.
    s.clock.advance(60_000);
    const edited = await s.request('POST', '/2/tweets', {
      token: s.userToken,
      body: { text: `Consistency check (edited) for @${mentioned.username} #roost`, edit_options: { previous_post_id: postId } },
    });
    expect(edited.status).toBe(201);
    const v2 = edited.body.data.id as string;
    expect(edited.body.data.edit_history_tweet_ids).toEqual([postId, v2]);
    const timeline = ids(await s.get(`/2/users/${ME}/tweets`, { query: { max_results: 5 } }));
    expect(timeline).toContain(v2);
    expect(timeline).not.toContain(postId);
    expect((await s.get(`/2/tweets/${postId}`)).body.data.edit_history_tweet_ids).toEqual([postId, v2]);
    expect(ids(await s.get(`/2/users/${id(mentioned.id)}/mentions`, { query: { max_results: 5 } }))).toEqual(expect.not.arrayContaining([postId]));

    // Delete: the whole chain disappears everywhere.
    expect((await s.request('DELETE', `/2/tweets/${v2}`, { token: s.userToken })).body.data.deleted).toBe(true);
    for (const pid of [postId, v2]) {
      const r = await s.get(`/2/tweets/${pid}`);
      expect(r.body.data).toBeUndefined();
      expect(r.body.errors[0].title).toBe('Not Found Error');
      expect((await s.get(`/2/tweets/${pid}/liking_users`, { token: s.userToken })).body.errors[0].title).toBe('Not Found Error');
    }
    expect(ids(await s.get(`/2/users/${ME}/tweets`, { query: { max_results: 100 } }))).toEqual(expect.not.arrayContaining([postId, v2]));
    expect(ids(await s.get(`/2/users/${follower}/timelines/reverse_chronological`, { token: followerToken, query: { max_results: 100 } }))).toEqual(
      expect.not.arrayContaining([postId, v2, rt.body.data.id]),
    );
    expect(ids(await s.get(`/2/users/${id(mentioned.id)}/mentions`, { query: { max_results: 100 } }))).toEqual(expect.not.arrayContaining([postId, v2]));
    expect(ids(await s.get(`/2/users/${follower}/liked_tweets`, { token: followerToken, query: { max_results: 100 } }))).toEqual(expect.not.arrayContaining([postId, v2]));
  });

  it('create options X keeps on the post come back as post fields', async () => {
    // Posting into a Community takes membership (tests/http/communities.test.ts): @XDevelopers joins one first.
    const community = id((await one(s, "select id from communities where access = 'Public' order by id limit 1")).id);
    if (!(await s.handle.ctx.repos.communities.isMember(community, ME))) {
      await s.handle.ctx.repos.communities.insertMembers([{ communityId: community, userId: ME, role: 'member', at: s.clock.now() }]);
    }
    const r = await s.request('POST', '/2/tweets', {
      token: s.userToken,
      body: { text: 'A post with a card and a partnership', card_uri: 'card://1234567890', paid_partnership: true, community_id: community, nullcast: false },
    });
    expect(r.status).toBe(201);
    const got = await s.get(`/2/tweets/${r.body.data.id}`, { query: { 'tweet.fields': 'card_uri,community_id,paid_partnership' } });
    expect(got.body.data).toMatchObject({ card_uri: 'card://1234567890', community_id: community, paid_partnership: true });
    const plain = await s.get('/2/tweets/1460323737035677698', { query: { 'tweet.fields': 'card_uri,community_id,paid_partnership' } });
    expect(Object.keys(plain.body.data).sort()).toEqual(['edit_history_tweet_ids', 'id', 'text']);
  });

  it('long posts: verified (Premium) authors get note_tweet with the full text; others get the too-long error', async () => {
    const mentioned = await one(s, `select id, username from users where suspended = 0 and protected = 0 and id <> ${ME} and ${CLEAN('id')} limit 1`);
    const long = `${'Long form writing about the X API. '.repeat(12)}Thanks @${mentioned.username} for https://developer.x.com/en/docs #longpost`;
    const r = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: long } });
    expect(r.status).toBe(201);
    const got = await s.get(`/2/tweets/${r.body.data.id}`, {
      query: { 'tweet.fields': 'note_tweet,entities,display_text_range', expansions: 'entities.note.mentions.username' },
    });
    const d = got.body.data;
    expect(d.note_tweet.text).toContain(`Thanks @${mentioned.username} for https://t.co/`);
    expect(d.note_tweet.entities.hashtags[0].tag).toBe('longpost');
    expect(d.note_tweet.entities.mentions[0]).toMatchObject({ username: mentioned.username, id: id(mentioned.id) });
    expect(d.note_tweet.text.startsWith(d.text)).toBe(true);
    expect(Array.from(d.text).length).toBeLessThanOrEqual(280);
    expect(d.display_text_range).toEqual([0, Array.from(d.text).length]);
    expect(got.body.includes.users.map((u: any) => u.id)).toContain(id(mentioned.id));
    const modern = await s.get(`/2/tweets/${r.body.data.id}`, { query: { 'post.fields': 'note_post' } });
    expect(modern.body.data.note_post.text).toBe(d.note_tweet.text);
    const ment = await s.get(`/2/users/${id(mentioned.id)}/mentions`, { query: { max_results: 5 } });
    expect(ment.body.data.map((x: any) => x.id)).toContain(r.body.data.id);

    const plain = await one(s, `select id from users where verified = 0 and suspended = 0 limit 1`);
    const refused = await s.request('POST', '/2/tweets', { token: await s.userTokenFor(id(plain.id)), body: { text: long } });
    expect(refused.status).toBe(400);
    const tooLong = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'x'.repeat(25_001) } });
    expect(tooLong.status).toBe(400);
  });

  it('created posts get a detected language', async () => {
    const cases: [string, string][] = [
      ['Testing the language detection of posts created through the API today', 'en'],
      ['Probando la detección del idioma de las publicaciones creadas hoy', 'es'],
      ['#roost #languages', 'qht'],
    ];
    for (const [text, lang] of cases) {
      const r = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text } });
      expect(r.status).toBe(201);
      expect((await s.get(`/2/tweets/${r.body.data.id}`, { query: { 'tweet.fields': 'lang' } })).body.data.lang).toBe(lang);
    }
  });
});
