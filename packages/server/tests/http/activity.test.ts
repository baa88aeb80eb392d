/**
 * The X Activity API (FACTS §12.3): subscriptions filtered by event type, user and direction (create, list with
 * pages, update, delete one or several), private events only for users who authorized the app, and webhook
 * delivery of matching events in the activity envelope — signed, with each delivered event priced by metering
 * (FACTS §4.3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '@roost/dev-env';
import { XDEVELOPERS_ID } from '@roost/server';
import type { UserRow } from '../../src/data/rows.js';
import type { Receiver } from '@roost/dev-env/webhook-receiver';
import { madeUpUser, startWebhookServer, type WebhookServer } from './webhook-world.js';
import { createPost } from '../../src/domain/posting.js';

let s: TestServer;
let rx: Receiver;
let webhookId: string;
const T = Date.UTC(2026, 7, 1);
const user = (n: number, username: string, over: Partial<UserRow> = {}): UserRow => madeUpUser(T, 903, n, username, { description: `bio of ${username}`, ...over });
const alice = user(1, 'alice_act');
const bob = user(2, 'bob_act');
const carol = user(3, 'carol_act');
const stranger = user(4, 'stranger_act');
const tokens = new Map<string, string>();

let world: WebhookServer | undefined;
beforeAll(async () => {
  world = await startWebhookServer([alice, bob, carol, stranger]);
  ({ s, rx, webhookId } = world);
  // alice, bob and carol authorized the app (they hold its tokens); stranger did not.
  for (const u of [alice, bob, carol]) tokens.set(u.id, await s.userTokenFor(u.id));
});
afterAll(async () => {
  await world?.close();
});

const subscribe = (body: Record<string, unknown>, token?: string) => s.request('POST', '/2/activity/subscriptions', { body, token });
const as = (u: UserRow) => tokens.get(u.id)!;

async function delivered(pred: (b: any) => boolean, none = false): Promise<any[]> {
  const deadline = Date.now() + (none ? 600 : 10_000);
  for (;;) {
    const got = rx.accepted().filter(pred);
    if ((got.length && !none) || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('subscriptions', () => {
  it('create, list in pages, update, delete one and several', async () => {
    const a = await subscribe({ event_type: 'post.create', filter: { user_id: alice.id }, tag: 'alice posts' });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({
      data: { subscription: { subscription_id: expect.stringMatching(/^\d+$/), event_type: 'post.create', filter: { user_id: alice.id }, created_at: new Date(s.clock.now()).toISOString(), updated_at: new Date(s.clock.now()).toISOString(), tag: 'alice posts' } },
      meta: { total_subscriptions: 1 },
    });
    const b = await subscribe({ event_type: 'follow.follow', filter: { user_id: alice.id, direction: 'inbound' }, webhook_id: webhookId });
    const c = await subscribe({ event_type: 'post.delete', filter: { user_id: carol.id } });
    const ids = [a, b, c].map((r) => r.body.data.subscription.subscription_id);

    const p1 = await s.get('/2/activity/subscriptions', { query: { max_results: 2 } });
    expect(p1.body.data.map((x: any) => x.subscription_id)).toEqual(ids.slice(0, 2));
    expect(p1.body.meta).toMatchObject({ result_count: 2, total_subscriptions: 3, next_token: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const p2 = await s.get('/2/activity/subscriptions', { query: { max_results: 2, pagination_token: p1.body.meta.next_token } });
    expect(p2.body.data.map((x: any) => x.subscription_id)).toEqual([ids[2]]);
    expect(p2.body.meta.next_token).toBeUndefined();

    s.clock.advance(1000);
    const u = await s.request('PUT', `/2/activity/subscriptions/${ids[0]}`, { body: { tag: 'renamed', webhook_id: webhookId } });
    expect(u.body.data).toEqual({ subscription: expect.objectContaining({ tag: 'renamed', webhook_id: webhookId, updated_at: new Date(s.clock.now()).toISOString() }), total_subscriptions: 3 });

    const d = await s.request('DELETE', `/2/activity/subscriptions/${ids[2]}`);
    expect(d.body).toEqual({ data: { deleted: true }, meta: { total_subscriptions: 2 } });
    const again = await s.request('DELETE', `/2/activity/subscriptions/${ids[2]}`);
    expect(again.body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_id: ids[2] });
    const many = await s.request('DELETE', '/2/activity/subscriptions', { query: { ids: `${ids[1]},${ids[2]}` } });
    expect(many.body).toEqual({
      data: [{ subscription_id: ids[1], deleted: true }],
      errors: [{ subscription_id: ids[2], reason: 'SubscriptionNotFound', message: `Could not find subscription with id: [${ids[2]}].` }],
      meta: { total_subscriptions: 1 },
    });
    // The same subscription twice is refused; a filter naming nobody too.
    const twin = await subscribe({ event_type: 'post.create', filter: { user_id: alice.id }, webhook_id: webhookId });
    expect(twin.status).toBe(400);
    expect(twin.body.errors[0].message).toMatch(/^DuplicateSubscription/);
    expect((await subscribe({ event_type: 'post.create', filter: { user_id: '42' } })).status).toBe(400);
    expect((await subscribe({ event_type: 'news.new', filter: {} })).status).toBe(400);
    expect((await subscribe({ event_type: 'not.an.event', filter: { user_id: alice.id } })).status).toBe(400);
  });

  it('private events only for users who authorized the app (or in their own context)', async () => {
    const refused = await subscribe({ event_type: 'like.create', filter: { user_id: stranger.id } });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/private event/);
    expect((await subscribe({ event_type: 'like.create', filter: { user_id: bob.id }, webhook_id: webhookId })).status).toBe(200);
    // A public event needs no consent.
    expect((await subscribe({ event_type: 'post.create', filter: { user_id: stranger.id }, webhook_id: webhookId })).status).toBe(200);
  });
});

describe('webhook delivery of activity events', () => {
  it('post.create: the Post with its author, in the activity envelope, signed; priced at $0.005', async () => {
    const billing = s.handle.ctx.metering;
    const before = await billing.balance(XDEVELOPERS_ID);
    const p = await s.request('POST', '/2/tweets', { token: as(alice), body: { text: 'activity from alice' }, headers: { 'x-roost-cost': '1' } });
    const [msg] = await delivered((b) => b.data?.payload?.id === p.body.data.id);
    expect(msg.data).toMatchObject({
      event_uuid: expect.stringMatching(/^\d+$/),
      filter: { user_id: alice.id },
      event_type: 'post.create',
      tag: 'renamed',
      payload: { id: p.body.data.id, text: 'activity from alice', author_id: alice.id, edit_history_tweet_ids: [p.body.data.id] },
      includes: { users: [expect.objectContaining({ id: alice.id, username: 'alice_act' })] },
    });
    const d = rx.deliveries.find((x) => x.body === msg)!;
    expect(d.signatureValid).toBe(true);
    expect(d.headers['x-roost-delivery-id']).toBe(msg.data.event_uuid);
    const createCost = Number(p.headers.get('x-roost-cost-usd'));
    await s.handle.ctx.delivery.idle();
    expect(await billing.balance(XDEVELOPERS_ID)).toBeCloseTo(before - createCost - 0.005, 6);
  });

  it('follow.follow inbound only; like.create by bob with the liked post', async () => {
    expect((await subscribe({ event_type: 'follow.follow', filter: { user_id: alice.id, direction: 'inbound' }, webhook_id: webhookId })).status).toBe(200);
    await s.request('POST', `/2/users/${bob.id}/following`, { token: as(bob), body: { target_user_id: alice.id } });
    await s.request('POST', `/2/users/${alice.id}/following`, { token: as(alice), body: { target_user_id: carol.id } });
    const [inbound] = await delivered((b) => b.data?.event_type === 'follow.follow');
    expect(inbound.data.payload).toEqual({ source: expect.objectContaining({ id: bob.id }), target: expect.objectContaining({ id: alice.id }) });
    expect(inbound.data.filter).toEqual({ user_id: alice.id, direction: 'inbound' });
    expect(await delivered((b) => b.data?.event_type === 'follow.follow' && b.data.payload.target.id === carol.id, true)).toEqual([]);

    const post = (await s.request('POST', '/2/tweets', { token: as(carol), body: { text: 'like this, bob' } })).body.data.id;
    await s.request('POST', `/2/users/${bob.id}/likes`, { token: as(bob), body: { tweet_id: post } });
    const [like] = await delivered((b) => b.data?.event_type === 'like.create');
    expect(like.data.payload).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), created_at: new Date(s.clock.now()).toISOString(), timestamp_ms: s.clock.now(), liked_tweet_id: post, tweet_author_id: carol.id });
    expect(like.data.includes.tweets[0].id).toBe(post);
  });

  it('a public subscription on a protected account that never authorized the app: its posts are not delivered', async () => {
    const hush = user(5, 'hush_act', { protected: true });
    await s.handle.ctx.repos.users.insertMany([hush]);
    expect((await subscribe({ event_type: 'post.create', filter: { user_id: hush.id }, webhook_id: webhookId })).status).toBe(200);
    // Written through the domain (hush holds no token of the app: no consent).
    const hidden = await createPost(s.handle.ctx, hush.id, { text: 'protected thoughts' });
    const marker = await s.request('POST', '/2/tweets', { token: as(alice), body: { text: 'marker after the protected post' } });
    await delivered((b) => b.data?.payload?.id === marker.body.data.id);
    expect(await delivered((b) => b.data?.payload?.id === hidden.id, true)).toEqual([]);
  });
});
