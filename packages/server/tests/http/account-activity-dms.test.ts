/**
 * Account Activity deliveries of Direct Messages with a real receiver (FACTS §12.3): `direct_message_events`
 * (`message_create` with X's `users` map), `direct_message_indicate_typing_events` and
 * `direct_message_mark_read_events` reach every subscribed participant in their own `for_user_id` envelope,
 * signed; a subscribed non-participant gets nothing, and unsubscribing stops them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '@roost/dev-env';
import { buildConfig } from '@roost/server';
import { startReceiver, type Receiver } from '@roost/dev-env/webhook-receiver';
import { dmServer, ME, requester } from './dm-helpers.js';

let s: TestServer;
let rx: Receiver;
let fresh: Awaited<ReturnType<typeof dmServer>>['fresh'];
let webhookId: string;
/** The recipient (subscribed) and a bystander (subscribed, never in the conversation). */
let them: { id: string; token: string };
let bystander: { id: string; token: string };

beforeAll(async () => {
  ({ s, fresh } = await dmServer([], {
    limits: { '*': { app: 100000, user: 100000 } },
    config: { webhooks: { ...buildConfig({}).webhooks, allowLoopback: true, pollMs: 20 }, metering: false },
  }));
  rx = await startReceiver(s.handle.boot.createdApp!.consumerSecret);
  webhookId = (await s.request('POST', '/2/webhooks', { body: { url: rx.url } })).body.data.id;
  them = await fresh();
  bystander = await fresh();
  for (const token of [s.userToken, them.token, bystander.token]) {
    expect((await s.request('POST', `/2/account_activity/webhooks/${webhookId}/subscriptions/all`, { token })).status).toBe(200);
  }
});
afterAll(async () => {
  await rx?.close();
  await s?.close();
});

const { post } = requester(() => s);

/** Waits up to `ms` for accepted bodies matching `pred` (returns as soon as `want` of them arrived). */
async function bodies(pred: (b: any) => boolean, want: number, ms = 10_000): Promise<any[]> {
  const until = Date.now() + ms;
  let got = rx.accepted().filter(pred);
  while (got.length < want && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 25));
    got = rx.accepted().filter(pred);
  }
  return got;
}
const byUser = (xs: any[]) => new Map(xs.map((b) => [b.for_user_id as string, b]));
const signed = (b: unknown) => rx.deliveries.find((d) => d.body === b)?.signatureValid;

describe('Direct Messages in Account Activity', () => {
  it('a DM from @XDevelopers reaches both subscribed participants, signed, as direct_message_events with users', async () => {
    const sent = await post(`/2/dm_conversations/with/${them.id}/messages`, { text: 'hello from #roost' });
    expect(sent.status).toBe(201);
    const eventId = sent.body.data.dm_event_id;
    const got = byUser(await bodies((b) => b.direct_message_events?.[0]?.id === eventId, 2));
    expect([...got.keys()].sort()).toEqual([ME, them.id].sort());
    for (const [userId, b] of got) {
      expect(signed(b)).toBe(true);
      expect(b).toEqual({
        for_user_id: userId,
        direct_message_events: [
          {
            type: 'message_create',
            id: eventId,
            created_timestamp: String(s.clock.now()),
            message_create: {
              target: { recipient_id: them.id },
              sender_id: ME,
              // Sent through the default app (X names it, and lists it in `apps`).
              source_app_id: s.appId,
              message_data: { text: 'hello from #roost', entities: { hashtags: [{ text: 'roost', indices: [11, 17] }], urls: [], user_mentions: [], symbols: [] } },
            },
          },
        ],
        apps: { [s.appId]: { id: s.appId, name: expect.any(String) } },
        users: { [ME]: expect.objectContaining({ id: ME, screen_name: 'XDevelopers' }), [them.id]: expect.objectContaining({ id: them.id }) },
      });
      expect(b.users[ME].created_timestamp).toMatch(/^\d+$/);
    }
    expect(await bodies((b) => b.for_user_id === bystander.id, 1, 600)).toEqual([]);
  });

  it('typing and read events of a chat reach every subscribed participant, the bystander nothing', async () => {
    const blob = (tag: string) => Buffer.from(`${tag}:${Date.now()}`).toString('base64');
    const keys = await post(`/2/chat/conversations/${them.id}/keys`, {
      conversation_key_version: '100',
      conversation_participant_keys: [ME, them.id].map((user_id) => ({ user_id, encrypted_conversation_key: blob(`key-${user_id}`), public_key_version: '1' })),
      action_signatures: [{ message_id: 'aaa-init', encoded_message_event_detail: blob('d'), message_event_signature: { signature: blob('s'), public_key_version: '1', signature_version: '1' } }],
    });
    expect(keys.status).toBe(200);
    const { conversation_id: chat, sequence_id: sequence } = keys.body.data;

    expect((await post(`/2/chat/conversations/${chat}/typing`, {}, them.token)).status).toBe(200);
    const typing = byUser(await bodies((b) => b.direct_message_indicate_typing_events, 2));
    expect([...typing.keys()].sort()).toEqual([ME, them.id].sort());
    for (const b of typing.values()) {
      expect(signed(b)).toBe(true);
      expect(b.direct_message_indicate_typing_events).toEqual([
        { created_timestamp: String(s.clock.now()), sender_id: them.id, target: { recipient_id: ME } },
      ]);
      expect(Object.keys(b.users).sort()).toEqual([ME, them.id].sort());
    }

    expect((await post(`/2/chat/conversations/${chat}/read`, { seen_until_sequence_id: sequence }, them.token)).status).toBe(200);
    const read = byUser(await bodies((b) => b.direct_message_mark_read_events, 2));
    expect([...read.keys()].sort()).toEqual([ME, them.id].sort());
    expect(read.get(ME)!.direct_message_mark_read_events).toEqual([
      { created_timestamp: String(s.clock.now()), sender_id: them.id, target: { recipient_id: ME }, last_read_event_id: sequence },
    ]);
    expect(await bodies((b) => b.for_user_id === bystander.id, 1, 600)).toEqual([]);
  });

  it('after both participants unsubscribe, their DMs and typing stop', async () => {
    for (const userId of [ME, them.id]) {
      await s.request('DELETE', `/2/account_activity/webhooks/${webhookId}/subscriptions/${userId}/all`);
    }
    const before = rx.accepted().length;
    const sent = await post(`/2/dm_conversations/with/${them.id}/messages`, { text: 'nobody is listening' });
    expect(sent.status).toBe(201);
    expect((await post(`/2/dm_conversations/with/${ME}/messages`, { text: 'nor here' }, them.token)).status).toBe(201);
    expect(await bodies(() => true, before + 1, 800)).toHaveLength(before);
    expect(rx.deliveries.every((d) => d.signatureValid)).toBe(true);
  });
});
