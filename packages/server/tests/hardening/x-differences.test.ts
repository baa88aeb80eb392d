/**
 * Issue 15, finding 7: three differences from X.
 * - An expansion returns the field it hangs on (`expansions=author_id` alone gives `data.author_id`).
 * - The 30-minute edit window is anchored on the original post: every version's `editable_until` is the original's.
 * - `connection_status` carries every value of FACTS §8.2, `blocking` and `muting` and follow requests included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { id, one } from '../http/find.js';

const XDEV = '2244994945';
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ limits: { '*': { app: 100_000, user: 100_000 } } });
});
afterAll(async () => {
  await s?.close();
});

const visible = `join users a on a.id = p.author_id where p.deleted = 0 and p.reposted_post_id is null and a.protected = 0 and a.suspended = 0`;

describe('expansions bring their fields', () => {
  it('returns each expansion\'s source field without the field being asked', async () => {
    const cases: [string, string, (d: any) => unknown][] = [
      ['author_id', `select p.id from posts p ${visible} limit 1`, (d) => d.author_id],
      ['referenced_tweets.id', `select p.id from posts p ${visible} and p.quoted_post_id is not null limit 1`, (d) => d.referenced_tweets],
      ['referenced_tweets.id.author_id', `select p.id from posts p ${visible} and p.quoted_post_id is not null limit 1`, (d) => d.referenced_tweets && d.author_id],
      ['in_reply_to_user_id', `select p.id from posts p ${visible} and p.in_reply_to_user_id is not null limit 1`, (d) => d.in_reply_to_user_id],
      ['attachments.media_keys', `select p.id from posts p ${visible} and p.media_keys is not null limit 1`, (d) => d.attachments?.media_keys],
      ['attachments.poll_ids', `select p.id from posts p ${visible} and p.poll_id is not null limit 1`, (d) => d.attachments?.poll_ids],
      ['geo.place_id', `select p.id from posts p ${visible} and p.place_id is not null limit 1`, (d) => d.geo?.place_id],
      ['entities.mentions.username', `select p.id from posts p ${visible} and p.text like '%@%' and p.entities like '%mentions%' limit 1`, (d) => d.entities?.mentions],
    ];
    for (const [expansion, query, field] of cases) {
      const postId = id((await one(s, query)).id);
      const r = await s.get(`/2/tweets/${postId}`, { query: { expansions: expansion } });
      expect(r.status, expansion).toBe(200);
      expect(field(r.body.data), `${expansion}: ${JSON.stringify(r.body.data)}`).toBeTruthy();
      // Without the expansion, the default fields only.
      const plain = await s.get(`/2/tweets/${postId}`);
      expect(Object.keys(plain.body.data).sort()).toEqual(['edit_history_tweet_ids', 'id', 'text']);
    }
    // Both name generations: `referenced_posts` asked, `referenced_posts` answered.
    const quote = id((await one(s, `select p.id from posts p ${visible} and p.quoted_post_id is not null limit 1`)).id);
    const modern = await s.get(`/2/tweets/${quote}`, { query: { expansions: 'referenced_posts' } });
    expect(modern.body.data.referenced_posts).toBeTruthy();
    // Users: pinned_tweet_id.
    const u = await s.get(`/2/users/${XDEV}`, { query: { expansions: 'pinned_tweet_id' } });
    expect(u.body.data.pinned_tweet_id).toBeTruthy();
  });
});

describe('the edit window', () => {
  it('runs from the original for every version', async () => {
    const created = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'an edited post, first version' } });
    expect(created.status).toBe(201);
    const original = created.body.data.id;
    const fields = { 'tweet.fields': 'edit_controls,created_at' };
    const until = (await s.get(`/2/tweets/${original}`, { query: fields })).body.data.edit_controls.editable_until;
    expect(until).toBe(new Date(s.clock.now() + 30 * 60_000).toISOString());

    s.clock.advance(20 * 60_000);
    const v2 = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'an edited post, second version', edit_options: { previous_post_id: original } } });
    expect(v2.status).toBe(201);
    const second = await s.get(`/2/tweets/${v2.body.data.id}`, { query: fields });
    expect(second.body.data.edit_controls.editable_until).toBe(until);

    // Past the original's window, no further edit, however recent the last version.
    s.clock.advance(11 * 60_000);
    const v3 = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'an edited post, third version', edit_options: { previous_post_id: v2.body.data.id } } });
    expect(v3.status).toBe(403);
  });
});

describe('connection_status', () => {
  it('says blocking, muting and follow requests as well as follows', async () => {
    const pick = async (extra: string) => id((await one(s, `select u.id from users u where u.id <> ${XDEV} and u.suspended = 0 ${extra} and not exists (select 1 from follows f where (f.follower_id = ${XDEV} and f.followee_id = u.id) or (f.followee_id = ${XDEV} and f.follower_id = u.id)) order by u.id limit 1`)).id);
    const blocked = await pick('and u.protected = 0');
    const muted = await pick(`and u.protected = 0 and u.id <> ${blocked}`);
    const prot = await pick('and u.protected = 1');
    expect((await s.request('POST', `/2/users/${XDEV}/blocking`, { token: s.userToken, body: { target_user_id: blocked } })).status).toBe(200);
    expect((await s.request('POST', `/2/users/${XDEV}/muting`, { token: s.userToken, body: { target_user_id: muted } })).status).toBe(200);
    const follow = await s.request('POST', `/2/users/${XDEV}/following`, { token: s.userToken, body: { target_user_id: prot } });
    expect(follow.body.data).toEqual({ following: false, pending_follow: true });

    const r = await s.get('/2/users', { token: s.userToken, query: { ids: [blocked, muted, prot].join(','), 'user.fields': 'connection_status' } });
    const status = new Map<string, string[]>(r.body.data.map((u: any) => [u.id, u.connection_status]));
    expect(status.get(blocked)).toContain('blocking');
    expect(status.get(muted)).toContain('muting');
    expect(status.get(prot)).toContain('follow_request_sent');
    // The other side sees the request as received.
    const theirs = await s.userTokenFor(prot);
    const back = await s.get(`/2/users/${XDEV}`, { token: theirs, query: { 'user.fields': 'connection_status' } });
    expect(back.body.data.connection_status).toContain('follow_request_received');
  });
});
