/**
 * Filtered-stream webhook links (issue 21, FACTS §12.3): once POST /2/tweets/search/webhooks/:webhook_id links a
 * webhook, a post matching the app's filtered-stream rules is POSTed to a real local receiver — signed, as the
 * stream's line with the link's fields and its matching_rules — a post matching no rule is not, and DELETE of the
 * link stops the deliveries; GET /2/tweets/search/webhooks lists the link while it exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '@roost/dev-env';
import type { Receiver } from '@roost/dev-env/webhook-receiver';
import { startWebhookServer } from './webhook-world.js';

let s: TestServer;
let rx: Receiver;
let webhookId: string;
let ruleId: string;

beforeAll(async () => {
  ({ s, rx, webhookId } = await startWebhookServer([]));
  const rules = await s.request('POST', '/2/tweets/search/stream/rules', { body: { add: [{ value: 'roostlinked', tag: 'linked' }] } });
  expect(rules.status).toBe(200);
  ruleId = rules.body.data[0].id;
});
afterAll(async () => {
  await rx?.close();
  await s?.close();
});

const tweet = async (text: string) => {
  const r = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text } });
  expect(r.status).toBe(201);
  return r.body.data.id as string;
};
/** Deliveries of a post to the webhook once the engine has nothing left to do. */
const settledDeliveriesOf = async (postId: string) => {
  await s.handle.ctx.delivery.idle();
  // Every event has been fanned out: an absent delivery was never planned, not merely late.
  expect(await s.handle.ctx.repos.deliveries.outboxSize()).toBe(0);
  const rows = await s.handle.ctx.repos.deliveries.recent({ webhookId, limit: 100 });
  return rows.filter((d) => d.body.includes(`"id":"${postId}"`));
};

describe('filtered-stream webhook links', () => {
  it('a matching post is POSTed to the receiver, signed, as the stream line; a non-matching one is not', async () => {
    const link = await s.request('POST', `/2/tweets/search/webhooks/${webhookId}`, { query: { 'tweet.fields': 'author_id,created_at' } });
    expect(link.status).toBe(200);
    expect(link.body).toEqual({ data: { provisioned: true } });
    const listed = await s.request('GET', '/2/tweets/search/webhooks');
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).toMatchObject({ webhook_id: webhookId, fields: ['tweet.fields=author_id,created_at'] });

    const other = await tweet('nothing to see here');
    const hit = await tweet('roostlinked: delivered by POST');
    await rx.waitFor(1);
    const [d] = rx.deliveries;
    expect(d!.signatureValid).toBe(true);
    expect(d!.answered).toBe(200);
    expect(d!.body).toEqual({
      data: { id: hit, text: 'roostlinked: delivered by POST', author_id: expect.stringMatching(/^\d+$/), created_at: expect.any(String), edit_history_tweet_ids: [hit] },
      matching_rules: [{ id: ruleId, tag: 'linked' }],
    });
    // One JSON object, no stream framing.
    expect(d!.raw.endsWith('\r\n')).toBe(false);
    expect(await settledDeliveriesOf(other)).toEqual([]);
    expect(rx.deliveries.some((x) => x.raw.includes(other))).toBe(false);
    const [row] = await settledDeliveriesOf(hit);
    expect(row).toMatchObject({ kind: 'filtered_stream', status: 'delivered', attempts: 1 });
  });

  it('deleting the link stops delivery', async () => {
    const del = await s.request('DELETE', `/2/tweets/search/webhooks/${webhookId}`);
    expect(del.status).toBe(200);
    expect((await s.request('GET', '/2/tweets/search/webhooks')).body.data ?? []).toEqual([]);
    const before = rx.deliveries.length;
    const after = await tweet('roostlinked after the link is gone');
    expect(await settledDeliveriesOf(after)).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(rx.deliveries.length).toBe(before);
  });
});
