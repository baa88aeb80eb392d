/**
 * `GET /2/activity/stream` (FACTS §12.3, framing §6): a held connection carrying the app's X Activity
 * subscriptions' events in the envelope webhook delivery posts — only subscribed users and event types, private
 * events only while the user's consent stands, protected posts only with it — with X's stream framing
 * (keep-alives, operational disconnect), two connections per app and spec-valid lines.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import type { UserRow } from '../../src/data/rows.js';
import { createPost } from '../../src/domain/posting.js';
import { like } from '../../src/domain/engagement.js';
import { hashSecret } from '../../src/auth/tokens.js';
import { streamOperations } from '../../src/api/stream/stream-endpoints.js';
import { StreamClient } from './stream-client.js';
import { madeUpUser } from './webhook-world.js';
import { ACTIVITY_STREAM as PATH, activityApp, validLines as valid } from './activity-helpers.js';

const LIMITS = { '*': { app: 100000, user: 100000, app24h: 1000000, user24h: 1000000 } };
const T = Date.UTC(2026, 7, 1);
const user = (n: number, username: string, over: Partial<UserRow> = {}): UserRow => madeUpUser(T, 904, n, username, over);
const alice = user(1, 'alice_as');
const bob = user(2, 'bob_as');
const carol = user(3, 'carol_as');
const hush = user(4, 'hush_as', { protected: true });

let s: TestServer;
const tokens = new Map<string, string>();
const as = (u: UserRow) => tokens.get(u.id)!;
const app = activityApp(() => s);
const { open, subscribe } = app;
const post = async (u: UserRow, text: string) => {
  const r = await s.request('POST', '/2/tweets', { token: as(u), body: { text } });
  expect(r.status).toBe(201);
  return r.body.data.id as string;
};
beforeAll(async () => {
  s = await startTestServer({ limits: LIMITS, config: { streamKeepaliveMs: 50 } });
  await s.handle.ctx.repos.users.insertMany([alice, bob, carol, hush]);
  // alice, bob and carol authorized the app; hush did not.
  for (const u of [alice, bob, carol]) tokens.set(u.id, await s.userTokenFor(u.id));
});
afterEach(async () => {
  // The last test shuts the server down: its streams are closed already.
  if (s) await app.closeAll();
});
afterAll(async () => {
  await s?.close();
});

describe('GET /2/activity/stream', () => {
  it('carries events of subscribed users and types, in the webhook envelope; nothing else', async () => {
    const postSub = await subscribe({ event_type: 'post.create', filter: { user_id: alice.id }, tag: 'alice posts' });
    await subscribe({ event_type: 'follow.follow', filter: { user_id: alice.id, direction: 'inbound' } });
    const c = await open();
    const unsubscribedUser = await post(carol, 'carol is not followed here');
    await s.request('POST', `/2/users/${alice.id}/following`, { token: as(alice), body: { target_user_id: carol.id } }); // outbound: not asked for
    await s.request('POST', `/2/users/${bob.id}/following`, { token: as(bob), body: { target_user_id: alice.id } });
    const mine = await post(alice, 'alice on the activity stream');
    const msgs = valid(await c.messageCount(2));
    expect(msgs).toHaveLength(2);
    expect(msgs[0].data).toEqual({
      event_uuid: expect.stringMatching(/^\d+$/),
      filter: { user_id: alice.id, direction: 'inbound' },
      event_type: 'follow.follow',
      payload: { source: expect.objectContaining({ id: bob.id }), target: expect.objectContaining({ id: alice.id }) },
    });
    expect(msgs[1].data).toMatchObject({
      event_uuid: expect.stringMatching(/^\d+$/),
      filter: { user_id: alice.id },
      event_type: 'post.create',
      tag: 'alice posts',
      payload: { id: mine, text: 'alice on the activity stream', author_id: alice.id },
      includes: { users: [expect.objectContaining({ id: alice.id, username: 'alice_as' })] },
    });
    expect(msgs[0].data.event_uuid).not.toBe(msgs[1].data.event_uuid);
    expect(JSON.stringify(msgs)).not.toContain(unsubscribedUser);
    // One JSON object per \r\n-terminated line; keep-alives are bare \r\n.
    await c.until(() => c.frames.filter((f) => f === '').length >= 2, 'keep-alives');
    expect(c.frames.every((f) => f === '' || JSON.parse(f).data)).toBe(true);

    // Deleting the subscription stops its events.
    expect((await s.request('DELETE', `/2/activity/subscriptions/${postSub}`)).status).toBe(200);
    await post(alice, 'no longer streamed');
    await s.request('POST', `/2/users/${carol.id}/following`, { token: as(carol), body: { target_user_id: alice.id } });
    const after = valid(await c.messageCount(3));
    expect(after).toHaveLength(3);
    expect(after[2].data).toMatchObject({ event_type: 'follow.follow', payload: { source: { id: carol.id } } });
  });

  it('private events only while the user consents; protected posts only with consent', async () => {
    await subscribe({ event_type: 'like.create', filter: { user_id: bob.id } });
    await subscribe({ event_type: 'post.create', filter: { user_id: hush.id } });
    await subscribe({ event_type: 'post.create', filter: { user_id: carol.id } });
    const c = await open();
    const first = await post(carol, 'bob will like this');
    await like(s.handle.ctx, bob.id, first);
    const msgs = valid(await c.messageCount(2));
    expect(msgs[1].data).toMatchObject({ event_type: 'like.create', filter: { user_id: bob.id }, payload: { liked_tweet_id: first, tweet_author_id: carol.id } });

    // hush never authorized the app: its protected post is not streamed. bob withdraws consent: his likes stop.
    await s.handle.ctx.repos.oauth2.deleteUserToken(hashSecret(as(bob)), s.handle.boot.appId);
    await createPost(s.handle.ctx, hush.id, { text: 'protected thoughts' });
    const second = await post(carol, 'bob likes this one privately');
    await like(s.handle.ctx, bob.id, second);
    const marker = await post(carol, 'marker');
    await c.until(() => c.messages.some((m) => m.data?.payload?.id === marker), 'marker');
    const all = valid(c.messages);
    expect(all.map((m) => m.data.payload.id ?? m.data.payload.liked_tweet_id)).toEqual([first, expect.any(String), second, marker]);
    expect(all.filter((m) => m.data.event_type === 'like.create')).toHaveLength(1);
  });

  it('replays the last minutes with backfill_minutes', async () => {
    const c = await open({ backfill_minutes: 5 });
    // bob followed alice in the first test (before this connection): the subscription still stands.
    await c.until(() => c.messages.some((m) => m.data?.event_type === 'follow.follow' && m.data.payload.source.id === bob.id), 'backfilled follow');
    valid(c.messages);
  });

  it('two connections per app, a third is refused with TooManyConnections; 450 connects per 15 minutes', async () => {
    const a = await open();
    await open();
    expect(a.res.headers['x-rate-limit-limit']).toBe('100000'); // this server's override of every limit
    expect(streamOperations.find((o) => o.operationId === 'activityStream')!.rateLimit).toEqual({ app: 450 });
    const third = app.track(await StreamClient.open(s, PATH));
    expect(third.status).toBe(429);
    expect(await third.body()).toMatchObject({ title: 'ConnectionException', connection_issue: 'TooManyConnections' });
    // Other streams have slots of their own.
    const sample = app.track(await StreamClient.open(s, '/2/tweets/sample/stream'));
    expect(sample.status).toBe(200);
  });

  it('ends with the operational-disconnect line when the server shuts down', async () => {
    const c = await open();
    await s.close();
    await c.until(() => c.ended || c.closed, 'end');
    expect(c.messages.at(-1)).toEqual({ errors: [expect.objectContaining({ title: 'operational-disconnect', disconnect_type: 'UpstreamOperationalDisconnect' })] });
    s = undefined as unknown as TestServer;
  });
});
