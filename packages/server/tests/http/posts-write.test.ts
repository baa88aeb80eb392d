import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import type { DomainEvent } from '../../src/events/bus.js';
import type { PostRow } from '../../src/data/rows.js';
import { id, one } from './find.js';

const XDEV = '2244994945';
const PROBLEM_400 = 'https://api.twitter.com/2/problems/invalid-request';
const REPLY_NOT_ALLOWED =
  'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.';

let s: TestServer;
let events: DomainEvent[] = [];
/** Public users with no quote relation to @XDevelopers either way (so the summoned-reply rule is clean). */
let alice: { id: string; username: string; token: string };
let carol: { id: string; username: string; token: string };
let seq = 0;
/** Texts must differ per post (duplicate-content rule). */
const uniq = (t = 'hello roost') => `${t} #${++seq}`;

const create = (body: unknown, token: string = s.userToken) => s.request('POST', '/2/tweets', { token, body });
const del = (postId: string, token: string = s.userToken) => s.request('DELETE', `/2/tweets/${postId}`, { token });
const lookup = (postId: string, fields = 'author_id,conversation_id,in_reply_to_user_id,referenced_tweets,entities,created_at,public_metrics,edit_controls,reply_settings,attachments,geo') =>
  s.get(`/2/tweets/${postId}`, { token: s.userToken, query: { 'tweet.fields': fields } });
const userRow = async (userId: string) => (await s.handle.ctx.repos.users.byIds([userId])).get(userId)!;
const postRow = async (postId: string) => (await s.handle.ctx.repos.posts.byIds([postId])).get(postId)!;

beforeAll(async () => {
  s = await startTestServer();
  s.handle.ctx.bus.subscribe((e) => events.push(e));
  const clean = `u.protected = 0 and u.suspended = 0 and u.id <> ${XDEV}
    and not exists (select 1 from posts p join posts q on q.id = p.quoted_post_id where (p.author_id = ${XDEV} and q.author_id = u.id) or (p.author_id = u.id and q.author_id = ${XDEV}))`;
  const a = await one(s, `select u.id, u.username from users u where ${clean} and u.verified = 0 order by u.id limit 1`);
  const c = await one(s, `select u.id, u.username from users u where ${clean} and u.id <> ${a.id} order by u.id desc limit 1`);
  alice = { id: id(a.id), username: a.username, token: await s.userTokenFor(id(a.id)) };
  carol = { id: id(c.id), username: c.username, token: await s.userTokenFor(id(c.id)) };
});
afterAll(async () => {
  await s?.close();
});

describe('POST /2/tweets: create and read back', () => {
  it('201 with id, text, edit_history_tweet_ids; visible in lookup and the author timeline; counters and events', async () => {
    const before = await userRow(XDEV);
    events = [];
    const r = await create({ text: uniq('first write') });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body.data).sort()).toEqual(['edit_history_tweet_ids', 'id', 'text']);
    const pid = r.body.data.id;
    expect(r.body.data.edit_history_tweet_ids).toEqual([pid]);

    const got = await lookup(pid);
    expect(got.status).toBe(200);
    expect(got.body.data).toMatchObject({ id: pid, author_id: XDEV, conversation_id: pid, created_at: new Date(s.clock.now()).toISOString() });
    expect(got.body.data.edit_controls).toMatchObject({ is_edit_eligible: true, edits_remaining: 5 });

    const tl = await s.get(`/2/users/${XDEV}/tweets`, { token: s.userToken });
    expect(tl.body.data.map((t: any) => t.id)).toContain(pid);

    const after = await userRow(XDEV);
    expect(after.tweetCount).toBe(before.tweetCount + 1);
    expect(after.mostRecentPostId).toBe(pid);
    expect(events).toEqual([{ type: 'post.created', postId: pid, authorId: XDEV, at: s.clock.now() }]);
  });

  it('wraps URLs in t.co links and extracts entities with code-point indices and mention ids', async () => {
    const r = await create({ text: `😀 hi @${alice.username} see example.com/page #roost $ROOST ${++seq}` });
    expect(r.status).toBe(201);
    expect(r.body.data.text).toMatch(/^😀 hi @\S+ see https:\/\/t\.co\/[A-Za-z0-9]{10} #roost \$ROOST \d+$/);
    const e = (await lookup(r.body.data.id)).body.data.entities;
    expect(e.mentions).toEqual([{ start: 5, end: 6 + alice.username.length, username: alice.username, id: alice.id }]);
    const urlStart = 11 + alice.username.length;
    expect(e.urls).toEqual([{ start: urlStart, end: urlStart + 23, url: expect.stringMatching(/^https:\/\/t\.co\//), expanded_url: 'http://example.com/page', display_url: 'example.com/page' }]);
    expect(e.hashtags[0].tag).toBe('roost');
    expect(e.cashtags[0].tag).toBe('ROOST');
    const m = await one(s, `select count(*) as n from mentions where post_id = ${r.body.data.id} and user_id = ${alice.id}`);
    expect(Number(m.n)).toBe(1);
  });

  it('weighted length (non-Premium author): 280 Latin passes, 281 fails; CJK counts 2; a URL counts 23', async () => {
    const base = `${++seq} `;
    expect((await create({ text: base + 'a'.repeat(280 - base.length) }, alice.token)).status).toBe(201);
    const long = await create({ text: base + 'b'.repeat(281 - base.length) }, alice.token);
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: PROBLEM_400 });
    expect(long.body.errors[0].message).toMatch(/^Your Tweet text is too long/);
    expect((await create({ text: '中'.repeat(140) }, alice.token)).status).toBe(201);
    expect((await create({ text: '文'.repeat(141) }, alice.token)).status).toBe(400);
    const url = `https://example.com/${'x'.repeat(200)} `;
    expect((await create({ text: url + 'c'.repeat(280 - 24) }, alice.token)).status).toBe(201);
    expect((await create({ text: url + 'd'.repeat(280 - 23) }, alice.token)).status).toBe(400);
  });

  it('empty text without media, poll, quote or card is a 400', async () => {
    for (const body of [{}, { text: '' }, { text: '   ' }]) {
      const r = await create(body);
      expect(r.status).toBe(400);
      expect(r.body.type).toBe(PROBLEM_400);
    }
  });

  it('body schema: unknown keys, wrong types, bad patterns and missing bodies are 400 invalid-request', async () => {
    const unknown = await create({ text: uniq(), colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].message).toBe('$.colour: is not defined in the schema and the schema does not allow additional properties');
    const wrongType = await create({ text: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors[0].message).toBe('$.text: integer found, string expected');
    const badId = await create({ text: uniq(), reply: { in_reply_to_tweet_id: 'abc' } });
    expect(badId.body.errors[0].message).toBe('$.reply.in_reply_to_tweet_id: does not match the regex pattern ^[0-9]{1,19}$');
    const enumBad = await create({ text: uniq(), reply_settings: 'everyone' });
    expect(enumBad.status).toBe(400);
    const nested = await create({ text: uniq(), edit_options: {} });
    expect(nested.body.errors[0].message).toBe('$.edit_options.previous_post_id: is missing but it is required');
    const notJson = await s.request('POST', '/2/tweets', { token: s.userToken, body: '{"text":', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    const none = await s.request('POST', '/2/tweets', { token: s.userToken });
    expect(none.status).toBe(400);
    expect(none.body.type).toBe(PROBLEM_400);
    const arr = await create([1, 2]);
    expect(arr.status).toBe(400);
  });

  it('duplicate text by the same author is a 403 with X body; another author may say the same', async () => {
    const text = uniq('same words');
    expect((await create({ text })).status).toBe(201);
    const dup = await create({ text });
    expect(dup.status).toBe(403);
    expect(dup.body).toEqual({ detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 });
    expect((await create({ text }, alice.token)).status).toBe(201);
    // Outside the window (24 h) the same text is fine again.
    s.clock.advance(25 * 3600_000);
    expect((await create({ text })).status).toBe(201);
  });

  it('at most one cashtag per post (403)', async () => {
    const r = await create({ text: uniq('$AAPL and $MSFT') });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ title: 'Forbidden', type: 'about:blank', status: 403 });
  });

  it('accepts the remaining body members of the spec', async () => {
    const r = await create({
      text: uniq('flags'),
      for_super_followers_only: false,
      nullcast: false,
      made_with_ai: true,
      paid_partnership: false,
      share_with_followers: true,
      direct_message_deep_link: 'https://twitter.com/messages/compose?recipient_id=2244994945',
      reply_settings: 'following',
    });
    expect(r.status).toBe(201);
    expect((await lookup(r.body.data.id)).body.data.reply_settings).toBe('following');
    const card = await create({ card_uri: 'card://1234567890' });
    expect(card.status).toBe(201);
  });
});

describe('replies', () => {
  it('reply to own post: conversation_id of the root, in_reply_to_user_id, referenced_tweets, reply_count', async () => {
    const root = (await create({ text: uniq('thread root') })).body.data.id;
    const r1 = await create({ text: uniq('first reply'), reply: { in_reply_to_tweet_id: root } });
    expect(r1.status).toBe(201);
    const r2 = await create({ text: uniq('second reply'), reply: { in_reply_to_tweet_id: r1.body.data.id, exclude_reply_user_ids: [] } });
    const got = (await lookup(r2.body.data.id)).body.data;
    expect(got).toMatchObject({ conversation_id: root, in_reply_to_user_id: XDEV, referenced_tweets: [{ type: 'replied_to', id: r1.body.data.id }] });
    expect((await postRow(root)).replyCount).toBe(1);
    expect((await postRow(r1.body.data.id)).replyCount).toBe(1);
  });

  it('summoned-reply rule: an unmentioned user gets 403 with X detail; a mentioned one may reply', async () => {
    const root = (await create({ text: uniq(`hey @${alice.username}`) })).body.data.id;
    const no = await create({ text: uniq('uninvited'), reply: { in_reply_to_tweet_id: root } }, carol.token);
    expect(no.status).toBe(403);
    expect(no.body).toEqual({ detail: REPLY_NOT_ALLOWED, type: 'about:blank', title: 'Forbidden', status: 403 });
    const yes = await create({ text: uniq('invited'), reply: { in_reply_to_tweet_id: root } }, alice.token);
    expect(yes.status).toBe(201);
    // The root's author may always answer in their own conversation.
    expect((await create({ text: uniq('author answers'), reply: { in_reply_to_tweet_id: yes.body.data.id } })).status).toBe(201);
  });

  it('summoned by quote: a user whose post the author quoted may reply', async () => {
    const carolPost = (await create({ text: uniq('carol says') }, carol.token)).body.data.id;
    const q = await create({ text: uniq('quoting carol'), quote_tweet_id: carolPost });
    expect(q.status).toBe(201);
    const reply = await create({ text: uniq('thanks for the quote'), reply: { in_reply_to_tweet_id: q.body.data.id } }, carol.token);
    expect(reply.status).toBe(201);
  });

  it('reply_settings mentionedUsers: only mentioned users may reply', async () => {
    const root = (await create({ text: uniq(`only @${alice.username}`), reply_settings: 'mentionedUsers' })).body.data.id;
    expect((await lookup(root)).body.data.reply_settings).toBe('mentionedUsers');
    const no = await create({ text: uniq('may I?'), reply: { in_reply_to_tweet_id: root } }, carol.token);
    expect(no.status).toBe(403);
    expect(no.body.detail).toBe(REPLY_NOT_ALLOWED);
    expect((await create({ text: uniq('I may'), reply: { in_reply_to_tweet_id: root } }, alice.token)).status).toBe(201);
  });

  it('reply to a missing or deleted post is a 403', async () => {
    const missing = await create({ text: uniq(), reply: { in_reply_to_tweet_id: '20' } });
    expect(missing.status).toBe(403);
    expect(missing.body.detail).toBe('You attempted to reply to a Tweet that is deleted or not visible to you.');
    const gone = (await create({ text: uniq('soon gone') })).body.data.id;
    await del(gone);
    expect((await create({ text: uniq(), reply: { in_reply_to_tweet_id: gone } })).status).toBe(403);
  });
});

describe('quotes, polls, media, geo', () => {
  it('quote: referenced_tweets quoted and quote_count; missing quote 400; quote is exclusive with poll/media/card', async () => {
    const target = (await create({ text: uniq('quote me') }, alice.token)).body.data.id;
    const q = await create({ text: uniq('a quote'), quote_tweet_id: target });
    expect(q.status).toBe(201);
    expect((await lookup(q.body.data.id)).body.data.referenced_tweets).toEqual([{ type: 'quoted', id: target }]);
    expect((await postRow(target)).quoteCount).toBe(1);
    // A quote needs no text.
    expect((await create({ quote_tweet_id: target })).status).toBe(201);
    const missing = await create({ text: uniq(), quote_tweet_id: '20' });
    expect(missing.status).toBe(400);
    expect(missing.body.type).toBe(PROBLEM_400);
    for (const extra of [{ poll: { options: ['a', 'b'], duration_minutes: 60 } }, { card_uri: 'card://1' }, { media: { media_ids: ['1'] } }]) {
      expect((await create({ text: uniq(), quote_tweet_id: target, ...extra })).status).toBe(400);
    }
  });

  it('poll: stored and expandable; options 2–4 of 1–25 chars; duration 5–10080; not with media', async () => {
    const r = await create({ text: uniq('vote'), poll: { options: ['yes', 'no'], duration_minutes: 60 } });
    expect(r.status).toBe(201);
    const got = await s.get(`/2/tweets/${r.body.data.id}`, { token: s.userToken, query: { expansions: 'attachments.poll_ids', 'poll.fields': 'duration_minutes,options,end_datetime' } });
    expect(got.body.includes.polls[0]).toMatchObject({ duration_minutes: 60, options: [{ position: 1, label: 'yes', votes: 0 }, { position: 2, label: 'no', votes: 0 }] });
    expect(got.body.includes.polls[0].end_datetime).toBe(new Date(s.clock.now() + 3600_000).toISOString());
    const bad = [
      { options: ['only'], duration_minutes: 60 },
      { options: ['a', 'b', 'c', 'd', 'e'], duration_minutes: 60 },
      { options: ['a', 'x'.repeat(26)], duration_minutes: 60 },
      { options: ['a', ''], duration_minutes: 60 },
      { options: ['a', 'b'], duration_minutes: 4 },
      { options: ['a', 'b'], duration_minutes: 10081 },
      { options: ['a', 'b'] },
      { options: ['same', 'same'], duration_minutes: 60 },
    ];
    for (const poll of bad) expect((await create({ text: uniq(), poll })).status).toBe(400);
    const withMedia = await create({ text: uniq(), poll: { options: ['a', 'b'], duration_minutes: 60 }, media: { media_ids: ['1'] } });
    expect(withMedia.status).toBe(400);
  });

  it('media: own media only; up to 4 photos or one video/GIF; tagged users must exist', async () => {
    const at = s.clock.now();
    const mk = (n: number, ownerId: string, type: 'photo' | 'video' | 'animated_gif') => ({
      mediaKey: `${type === 'photo' ? 3 : type === 'video' ? 7 : 16}_${1900000000000000000n + BigInt(n)}`,
      id: String(1900000000000000000n + BigInt(n)),
      ownerId,
      type,
      url: type === 'photo' ? `https://pbs.twimg.com/media/m${n}.jpg` : null,
      previewImageUrl: null,
      width: 100,
      height: 100,
      durationMs: type === 'photo' ? null : 1000,
      altText: null,
      variants: null,
      viewCount: 0,
      createdAt: at,
    });
    const rows = [mk(1, XDEV, 'photo'), mk(2, XDEV, 'photo'), mk(3, XDEV, 'video'), mk(4, XDEV, 'video'), mk(5, alice.id, 'photo'), mk(6, XDEV, 'photo'), mk(7, XDEV, 'photo'), mk(8, XDEV, 'photo')];
    await s.handle.ctx.repos.attachments.insertMedia(rows);
    const ids = rows.map((m) => m.id);
    const two = await create({ text: uniq('pics'), media: { media_ids: [ids[0], ids[1]], tagged_user_ids: [alice.id] } });
    expect(two.status).toBe(201);
    expect((await lookup(two.body.data.id)).body.data.attachments.media_keys).toEqual([rows[0].mediaKey, rows[1].mediaKey]);
    expect((await create({ media: { media_ids: [ids[2]] } })).status).toBe(201);
    const expectInvalid = async (body: unknown) => {
      const r = await create(body);
      expect(r.status).toBe(400);
      expect(r.body.type).toBe(PROBLEM_400);
      return r;
    };
    expect((await expectInvalid({ text: uniq(), media: { media_ids: [ids[4]] } })).body.errors[0].message).toBe('Your media IDs are invalid.');
    await expectInvalid({ text: uniq(), media: { media_ids: ['1899999999999999999'] } });
    await expectInvalid({ text: uniq(), media: { media_ids: [ids[2], ids[3]] } });
    await expectInvalid({ text: uniq(), media: { media_ids: [ids[0], ids[2]] } });
    await expectInvalid({ text: uniq(), media: { media_ids: [ids[0], ids[1], ids[5], ids[6], ids[7]] } });
    await expectInvalid({ text: uniq(), media: { media_ids: [ids[0]], tagged_user_ids: ['20'] } });
    await expectInvalid({ text: uniq(), media: { media_ids: [] } });
  });

  it('geo.place_id must exist and is returned in geo', async () => {
    const place = await one(s, 'select id from places limit 1');
    const r = await create({ text: uniq('here'), geo: { place_id: place.id } });
    expect(r.status).toBe(201);
    expect((await lookup(r.body.data.id)).body.data.geo).toEqual({ place_id: place.id });
    expect((await create({ text: uniq(), geo: { place_id: 'nowhere' } })).status).toBe(400);
  });
});

describe('edits', () => {
  it('a new version with a new id; both ids answer with the full history; edits_remaining counts down; event', async () => {
    const v1 = (await create({ text: uniq('tpyo') })).body.data.id;
    s.clock.advance(5 * 60_000);
    events = [];
    const r = await create({ text: uniq('typo fixed'), edit_options: { previous_post_id: v1 } });
    expect(r.status).toBe(201);
    const v2 = r.body.data.id;
    expect(v2).not.toBe(v1);
    expect(r.body.data.edit_history_tweet_ids).toEqual([v1, v2]);
    for (const v of [v1, v2]) {
      const got = await lookup(v);
      expect(got.body.data.edit_history_tweet_ids).toEqual([v1, v2]);
      expect(got.body.data.edit_controls.edits_remaining).toBe(4);
    }
    expect(events).toEqual([{ type: 'post.edited', postId: v2, previousId: v1, authorId: XDEV, at: s.clock.now() }]);
    // Only the latest version can be edited.
    const stale = await create({ text: uniq('from the old one'), edit_options: { previous_post_id: v1 } });
    expect(stale.status).toBe(403);
    // An edit does not count as a new post.
    expect((await userRow(XDEV)).mostRecentPostId).toBe(v2);
  });

  it('at most 5 edits', async () => {
    let cur = (await create({ text: uniq('v0') })).body.data.id;
    for (let i = 1; i <= 5; i++) {
      const r = await create({ text: uniq(`v${i}`), edit_options: { previous_post_id: cur } });
      expect(r.status).toBe(201);
      cur = r.body.data.id;
    }
    expect((await lookup(cur)).body.data.edit_controls.edits_remaining).toBe(0);
    const sixth = await create({ text: uniq('v6'), edit_options: { previous_post_id: cur } });
    expect(sixth.status).toBe(403);
    expect(sixth.body).toMatchObject({ title: 'Forbidden', type: 'about:blank', status: 403 });
  });

  it('window of 30 minutes from the first version, by the injectable clock', async () => {
    const v1 = (await create({ text: uniq('window') })).body.data.id;
    s.clock.advance(29 * 60_000);
    const ok = await create({ text: uniq('window ok'), edit_options: { previous_post_id: v1 } });
    expect(ok.status).toBe(201);
    s.clock.advance(2 * 60_000);
    const late = await create({ text: uniq('too late'), edit_options: { previous_post_id: ok.body.data.id } });
    expect(late.status).toBe(403);
    expect(late.body.detail).toBe('The edit window for this Tweet has passed.');
  });

  it('not eligible: others’ posts, polls, replies to others; reply/poll/quote cannot change; missing target is 400', async () => {
    const alices = (await create({ text: uniq('alice post') }, alice.token)).body.data.id;
    expect((await create({ text: uniq(), edit_options: { previous_post_id: alices } })).status).toBe(403);
    const poll = (await create({ text: uniq('poll'), poll: { options: ['a', 'b'], duration_minutes: 5 } })).body.data.id;
    expect((await create({ text: uniq(), edit_options: { previous_post_id: poll } })).status).toBe(403);
    const root = (await create({ text: uniq(`cc @${alice.username}`) })).body.data.id;
    const aliceReply = (await create({ text: uniq('reply of alice'), reply: { in_reply_to_tweet_id: root } }, alice.token)).body.data.id;
    expect((await create({ text: uniq(), edit_options: { previous_post_id: aliceReply } }, alice.token)).status).toBe(403);
    const mine = (await create({ text: uniq('mine') })).body.data.id;
    expect((await create({ text: uniq(), edit_options: { previous_post_id: mine }, poll: { options: ['a', 'b'], duration_minutes: 5 } })).status).toBe(400);
    expect((await create({ text: uniq(), edit_options: { previous_post_id: '20' } })).status).toBe(400);
  });
});

describe('DELETE /2/tweets/:id', () => {
  it('author only; gone from lookup and author timeline; counters restored; deleting again answers deleted:false', async () => {
    const before = await userRow(XDEV);
    const pid = (await create({ text: uniq('delete me') })).body.data.id;
    expect((await del(pid, alice.token)).status).toBe(403);
    events = [];
    const r = await del(pid);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { deleted: true } });
    expect(events).toEqual([{ type: 'post.deleted', postId: pid, authorId: XDEV, at: s.clock.now() }]);
    const got = await s.get(`/2/tweets/${pid}`, { token: s.userToken });
    expect(got.body.data).toBeUndefined();
    expect(got.body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_id: pid });
    const tl = await s.get(`/2/users/${XDEV}/tweets`, { token: s.userToken });
    expect((tl.body.data ?? []).map((t: any) => t.id)).not.toContain(pid);
    const after = await userRow(XDEV);
    expect(after.tweetCount).toBe(before.tweetCount);
    expect(after.mostRecentPostId).not.toBe(pid);
    expect((await del(pid)).body).toEqual({ data: { deleted: false } });
    expect((await del('20')).body).toEqual({ data: { deleted: false } });
  });

  it('deleting any version deletes the chain', async () => {
    const v1 = (await create({ text: uniq('chain v1') })).body.data.id;
    const v2 = (await create({ text: uniq('chain v2'), edit_options: { previous_post_id: v1 } })).body.data.id;
    expect((await del(v1)).body.data.deleted).toBe(true);
    expect((await postRow(v2)).deleted).toBe(true);
    expect((await s.get(`/2/tweets/${v2}`, { token: s.userToken })).body.data).toBeUndefined();
  });

  it('reposts vanish with their reposters’ counts; replies keep in_reply_to; parent and quoted counters go down', async () => {
    const parent = (await create({ text: uniq('parent') }, alice.token)).body.data.id;
    const quoted = (await create({ text: uniq('quoted') }, alice.token)).body.data.id;
    const root = (await create({ text: uniq(`cc @${alice.username}`) })).body.data.id;
    // A reply of XDev's own thread that also quotes: counters on two posts.
    const mid = (await create({ text: uniq('mid'), reply: { in_reply_to_tweet_id: root }, quote_tweet_id: quoted })).body.data.id;
    const child = (await create({ text: uniq('child'), reply: { in_reply_to_tweet_id: mid } }, alice.token)).body.data.id;
    expect((await postRow(root)).replyCount).toBe(1);
    expect((await postRow(quoted)).quoteCount).toBe(1);
    // A repost of `mid` by carol, written the way reposts are stored (a posts row pointing at the original).
    const repostId = s.handle.ctx.ids.next();
    const base = await postRow(mid);
    const repost: PostRow = { ...base, id: repostId, authorId: carol.id, conversationId: repostId, editRootId: repostId, inReplyToPostId: null, inReplyToUserId: null, quotedPostId: null, repostedPostId: mid, replyCount: 0, quoteCount: 0, entities: null };
    await s.handle.ctx.repos.posts.insertOne(repost);
    await s.handle.ctx.repos.users.adjustCounters(carol.id, { tweet_count: 1 });
    await s.handle.ctx.repos.users.setMostRecentPost(carol.id, repostId);
    const carolBefore = await userRow(carol.id);

    expect((await del(mid)).body.data.deleted).toBe(true);
    expect((await postRow(repostId)).deleted).toBe(true);
    const carolAfter = await userRow(carol.id);
    expect(carolAfter.tweetCount).toBe(carolBefore.tweetCount - 1);
    expect(carolAfter.mostRecentPostId).not.toBe(repostId);
    expect((await postRow(root)).replyCount).toBe(0);
    expect((await postRow(quoted)).quoteCount).toBe(0);
    const c = await lookup(child);
    expect(c.status).toBe(200);
    expect(c.body.data.in_reply_to_user_id).toBe(XDEV);
    expect((await postRow(child)).inReplyToPostId).toBe(mid);
    expect(parent).toBeTruthy();
  });
});

describe('PUT /2/tweets/:tweet_id/hidden', () => {
  it('the conversation root author hides and unhides a reply; others and non-replies are refused', async () => {
    const root = (await create({ text: uniq(`hide test @${alice.username}`) })).body.data.id;
    const reply = (await create({ text: uniq('a reply to hide'), reply: { in_reply_to_tweet_id: root } }, alice.token)).body.data.id;
    events = [];
    const r = await s.request('PUT', `/2/tweets/${reply}/hidden`, { token: s.userToken, body: { hidden: true } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { hidden: true } });
    expect((await postRow(reply)).hidden).toBe(true);
    expect(events).toEqual([{ type: 'post.hidden', postId: reply, hidden: true, at: s.clock.now() }]);
    const un = await s.request('PUT', `/2/tweets/${reply}/hidden`, { token: s.userToken, body: { hidden: false } });
    expect(un.body).toEqual({ data: { hidden: false } });
    expect((await postRow(reply)).hidden).toBe(false);

    const byOther = await s.request('PUT', `/2/tweets/${reply}/hidden`, { token: carol.token, body: { hidden: true } });
    expect(byOther.status).toBe(403);
    expect(byOther.body).toMatchObject({ title: 'Forbidden', type: 'about:blank', status: 403 });
    expect((await s.request('PUT', `/2/tweets/${root}/hidden`, { token: s.userToken, body: { hidden: true } })).status).toBe(403);
    expect((await s.request('PUT', `/2/tweets/${reply}/hidden`, { token: s.userToken, body: { hidden: 'yes' } })).status).toBe(400);
    expect((await s.request('PUT', `/2/tweets/${reply}/hidden`, { token: s.userToken, body: {} })).status).toBe(400);
    const missing = await s.request('PUT', '/2/tweets/20/hidden', { token: s.userToken, body: { hidden: true } });
    expect(missing.body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_id: '20' });
  });
});

describe('scopes and auth', () => {
  it('a token without tweet.write is refused for create and delete; hide needs tweet.moderate.write', async () => {
    const weak = await s.userTokenFor(XDEV, ['tweet.read', 'users.read']);
    const c = await create({ text: uniq() }, weak);
    expect(c.status).toBe(403);
    expect(c.body.detail).toContain('tweet.write');
    const pid = (await create({ text: uniq('scoped') })).body.data.id;
    expect((await del(pid, weak)).status).toBe(403);
    expect((await s.request('PUT', `/2/tweets/${pid}/hidden`, { token: weak, body: { hidden: true } })).status).toBe(403);
    expect((await postRow(pid)).deleted).toBe(false);
  });

  it('app-only bearer gets 403 Unsupported Authentication', async () => {
    for (const [method, path] of [
      ['POST', '/2/tweets'],
      ['DELETE', '/2/tweets/1460323737035677698'],
      ['PUT', '/2/tweets/1460323737035677698/hidden'],
    ] as const) {
      const r = await s.request(method, path, { token: s.bearer, body: method === 'DELETE' ? undefined : { text: uniq(), hidden: true } });
      expect(r.status).toBe(403);
      expect(r.body.title).toBe('Unsupported Authentication');
      expect(r.body.detail).toMatch(/^Authenticating with OAuth 2\.0 Application-Only is forbidden for this endpoint\.  /);
    }
  });
});
