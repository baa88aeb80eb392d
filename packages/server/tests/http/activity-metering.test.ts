/**
 * Metering of X Activity events (FACTS §4.3): an event written to an app's activity streams is charged at its
 * price once — however many of the app's connections carry it, when a reconnect's backfill replays it, and when the
 * app's webhook delivers it as well — and post events count as posts in `GET /2/usage/tweets`. Free event types
 * (deletes) cost nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '@roost/dev-env';
import type { Receiver } from '@roost/dev-env/webhook-receiver';
import { XDEVELOPERS_ID } from '@roost/server';
import type { UserRow } from '../../src/data/rows.js';
import { follow } from '../../src/domain/graph.js';
import { createPost, deletePost } from '../../src/domain/posting.js';
import { activityApp, validLines } from './activity-helpers.js';
import type { StreamClient } from './stream-client.js';
import { madeUpUser, startWebhookServer, type WebhookServer } from './webhook-world.js';

const T = Date.UTC(2026, 7, 1);
const alice = madeUpUser(T, 905, 1, 'alice_am');
const bob = madeUpUser(T, 905, 2, 'bob_am');

let world: WebhookServer | undefined;
let s: TestServer;
let rx: Receiver;
let webhookId: string;
const app = activityApp(() => s);

beforeAll(async () => {
  world = await startWebhookServer([alice, bob] as UserRow[]);
  ({ s, rx, webhookId } = world);
  // Both authorized the app (follows need no consent, but a subscription's viewer is the consenting user).
  for (const u of [alice, bob]) await s.userTokenFor(u.id);
  await app.subscribe({ event_type: 'post.create', filter: { user_id: alice.id } });
});
afterEach(() => app.closeAll());
afterAll(async () => {
  await world?.close();
});

/** The default app's account (@XDevelopers) balance, pending charges written. */
const balance = () => s.handle.ctx.metering.balance(XDEVELOPERS_ID);

/**
 * Waits until the balance has fallen to `expected` (a stream charges just after it writes the line), then checks it
 * is exactly that: a charge too many would take it lower.
 */
async function settlesAt(expected: number): Promise<void> {
  for (let i = 0; i < 400 && (await balance()) > expected + 1e-9; i++) await new Promise((r) => setTimeout(r, 25));
  expect(await balance()).toBeCloseTo(expected, 6);
}

/** Post usage of the cycle (the account) and of today (the app), as `GET /2/usage/tweets` shows it. */
async function postUsage(): Promise<{ cycle: number; today: number }> {
  const r = await s.get('/2/usage/tweets', { query: { 'usage.fields': 'daily_client_app_usage' } });
  expect(r.status).toBe(200);
  const mine = r.body.data.daily_client_app_usage.find((a: any) => a.client_app_id === s.appId);
  return { cycle: Number(r.body.data.project_usage), today: Number(mine.usage.at(-1).usage) };
}

const arrived = (c: StreamClient, what: string, pred: (data: any) => boolean) => c.until(() => c.messages.some((m) => m.data && pred(m.data)), what);
const postLine = (c: StreamClient, id: string) => arrived(c, `post ${id}`, (d) => d.event_type === 'post.create' && d.payload.id === id);

describe('activity stream metering', () => {
  it('a post.create on two connections is charged once ($0.005) and counts as a post; its backfill replay costs nothing', async () => {
    const [c1, c2] = [await app.open(), await app.open()];
    const before = await balance();
    const usage = await postUsage();
    const first = await createPost(s.handle.ctx, alice.id, { text: 'charged once on two connections' });
    await postLine(c1, first.id);
    await postLine(c2, first.id);
    await settlesAt(before - 0.005);
    expect(await postUsage()).toEqual({ cycle: usage.cycle + 1, today: usage.today + 1 });

    // Reconnect with backfill: the same event again, then a new one. Only the new one is paid for.
    await app.closeAll();
    const again = await app.open({ backfill_minutes: 5 });
    await postLine(again, first.id);
    const second = await createPost(s.handle.ctx, alice.id, { text: 'after the replay' });
    await postLine(again, second.id);
    validLines(again.messages);
    expect(again.messages.filter((m) => m.data.payload.id === first.id)).toHaveLength(1);
    await settlesAt(before - 0.01);
    expect(await postUsage()).toEqual({ cycle: usage.cycle + 2, today: usage.today + 2 });
  });

  it('an event the app gets on its webhook and its stream is charged once at its price ($0.010 for follow.follow)', async () => {
    await app.subscribe({ event_type: 'follow.follow', filter: { user_id: alice.id, direction: 'inbound' }, webhook_id: webhookId });
    const c = await app.open();
    const before = await balance();
    await follow(s.handle.ctx, bob.id, alice.id);
    await arrived(c, 'follow', (d) => d.event_type === 'follow.follow' && d.payload.source.id === bob.id);
    const hooked = () => rx.accepted().some((b: any) => b.data?.event_type === 'follow.follow');
    for (let i = 0; i < 400 && !hooked(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(hooked()).toBe(true);
    await s.handle.ctx.delivery.idle();
    // Charges on a stream follow its lines in order: once the marker's is in, the follow's is too.
    const marker = await createPost(s.handle.ctx, alice.id, { text: 'marker' });
    await postLine(c, marker.id);
    await settlesAt(before - 0.01 - 0.005);
  });

  it('free event types (post.delete) cost nothing', async () => {
    await app.subscribe({ event_type: 'post.delete', filter: { user_id: alice.id } });
    const c = await app.open();
    const before = await balance();
    const doomed = await createPost(s.handle.ctx, alice.id, { text: 'soon gone' });
    await postLine(c, doomed.id);
    expect(await deletePost(s.handle.ctx, alice.id, doomed.id)).toBe(true);
    await arrived(c, 'delete', (d) => d.event_type === 'post.delete' && d.payload.id === doomed.id);
    const marker = await createPost(s.handle.ctx, alice.id, { text: 'another marker' });
    await postLine(c, marker.id);
    await settlesAt(before - 0.01);
  });
});
