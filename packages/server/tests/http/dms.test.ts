/**
 * Direct Messages over HTTP: the 11 operations and their errors (2xx bodies checked against the spec by the
 * harness) — sends to a participant, to a conversation and as a new group; event lists and lookups with
 * event_types, dm_event.fields and every expansion; pagination newest first; deleting one's own messages; DM blocks
 * and DM settings; X's limits; private DM media; scopes, OAuth 1.0a permission levels and app-only auth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '@roost/dev-env';
import type { DomainEvent } from '../../src/events/bus.js';
import { pairId } from '../../src/util/conversations.js';
import { XDEVELOPERS_PINNED_POST_ID } from '../../src/seed/anchor.js';
import { dmServer, ME, oauth1Caller, requester } from './dm-helpers.js';
import { id, one } from './find.js';
import { makePng } from './media-fixtures.js';

let s: TestServer;
let fresh: Awaited<ReturnType<typeof dmServer>>['fresh'];
const events: DomainEvent[] = [];
beforeAll(async () => {
  // More sends and reads than X allows a user in 15 minutes (15 each): the test clock does not move.
  ({ s, fresh } = await dmServer(events, { limits: { '*': { user: 10_000, user24h: 100_000, app24h: 100_000 } } }));
});
afterAll(async () => {
  await s?.close();
});

const send = (to: string, body: unknown, token = s.userToken) => s.request('POST', `/2/dm_conversations/with/${to}/messages`, { token, body });
const sendTo = (conversation: string, body: unknown, token = s.userToken) => s.request('POST', `/2/dm_conversations/${conversation}/messages`, { token, body });
const group = (participant_ids: string[], message: unknown, token = s.userToken) =>
  s.request('POST', '/2/dm_conversations', { token, body: { conversation_type: 'Group', participant_ids, message } });
const { get } = requester(() => s);
/** The ids of a list's (or a lookup's) events. */
const ids = (r: { body: any }): string[] => [r.body.data ?? []].flat().map((e: any) => e.id as string);

describe('sending', () => {
  it('a first message makes the one-to-one conversation; both sides read it; dm.message.created is published', async () => {
    const t = await fresh();
    events.length = 0;
    const r = await send(t.id, { text: 'Hello from the tests https://example.com/a' });
    expect(r.status).toBe(201);
    expect(r.body.data.dm_conversation_id).toBe(pairId(ME, t.id));
    const eventId = r.body.data.dm_event_id;
    expect(events).toEqual([expect.objectContaining({ type: 'dm.message.created', eventId, conversationId: pairId(ME, t.id), senderId: ME, recipientIds: [t.id] })]);

    const theirs = await get(`/2/dm_conversations/with/${ME}/dm_events`, { 'dm_event.fields': 'sender_id,dm_conversation_id,created_at,entities' }, t.token);
    expect(theirs.status).toBe(200);
    expect(theirs.body.data).toEqual([
      {
        id: eventId,
        event_type: 'MessageCreate',
        text: expect.stringMatching(/^Hello from the tests https:\/\/t\.co\/\w+$/),
        sender_id: ME,
        dm_conversation_id: pairId(ME, t.id),
        created_at: new Date(s.clock.now()).toISOString(),
        entities: { urls: [expect.objectContaining({ expanded_url: 'https://example.com/a' })] },
      },
    ]);
    expect(theirs.body.meta).toEqual({ result_count: 1 });
    // The same conversation by id, with its ids in either order.
    const [lo, hi] = pairId(ME, t.id).split('-');
    expect(ids(await get(`/2/dm_conversations/${hi}-${lo}/dm_events`))).toEqual([eventId]);
    const again = await sendTo(`${hi}-${lo}`, { text: 'second' });
    expect(again.status).toBe(201);
    expect(again.body.data.dm_conversation_id).toBe(pairId(ME, t.id));
    expect(ids(await get(`/2/dm_events/${again.body.data.dm_event_id}`, {}, t.token))).toEqual([again.body.data.dm_event_id]);
  });

  it('a group: participants and a first message, a ParticipantsJoin event, then messages to it by id', async () => {
    const [a, b] = [await fresh(), await fresh()];
    events.length = 0;
    const r = await group([a.id, b.id], { text: 'Welcome, both' });
    expect(r.status).toBe(201);
    const conv = r.body.data.dm_conversation_id;
    expect(conv).toMatch(/^\d{15,19}$/);
    expect(events.map((e) => e.type)).toEqual(['dm.conversation.created', 'dm.message.created']);
    const reply = await sendTo(conv, { text: 'thanks!' }, a.token);
    expect(reply.status).toBe(201);
    const list = await get(`/2/dm_conversations/${conv}/dm_events`, { 'dm_event.fields': 'sender_id,participant_ids', expansions: 'sender_id,participant_ids' }, b.token);
    expect(list.body.data).toEqual([
      { id: reply.body.data.dm_event_id, event_type: 'MessageCreate', text: 'thanks!', sender_id: a.id },
      { id: r.body.data.dm_event_id, event_type: 'MessageCreate', text: 'Welcome, both', sender_id: ME },
      { id: expect.any(String), event_type: 'ParticipantsJoin', sender_id: ME, participant_ids: [a.id, b.id] },
    ]);
    expect(list.body.includes.users.map((u: any) => u.id).sort()).toEqual([ME, a.id, b.id].sort());
  });

  it('an unknown recipient is X’s 200 with errors; a bad conversation id is X’s 400', async () => {
    const r = await send('1999999999999999999', { text: 'anyone there?' });
    expect(r.status).toBe(200);
    expect(r.body.errors[0]).toMatchObject({ parameter: 'participant_id', value: '1999999999999999999', title: 'Not Found Error' });
    const bad = await sendTo('12345', { text: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ parameters: { dm_conversation_id: ['12345'] } });
  });
});

describe('X’s limits', () => {
  it('text up to 10,000 characters; one more is X’s 400; an empty message is refused', async () => {
    const t = await fresh();
    expect((await send(t.id, { text: '😀'.repeat(10_000) })).status).toBe(201);
    const long = await send(t.id, { text: 'a'.repeat(10_001) });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ title: 'Invalid Request', errors: [{ message: '$.text: may only be 10000 characters long' }] });
    expect((await send(t.id, {})).status).toBe(400);
    expect((await send(t.id, { text: '' })).status).toBe(400);
  });

  it('groups take 2 to 49 others (50 people); one other, or only oneself and one, is X’s 400', async () => {
    const [a, b] = [await fresh(), await fresh()];
    const fifty = Array.from({ length: 50 }, (_, i) => String(1000 + i));
    const big = await group(fifty, { text: 'too many' });
    expect(big.status).toBe(400);
    expect(big.body.errors[0].message).toMatch(/participant_ids/);
    expect((await group([a.id], { text: 'too few' })).status).toBe(400);
    const self = await group([ME, a.id], { text: 'me and one' });
    expect(self.status).toBe(400);
    expect(self.body.errors[0]).toMatchObject({ message: 'A group conversation needs at least 2 participants besides you.' });
    expect((await group([a.id, b.id], { text: 'just right' })).status).toBe(201);
  });
});

describe('who may message whom', () => {
  it('DM settings: `following` takes only followed accounts until they answer; `verified` takes verified senders', async () => {
    const closed = await fresh('following');
    const r = await send(closed.id, { text: 'may I?' });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ title: 'Forbidden', detail: 'You cannot send messages to users who are not following you.' });
    // They write first: from then on the sender may answer.
    expect((await send(ME, { text: 'hi XDevelopers' }, closed.token)).status).toBe(201);
    expect((await send(closed.id, { text: 'hello back' })).status).toBe(201);

    const followsMe = await fresh('following');
    await s.request('POST', `/2/users/${followsMe.id}/following`, { token: followsMe.token, body: { target_user_id: ME } });
    expect((await send(followsMe.id, { text: 'thanks for the follow' })).status).toBe(201);

    // @XDevelopers is verified; a verified-only account takes its messages but not an unverified stranger's.
    const verifiedOnly = await fresh('verified');
    expect((await send(verifiedOnly.id, { text: 'verified hello' })).status).toBe(201);
    let stranger = await fresh();
    for (let i = 0; i < 20 && Number((await one(s, `select verified from users where id = ${stranger.id}`)).verified); i++) stranger = await fresh();
    expect(Number((await one(s, `select verified from users where id = ${stranger.id}`)).verified)).toBe(0);
    expect((await send(verifiedOnly.id, { text: 'me too?' }, stranger.token)).status).toBe(403);
  });

  it('DM blocks: the blocked user cannot message; unblocking lets them; both answers and events', async () => {
    const [t, other] = [await fresh(), await fresh()];
    events.length = 0;
    const b = await s.request('POST', `/2/users/${ME}/dm/block`, { token: t.token });
    expect(b.status).toBe(200);
    expect(b.body).toEqual({ data: { blocked: true } });
    const refused = await send(t.id, { text: 'blocked?' });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe('You cannot send messages to this user.');
    // A group including them is refused too.
    expect((await group([t.id, other.id], { text: 'group' })).status).toBe(403);
    const u = await s.request('POST', `/2/users/${ME}/dm/unblock`, { token: t.token });
    expect(u.body).toEqual({ data: { blocked: false } });
    expect((await send(t.id, { text: 'unblocked' })).status).toBe(201);
    expect(events.map((e) => e.type)).toEqual(['dm.block.created', 'dm.block.deleted', 'dm.message.created']);
    // Blocking oneself is X's 400; an unknown user is a 200 with errors.
    expect((await s.request('POST', `/2/users/${ME}/dm/block`, { token: s.userToken })).status).toBe(400);
    const unknown = await s.request('POST', '/2/users/1999999999999999999/dm/block', { token: s.userToken });
    expect(unknown.body.errors[0]).toMatchObject({ parameter: 'id', resource_type: 'user' });
  });

  it('an account block either way stops messages as well', async () => {
    const t = await fresh();
    await s.request('POST', `/2/users/${t.id}/blocking`, { token: t.token, body: { target_user_id: ME } });
    expect((await send(t.id, { text: 'still?' })).status).toBe(403);
    expect((await send(ME, { text: 'and you?' }, t.token)).status).toBe(403);
  });
});

describe('reading events', () => {
  let conv: string;
  let t: { id: string; token: string };
  const sent: string[] = [];
  beforeAll(async () => {
    t = await fresh();
    for (let i = 0; i < 7; i++) {
      const from = i % 2 ? t.token : s.userToken;
      const r = await send(i % 2 ? ME : t.id, { text: i === 3 ? `look https://x.com/XDevelopers/status/${XDEVELOPERS_PINNED_POST_ID}` : `message ${i}` }, from);
      sent.push(r.body.data.dm_event_id);
      s.clock.advance(1000);
    }
    conv = pairId(ME, t.id);
  });

  it('pages newest first with next_token and previous_token; max_results out of range is X’s 400', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let previous: string | undefined;
    for (let i = 0; i < 10; i++) {
      const r = await get(`/2/dm_conversations/${conv}/dm_events`, { max_results: 3, ...(token ? { pagination_token: token } : {}) });
      expect(r.status).toBe(200);
      seen.push(...ids(r));
      if (i === 1) previous = r.body.meta.previous_token;
      token = r.body.meta.next_token;
      if (!token) break;
    }
    expect(seen).toEqual([...sent].reverse());
    const back = await get(`/2/dm_conversations/${conv}/dm_events`, { max_results: 3, pagination_token: previous! });
    expect(ids(back)).toEqual([...sent].reverse().slice(0, 3));
    for (const bad of [0, 101]) expect((await get('/2/dm_events', { max_results: bad })).status).toBe(400);
    expect((await get('/2/dm_events', { pagination_token: 'not-a-token' })).status).toBe(400);
  });

  it('GET /2/dm_events lists every conversation of the caller, newest first', async () => {
    const r = await get('/2/dm_events', { max_results: 100, 'dm_event.fields': 'dm_conversation_id,created_at' });
    const list = r.body.data as any[];
    expect(list.slice(0, 7).map((e) => e.id)).toEqual([...sent].reverse());
    const times = list.map((e) => Date.parse(e.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(list.map((e) => e.dm_conversation_id)).size).toBeGreaterThan(1);
  });

  it('event_types filters; an unknown type is X’s 400', async () => {
    const joins = await get('/2/dm_events', { event_types: 'ParticipantsJoin' });
    expect(joins.body.data.length).toBeGreaterThan(0);
    expect(new Set(joins.body.data.map((e: any) => e.event_type))).toEqual(new Set(['ParticipantsJoin']));
    const mixed = await get('/2/dm_events', { event_types: 'ParticipantsJoin,ParticipantsLeave', max_results: 100 });
    expect(mixed.body.data.every((e: any) => e.event_type !== 'MessageCreate')).toBe(true);
    expect((await get(`/2/dm_conversations/${conv}/dm_events`, { event_types: 'ParticipantsJoin' })).body.data).toBeUndefined();
    expect((await get('/2/dm_events', { event_types: 'MessageDelete' })).status).toBe(400);
  });

  it('dm_event.fields and the four expansions: users, the linked post, and the default fields', async () => {
    const r = await get(`/2/dm_events/${sent[3]}`, {
      'dm_event.fields': 'id,event_type,text,sender_id,dm_conversation_id,created_at,referenced_tweets,attachments,entities',
      expansions: 'sender_id,referenced_tweets.id,participant_ids,attachments.media_keys',
      'user.fields': 'username',
      'tweet.fields': 'author_id',
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ id: sent[3], sender_id: t.id, dm_conversation_id: conv, referenced_tweets: [{ id: XDEVELOPERS_PINNED_POST_ID }] });
    expect(r.body.includes.users).toEqual([expect.objectContaining({ id: t.id, username: expect.any(String) })]);
    expect(r.body.includes.tweets).toEqual([expect.objectContaining({ id: XDEVELOPERS_PINNED_POST_ID, author_id: ME })]);
    // Defaults only: id, event_type, text.
    expect((await get(`/2/dm_events/${sent[0]}`)).body.data).toEqual({ id: sent[0], event_type: 'MessageCreate', text: 'message 0' });
    expect((await get(`/2/dm_events/${sent[0]}`, { 'dm_event.fields': 'bogus' })).status).toBe(400);
  });

  it('the seeded group: a member who joined late sees nothing from before; a member who left sees nothing', async () => {
    const g = await one(s, `select c.id from dm_conversations c where c.kind = 'group' and c.created_by = ${ME} order by c.id limit 1`);
    const conversation = id(g.id);
    const people = await s.handle.ctx.repos.dms.participants([conversation]);
    const list = people.get(conversation)!;
    const late = list.reduce((x, p) => (p.joinedAt > x.joinedAt ? p : x));
    const left = list.find((p) => p.leftAt !== null)!;
    const all = ids(await get(`/2/dm_conversations/${conversation}/dm_events`, { max_results: 100 }));
    const lateView = await get(`/2/dm_conversations/${conversation}/dm_events`, { max_results: 100, 'dm_event.fields': 'created_at' }, await s.userTokenFor(late.userId));
    expect(lateView.body.data.length).toBeGreaterThan(0);
    expect(lateView.body.data.length).toBeLessThan(all.length);
    expect(lateView.body.data.every((e: any) => Date.parse(e.created_at) >= late.joinedAt)).toBe(true);
    const leftToken = await s.userTokenFor(left.userId);
    expect((await get(`/2/dm_conversations/${conversation}/dm_events`, {}, leftToken)).body.data).toBeUndefined();
    expect((await get(`/2/dm_events/${all[0]}`, {}, leftToken)).body.errors[0]).toMatchObject({ title: 'Not Found Error' });
  });
});

describe('deleting', () => {
  it('one’s own message goes for everyone; another’s is X’s 403; an unseen one is deleted:false', async () => {
    const t = await fresh();
    const mine = (await send(t.id, { text: 'to delete' })).body.data.dm_event_id;
    const theirs = (await send(ME, { text: 'keep me' }, t.token)).body.data.dm_event_id;
    events.length = 0;
    const d = await s.request('DELETE', `/2/dm_events/${mine}`, { token: s.userToken });
    expect(d.status).toBe(200);
    expect(d.body).toEqual({ data: { deleted: true } });
    expect(events).toEqual([expect.objectContaining({ type: 'dm.message.deleted', eventId: mine, senderId: ME })]);
    expect(ids(await get(`/2/dm_conversations/with/${ME}/dm_events`, {}, t.token))).toEqual([theirs]);
    expect((await get(`/2/dm_events/${mine}`, {}, t.token)).body.errors[0]).toMatchObject({ resource_id: mine });
    expect((await s.request('DELETE', `/2/dm_events/${mine}`, { token: s.userToken })).body).toEqual({ data: { deleted: false } });
    const other = await s.request('DELETE', `/2/dm_events/${theirs}`, { token: s.userToken });
    expect(other.status).toBe(403);
    expect(other.body.detail).toBe('You can only delete messages you sent.');
    // A stranger cannot tell the event exists.
    const stranger = await fresh();
    expect((await s.request('DELETE', `/2/dm_events/${theirs}`, { token: stranger.token })).body).toEqual({ data: { deleted: false } });
    expect(ids(await get(`/2/dm_conversations/with/${t.id}/dm_events`))).toEqual([theirs]);
  });
});

describe('media', () => {
  const upload = async (category: string, token = s.userToken) => {
    const r = await s.request('POST', '/2/media/upload', { token, body: { media: makePng(12, 8).toString('base64'), media_category: category } });
    expect(r.status).toBe(200);
    return r.body.data.id as string;
  };

  it('a dm_image attachment is served to the participants only, never at the public media paths', async () => {
    const t = await fresh();
    const stranger = await fresh();
    const mediaId = await upload('dm_image');
    const sent = await send(t.id, { text: 'a picture', attachments: [{ media_id: mediaId }] });
    expect(sent.status).toBe(201);
    const eventId = sent.body.data.dm_event_id;
    const r = await get(`/2/dm_events/${eventId}`, { expansions: 'attachments.media_keys', 'media.fields': 'url,width,height,type' }, t.token);
    expect(r.body.data.attachments.media_keys).toHaveLength(1);
    const media = r.body.includes.media[0];
    expect(media).toMatchObject({ type: 'photo', width: 12, height: 8 });
    const url = new URL(media.url);
    expect(url.pathname).toMatch(new RegExp(`^/2/dm_conversations/media/${eventId}/${mediaId}/`));

    const bytes = await fetch(new URL(url.pathname, s.url), { headers: { authorization: `Bearer ${t.token}` } });
    expect(bytes.status).toBe(200);
    expect(Buffer.from(await bytes.arrayBuffer())).toEqual(makePng(12, 8));
    for (const token of [stranger.token, s.bearer]) {
      const denied = await fetch(new URL(url.pathname, s.url), { headers: { authorization: `Bearer ${token}` } });
      expect(denied.status).toBe(token === s.bearer ? 403 : 404);
    }
    // Neither the public media path nor a media lookup shows it.
    expect((await fetch(new URL(`/media/${media.media_key}.png`, s.url))).status).toBe(404);
    const lookup = await get(`/2/media/${media.media_key}`);
    expect(lookup.body.data).toBeUndefined();
    // And a post may not carry it; a tweet_image may not go into a DM.
    const leak = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'leak', media: { media_ids: [mediaId] } } });
    expect(leak.body, JSON.stringify(leak.body)).toMatchObject({ errors: [{ message: 'Your media IDs are invalid.' }] });
    const photo = await upload('tweet_image');
    expect((await send(t.id, { attachments: [{ media_id: photo }] })).status).toBe(400);
  });
});

describe('authentication and permissions', () => {
  const reads = ['/2/dm_events', `/2/dm_conversations/with/${ME}/dm_events`, '/2/dm_events/1'];

  it('app-only auth gets X’s 403 Unsupported Authentication on every DM operation', async () => {
    const calls: [string, string, unknown?][] = [
      ...reads.map((p) => ['GET', p] as [string, string]),
      ['GET', '/2/dm_conversations/1-2/dm_events'],
      ['POST', '/2/dm_conversations/with/12/messages', { text: 'x' }],
      ['POST', '/2/dm_conversations/1-2/messages', { text: 'x' }],
      ['POST', '/2/dm_conversations', { conversation_type: 'Group', participant_ids: ['1', '2'], message: { text: 'x' } }],
      ['DELETE', '/2/dm_events/1'],
      ['POST', '/2/users/12/dm/block'],
      ['POST', '/2/users/12/dm/unblock'],
      ['GET', '/2/dm_conversations/media/1/2/abc.png'],
    ];
    for (const [method, path, body] of calls) {
      const r = await s.request(method, path, { token: s.bearer, body });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body).toMatchObject({ title: 'Unsupported Authentication', type: 'https://api.twitter.com/2/problems/unsupported-authentication', status: 403 });
      expect(r.body.detail).toMatch(/^Authenticating with OAuth 2\.0 Application-Only is forbidden for this endpoint\.\s+Supported authentication types are \[(OAuth 1\.0a User Context, )?OAuth 2\.0 User Context\]\.$/);
    }
  });

  it('OAuth 2.0: reads need dm.read, sends and blocks dm.write', async () => {
    const noDm = await s.userTokenFor(ME, ['tweet.read', 'users.read', 'tweet.write']);
    const readOnly = await s.userTokenFor(ME, ['tweet.read', 'users.read', 'dm.read']);
    const denied = await get('/2/dm_events', {}, noDm);
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toBe('Missing required OAuth 2.0 scopes: [dm.read].');
    expect((await get('/2/dm_events', {}, readOnly)).status).toBe(200);
    const t = await fresh();
    const w = await send(t.id, { text: 'no dm.write' }, readOnly);
    expect(w.status).toBe(403);
    expect(w.body.detail).toMatch(/dm\.write/);
    expect((await s.request('POST', `/2/users/${t.id}/dm/block`, { token: readOnly })).status).toBe(403);
    expect((await s.request('DELETE', '/2/dm_events/1', { token: await s.userTokenFor(ME, ['dm.write']) })).status).toBe(403);
  });

  it('OAuth 1.0a: the read-write-dm level is needed; read-write gets X’s 403', async () => {
    const t = await fresh();
    const rw = await oauth1Caller(s, 'read-write');
    const dm = await oauth1Caller(s, 'read-write-dm');
    const detail = 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.';
    for (const [method, path, body] of [
      ['GET', '/2/dm_events'],
      ['POST', `/2/dm_conversations/with/${t.id}/messages`, { text: 'rw' }],
      ['POST', `/2/users/${t.id}/dm/block`],
    ] as [string, string, unknown?][]) {
      const r = await rw.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body).toEqual({ title: 'Forbidden', type: 'about:blank', status: 403, detail });
    }
    const ok = await dm.request('POST', `/2/dm_conversations/with/${t.id}/messages`, { text: 'signed with OAuth 1.0a' });
    expect(ok.status).toBe(201);
    expect(ids(await dm.request('GET', `/2/dm_events?event_types=MessageCreate&max_results=1`))).toEqual([ok.body.data.dm_event_id]);
  });
});
