/**
 * Account Activity end to end with a real receiver (FACTS §12.3): subscriptions per user and webhook (create,
 * validate, list, count, delete) and deliveries of the subscribed users' events in X's payload shapes — posts,
 * mentions (flagged when the subscriber blocks the author), deletes, likes, follows and unfollows, blocks, mutes —
 * every POST signed with x-twitter-webhooks-signature and verified by the receiver; what the subscriber may not see
 * (a protected account's post) never reaches their webhook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '@roost/dev-env';
import type { UserRow } from '../../src/data/rows.js';
import type { Receiver } from '@roost/dev-env/webhook-receiver';
import { madeUpUser, startWebhookServer, type WebhookServer } from './webhook-world.js';

let s: TestServer;
let rx: Receiver;
let webhookId: string;
const T = Date.UTC(2026, 9, 1);
const user = (n: number, username: string, over: Partial<UserRow> = {}): UserRow =>
  madeUpUser(T, 900, n, username, { name: username.toUpperCase(), description: `I am ${username}`, ...over });
const alice = user(1, 'alice_aaa');
const bob = user(2, 'bob_aaa');
const carol = user(3, 'carol_aaa');
const locked = user(4, 'locked_aaa', { protected: true });
const dave = user(5, 'dave_aaa');
const tokens: Record<string, string> = {};

let world: WebhookServer | undefined;
beforeAll(async () => {
  world = await startWebhookServer([alice, bob, carol, locked, dave], { metering: false });
  ({ s, rx, webhookId } = world);
  for (const u of [alice, bob, carol, locked, dave]) tokens[u.username] = await s.userTokenFor(u.id);
});
afterAll(async () => {
  await world?.close();
});

const as = (u: UserRow) => tokens[u.username]!;
const post = (u: UserRow, text: string) => s.request('POST', '/2/tweets', { token: as(u), body: { text } });
const subsPath = () => `/2/account_activity/webhooks/${webhookId}/subscriptions/all`;

/** The accepted deliveries whose body satisfies `pred`, once there is at least one (or `none` after a quiet wait). */
async function delivered(pred: (b: any) => boolean, opts: { none?: boolean } = {}): Promise<any[]> {
  const deadline = Date.now() + (opts.none ? 600 : 10_000);
  for (;;) {
    const got = rx.accepted().filter(pred);
    if (got.length && !opts.none) return got;
    if (Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('subscriptions', () => {
  it('create (user context), validate, list, count and delete', async () => {
    const c = await s.request('POST', subsPath(), { token: as(alice) });
    expect(c.status).toBe(200);
    expect(c.body).toEqual({ data: { subscribed: true } });
    const again = await s.request('POST', subsPath(), { token: as(alice) });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].message).toMatch(/^DuplicateSubscriptionFailed/);
    expect((await s.get(subsPath(), { token: as(alice) })).body).toEqual({ data: { subscribed: true } });
    expect((await s.get(subsPath(), { token: as(bob) })).body).toEqual({ data: { subscribed: false } });
    const list = await s.get(`${subsPath()}/list`);
    expect(list.body).toEqual({ data: { application_id: s.appId, webhook_id: webhookId, webhook_url: rx.url, subscriptions: [{ user_id: alice.id }] } });
    const count = await s.get('/2/account_activity/subscriptions/count');
    expect(count.body).toEqual({ data: { account_name: 'Roost default app', provisioned_count: '3', subscriptions_count_all: '1', subscriptions_count_direct_messages: '0' } });

    await s.request('POST', subsPath(), { token: as(carol) });
    const d = await s.request('DELETE', `/2/account_activity/webhooks/${webhookId}/subscriptions/${carol.id}/all`);
    expect(d.body).toEqual({ data: { subscribed: false } });
    const missing = await s.request('DELETE', `/2/account_activity/webhooks/${webhookId}/subscriptions/${carol.id}/all`);
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].message).toMatch(/^SubscriptionNotFound/);
  });

  it('subscribing needs user context; a webhook of no app of ours is WebhookIdInvalid', async () => {
    expect((await s.request('POST', subsPath())).status).toBe(403);
    const r = await s.request('POST', '/2/account_activity/webhooks/1234567890123456789/subscriptions/all', { token: as(bob) });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toMatch(/^WebhookIdInvalid/);
  });
});

describe('deliveries (alice is subscribed)', () => {
  it('a post by alice: tweet_create_events with a v1.1 Tweet, signed and verified by the receiver', async () => {
    const p = await post(alice, 'first post from alice #roost');
    const [msg] = await delivered((b) => b.tweet_create_events?.[0]?.id_str === p.body.data.id);
    expect(msg.for_user_id).toBe(alice.id);
    expect(msg.user_has_blocked).toBeUndefined();
    const t = msg.tweet_create_events[0];
    expect(t).toMatchObject({
      id_str: p.body.data.id,
      text: 'first post from alice #roost',
      user: { id_str: alice.id, screen_name: 'alice_aaa', name: 'ALICE_AAA' },
      entities: { hashtags: [{ text: 'roost', indices: [22, 28] }], user_mentions: [], urls: [], symbols: [] },
      truncated: false,
      in_reply_to_status_id: null,
    });
    expect(t.created_at).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \+0000 \d{4}$/);
    const d = rx.deliveries.find((x) => x.body === msg)!;
    expect(d.signatureValid).toBe(true);
    expect(d.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(d.headers['x-roost-delivery-id']).toMatch(/^\d+$/);
    // The numeric id is written digit for digit, as X does, beside id_str.
    expect(d.raw).toContain(`"id":${p.body.data.id},`);
  });

  it('a mention of alice by bob, and by dave whom alice blocks (flagged user_has_blocked)', async () => {
    const m = await post(bob, 'hello @alice_aaa');
    const [msg] = await delivered((b) => b.tweet_create_events?.[0]?.id_str === m.body.data.id);
    expect(msg.user_has_blocked).toBe('false');
    expect(msg.tweet_create_events[0].entities.user_mentions).toEqual([{ screen_name: 'alice_aaa', name: 'ALICE_AAA', id: expect.any(Number), id_str: alice.id, indices: [6, 16] }]);

    expect((await s.request('POST', `/2/users/${alice.id}/blocking`, { token: as(alice), body: { target_user_id: dave.id } })).status).toBe(200);
    const blocked = await post(dave, '@alice_aaa are you there?');
    const [flagged] = await delivered((b) => b.tweet_create_events?.[0]?.id_str === blocked.body.data.id);
    expect(flagged.user_has_blocked).toBe('true');
    const [blockEvent] = await delivered((b) => b.block_events?.[0]?.target?.id_str === dave.id);
    expect(blockEvent).toMatchObject({ for_user_id: alice.id, block_events: [{ type: 'block', source: { id_str: alice.id }, target: { id_str: dave.id } }] });
  });

  it('a protected account alice does not follow mentions her: nothing reaches her webhook', async () => {
    const hidden = await post(locked, 'secret words for @alice_aaa');
    expect(hidden.status).toBe(201);
    const marker = await post(alice, 'marker after the protected mention');
    await delivered((b) => b.tweet_create_events?.[0]?.id_str === marker.body.data.id);
    expect(await delivered((b) => b.tweet_create_events?.[0]?.id_str === hidden.body.data.id, { none: true })).toEqual([]);
  });

  it('likes, follows and unfollows, mutes and deletes, each in its own shape', async () => {
    const p = await post(alice, 'like me');
    const postId = p.body.data.id;
    await s.request('POST', `/2/users/${bob.id}/likes`, { token: as(bob), body: { tweet_id: postId } });
    const [fav] = await delivered((b) => b.favorite_events?.[0]?.favorited_status?.id_str === postId);
    expect(fav.favorite_events[0]).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{32}$/), timestamp_ms: s.clock.now(), user: { id_str: bob.id } });

    await s.request('POST', `/2/users/${bob.id}/following`, { token: as(bob), body: { target_user_id: alice.id } });
    await s.request('DELETE', `/2/users/${bob.id}/following/${alice.id}`, { token: as(bob) });
    const follows = await delivered((b) => b.follow_events?.[0]?.source?.id_str === bob.id);
    await delivered((b) => b.follow_events?.[0]?.type === 'unfollow');
    const types = rx.accepted().filter((b) => b.follow_events?.[0]?.source?.id_str === bob.id).map((b) => b.follow_events[0].type);
    expect(types.sort()).toEqual(['follow', 'unfollow']);
    expect(follows[0].follow_events[0]).toMatchObject({ created_timestamp: String(s.clock.now()), target: { id_str: alice.id, screen_name: 'alice_aaa' } });

    await s.request('POST', `/2/users/${alice.id}/muting`, { token: as(alice), body: { target_user_id: carol.id } });
    const [mute] = await delivered((b) => b.mute_events?.[0]?.target?.id_str === carol.id);
    expect(mute).toMatchObject({ for_user_id: alice.id, mute_events: [{ type: 'mute', source: { id_str: alice.id } }] });

    await s.request('DELETE', `/2/tweets/${postId}`, { token: as(alice) });
    const [gone] = await delivered((b) => b.tweet_delete_events?.[0]?.status?.id === postId);
    expect(gone).toEqual({ for_user_id: alice.id, tweet_delete_events: [{ status: { id: postId, user_id: alice.id }, timestamp_ms: String(s.clock.now()) }] });
  });

  it('a muted or blocked user is never told: carol (subscribed now) learns nothing of alice muting her', async () => {
    await s.request('POST', subsPath(), { token: as(carol) });
    await s.request('DELETE', `/2/users/${alice.id}/muting/${carol.id}`, { token: as(alice) });
    const [unmute] = await delivered((b) => b.mute_events?.[0]?.type === 'unmute');
    expect(unmute.for_user_id).toBe(alice.id);
    expect(await delivered((b) => b.for_user_id === carol.id && b.mute_events, { none: true })).toEqual([]);
    await s.request('DELETE', `/2/account_activity/webhooks/${webhookId}/subscriptions/${carol.id}/all`);
  });

  it('after unsubscribing, alice’s events stop', async () => {
    await s.request('DELETE', `/2/account_activity/webhooks/${webhookId}/subscriptions/${alice.id}/all`);
    const p = await post(alice, 'nobody is listening now');
    expect(await delivered((b) => b.tweet_create_events?.[0]?.id_str === p.body.data.id, { none: true })).toEqual([]);
    expect(rx.deliveries.every((d) => d.signatureValid)).toBe(true);
  });
});
