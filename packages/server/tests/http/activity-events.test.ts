/**
 * The X Activity API's Direct Message, chat and Spaces events (FACTS §12.3), over `GET /2/activity/stream` and
 * webhooks, with real subscriptions: `dm.sent` / `dm.received` (Account Activity's message event and the users as
 * v2 objects), `dm.indicate_typing` / `dm.read`, `chat.sent` / `chat.received` / `chat.conversation_join` (the
 * encrypted event as sent), `spaces.start` / `spaces.end` when a Space is driven live and to its end. Only the
 * subscriptions of the people an event concerns get it. A message sent through an app names it
 * (`source_app_id`, and Account Activity's `apps` map).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '@roost/dev-env';
import type { Receiver } from '@roost/dev-env/webhook-receiver';
import { sendToParticipant } from '../../src/domain/dms.js';
import { createSpace, endSpace, startSpace } from '../../src/domain/spaces.js';
import { activityApp, validLines } from './activity-helpers.js';
import { correspondents, ME, requester } from './dm-helpers.js';
import type { StreamClient } from './stream-client.js';
import { startWebhookServer, type WebhookServer } from './webhook-world.js';

let world: WebhookServer | undefined;
let s: TestServer;
let rx: Receiver;
let webhookId: string;
type Person = { id: string; token: string };
/** @XDevelopers' correspondent, and a bystander who never takes part in their conversations. */
let them: Person;
let bystander: Person;

const app = activityApp(() => s);
const { post } = requester(() => s);

beforeAll(async () => {
  world = await startWebhookServer([], { streamKeepaliveMs: 1000 });
  ({ s, rx, webhookId } = world);
  const fresh = correspondents(s);
  them = await fresh();
  bystander = await fresh();
});
afterEach(() => app.closeAll());
afterAll(async () => {
  await world?.close();
});

/** The stream's messages of one event type, once `n` of them arrived. */
async function got(c: StreamClient, eventType: string, n = 1): Promise<any[]> {
  const of = () => c.messages.filter((m) => m.data?.event_type === eventType);
  await c.until(() => of().length >= n, `${n} ${eventType}`);
  return validLines(of());
}

const userData = (id: string) => ({ data: expect.objectContaining({ id, username: expect.any(String), public_metrics: expect.any(Object) }) });

describe('Direct Messages', () => {
  it('dm.sent for the sender, dm.received for the recipient: the message_create and its users; nobody else', async () => {
    await app.subscribe({ event_type: 'dm.sent', filter: { user_id: ME }, tag: 'mine' });
    await app.subscribe({ event_type: 'dm.received', filter: { user_id: them.id } });
    await app.subscribe({ event_type: 'dm.received', filter: { user_id: bystander.id } });
    await app.subscribe({ event_type: 'dm.sent', filter: { user_id: bystander.id } });
    const c = await app.open();
    const sent = await post(`/2/dm_conversations/with/${them.id}/messages`, { text: 'see you at #roost' });
    expect(sent.status).toBe(201);
    const eventId = sent.body.data.dm_event_id;
    const message = (recipientId: string) => ({
      type: 'message_create',
      id: eventId,
      created_timestamp: String(s.clock.now()),
      message_create: {
        target: { recipient_id: recipientId },
        sender_id: ME,
        source_app_id: s.appId,
        message_data: { text: 'see you at #roost', entities: { hashtags: [{ text: 'roost', indices: [11, 17] }], urls: [], user_mentions: [], symbols: [] } },
      },
    });
    const [mine] = await got(c, 'dm.sent');
    expect(mine.data).toEqual({
      event_uuid: expect.stringMatching(/^\d+$/),
      filter: { user_id: ME },
      event_type: 'dm.sent',
      tag: 'mine',
      payload: { direct_message_events: [message(them.id)], users: { [ME]: userData(ME), [them.id]: userData(them.id) } },
    });
    const [theirs] = await got(c, 'dm.received');
    expect(theirs.data.filter).toEqual({ user_id: them.id });
    expect(theirs.data.payload).toEqual({ direct_message_events: [message(them.id)], users: { [ME]: userData(ME), [them.id]: userData(them.id) } });

    // The reply: dm.sent is not subscribed for them, dm.received not for @XDevelopers; the bystander got nothing.
    expect((await post(`/2/dm_conversations/with/${ME}/messages`, { text: 'on my way' }, them.token)).status).toBe(201);
    await app.subscribe({ event_type: 'dm.sent', filter: { user_id: them.id } });
    expect((await post(`/2/dm_conversations/with/${ME}/messages`, { text: 'really' }, them.token)).status).toBe(201);
    await got(c, 'dm.sent', 2);
    expect(c.messages.map((m) => [m.data.event_type, m.data.filter.user_id])).toEqual([
      ['dm.sent', ME],
      ['dm.received', them.id],
      ['dm.sent', them.id],
    ]);
  });

  it('webhooks get dm.received too; Account Activity names the app a message was sent through, and a message sent without one names none', async () => {
    expect((await s.request('POST', `/2/account_activity/webhooks/${webhookId}/subscriptions/all`, { token: them.token })).status).toBe(200);
    await app.subscribe({ event_type: 'dm.received', filter: { user_id: them.id }, webhook_id: webhookId, tag: 'hooked' });
    const sent = await post(`/2/dm_conversations/with/${them.id}/messages`, { text: 'through the app' });
    const activity = () => rx.accepted().find((b: any) => b.data?.tag === 'hooked');
    for (let i = 0; i < 400 && !activity(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(activity().data).toMatchObject({ event_type: 'dm.received', filter: { user_id: them.id } });
    expect(activity().data.payload.direct_message_events[0]).toMatchObject({
      id: sent.body.data.dm_event_id,
      message_create: { target: { recipient_id: them.id }, sender_id: ME, source_app_id: s.appId, message_data: { text: 'through the app' } },
    });
    expect(Object.keys(activity().data.payload.users).sort()).toEqual([ME, them.id].sort());
    const bodyOf = async (id: string) => {
      const find = () => rx.accepted().find((b: any) => b.for_user_id === them.id && b.direct_message_events?.[0]?.id === id);
      for (let i = 0; i < 400 && !find(); i++) await new Promise((r) => setTimeout(r, 25));
      return find();
    };
    const viaApp = await bodyOf(sent.body.data.dm_event_id);
    const appRow = (await s.handle.ctx.repos.apps.byId(s.appId))!;
    expect(viaApp.direct_message_events[0].message_create).toMatchObject({ sender_id: ME, source_app_id: s.appId });
    expect(viaApp.apps).toEqual({ [s.appId]: { id: s.appId, name: appRow.name } });

    // Written by the domain with no app (as the seeded world's messages are).
    const bare = await sendToParticipant(s.handle.ctx, ME, them.id, { text: 'no app at all' });
    const noApp = await bodyOf((bare as { eventId: string }).eventId);
    expect(noApp.direct_message_events[0].message_create.source_app_id).toBeUndefined();
    expect(noApp.apps).toBeUndefined();
    // X's v2 DM events have no such field (the spec's DmEvent and dm_event.fields): asking for it is X's 400.
    const asked = await s.get('/2/dm_events', { token: s.userToken, query: { 'dm_event.fields': 'source_app_id' } });
    expect(asked.status).toBe(400);
    expect(asked.body.errors[0]).toMatchObject({ parameters: { 'dm_event.fields': ['source_app_id'] } });
    await s.request('DELETE', `/2/account_activity/webhooks/${webhookId}/subscriptions/${them.id}/all`);
  });
});

describe('chats', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const action = (id: string) => ({ message_id: id, encoded_message_event_detail: b64(`detail of ${id}`), message_event_signature: { signature: b64(`signed ${id}`), public_key_version: '3', signature_version: '1' } });

  it('chat.conversation_join, dm.indicate_typing, dm.read, chat.sent and chat.received reach the members only', async () => {
    await app.subscribe({ event_type: 'chat.conversation_join', filter: { user_id: them.id, direction: 'inbound' } });
    await app.subscribe({ event_type: 'chat.conversation_join', filter: { user_id: ME, direction: 'inbound' } });
    await app.subscribe({ event_type: 'dm.indicate_typing', filter: { user_id: ME } });
    await app.subscribe({ event_type: 'dm.read', filter: { user_id: ME, direction: 'inbound' } });
    await app.subscribe({ event_type: 'chat.sent', filter: { user_id: them.id } });
    await app.subscribe({ event_type: 'chat.received', filter: { user_id: ME } });
    await app.subscribe({ event_type: 'chat.received', filter: { user_id: bystander.id } });
    const c = await app.open();

    const keys = await post(`/2/chat/conversations/${them.id}/keys`, {
      conversation_key_version: '42',
      conversation_participant_keys: [them.id, ME].map((user_id) => ({ user_id, encrypted_conversation_key: b64(`share for ${user_id}`), public_key_version: '3' })),
      action_signatures: [action('start-1')],
    });
    expect(keys.status).toBe(200);
    const chat = keys.body.data.conversation_id;
    const [join] = await got(c, 'chat.conversation_join');
    // @XDevelopers made the conversation (outbound for them): only their correspondent's inbound join is told.
    expect(join.data.filter).toEqual({ user_id: them.id, direction: 'inbound' });
    expect(join.data.payload).toEqual({
      id: 'start-1',
      created_at_msec: String(s.clock.now()),
      sender_id: ME,
      conversation_id: chat,
      conversation_key_version: '42',
      encoded_event: b64('detail of start-1'),
      message_event_signature: { signature: b64('signed start-1'), public_key_version: '3', signature_version: '1' },
    });

    expect((await post(`/2/chat/conversations/${chat}/typing`, {}, them.token)).status).toBe(200);
    const [typing] = await got(c, 'dm.indicate_typing');
    expect(typing.data.payload).toEqual({
      direct_message_indicate_typing_events: [{ created_timestamp: String(s.clock.now()), sender_id: them.id, target: { recipient_id: ME } }],
      users: { [ME]: userData(ME), [them.id]: userData(them.id) },
    });

    const sent = await post(`/2/chat/conversations/${chat}/messages`, { message_id: 'hello-1', encoded_message_create_event: b64('ciphertext'), encoded_message_event_signature: b64('msig') }, them.token);
    expect(sent.status).toBe(201);
    const [out] = await got(c, 'chat.sent');
    const [inbox] = await got(c, 'chat.received');
    const payload = { id: 'hello-1', created_at_msec: String(s.clock.now()), sender_id: them.id, conversation_id: chat, conversation_key_version: '42', encoded_event: b64('ciphertext'), encoded_message_event_signature: b64('msig') };
    expect(out.data).toMatchObject({ filter: { user_id: them.id }, payload });
    expect(inbox.data).toMatchObject({ filter: { user_id: ME }, payload });

    const seq = (await s.handle.ctx.repos.chats.eventByMessageId(chat, 'hello-1'))!.id;
    expect((await post(`/2/chat/conversations/${chat}/read`, { seen_until_sequence_id: seq }, them.token)).status).toBe(200);
    const [read] = await got(c, 'dm.read');
    expect(read.data).toMatchObject({ filter: { user_id: ME, direction: 'inbound' } });
    expect(read.data.payload.direct_message_mark_read_events).toEqual([{ created_timestamp: String(s.clock.now()), sender_id: them.id, target: { recipient_id: ME }, last_read_event_id: seq }]);
    // Typing by @XDevelopers is theirs (outbound): their subscription without a direction gets it too.
    expect((await post(`/2/chat/conversations/${chat}/typing`, {})).status).toBe(200);
    const both = await got(c, 'dm.indicate_typing', 2);
    expect(both[1].data.payload.direct_message_indicate_typing_events[0]).toMatchObject({ sender_id: ME, target: { recipient_id: them.id } });
    expect(c.messages.map((m) => m.data.event_type)).toEqual(['chat.conversation_join', 'dm.indicate_typing', 'chat.sent', 'chat.received', 'dm.read', 'dm.indicate_typing']);
    expect(c.messages.some((m) => m.data.filter.user_id === bystander.id)).toBe(false);
  });
});

describe('Spaces', () => {
  it('spaces.start when a Space goes live (created live, or started), spaces.end when it is ended; over the stream and a webhook', async () => {
    await app.subscribe({ event_type: 'spaces.start', filter: { user_id: ME } });
    await app.subscribe({ event_type: 'spaces.end', filter: { user_id: ME }, webhook_id: webhookId, tag: 'ends' });
    const c = await app.open();
    const ctx = s.handle.ctx;
    const live = await createSpace(ctx, { creatorId: ME, title: 'Roost live now' });
    const [started] = await got(c, 'spaces.start');
    expect(started.data.payload).toEqual({ user: userData(ME), broadcast_id: live.id, event_type: 'spaces_start' });

    // A scheduled Space publishes nothing when created, nor when the clock passes its start; starting it does.
    const scheduled = await createSpace(ctx, { creatorId: ME, title: 'Roost later', scheduledStart: s.clock.now() + 60_000 });
    const passing = await createSpace(ctx, { creatorId: ME, title: 'Roost by the clock', scheduledStart: s.clock.now() + 30_000 });
    await startSpace(ctx, scheduled.id);
    await endSpace(ctx, live.id);
    const starts = await got(c, 'spaces.start', 2);
    expect(starts.map((m) => m.data.payload.broadcast_id)).toEqual([live.id, scheduled.id]);
    const [ended] = await got(c, 'spaces.end');
    expect(ended.data).toMatchObject({ tag: 'ends', payload: { user: userData(ME), broadcast_id: live.id, event_type: 'spaces_end' } });
    const hooked = () => rx.accepted().find((b: any) => b.data?.event_type === 'spaces.end');
    for (let i = 0; i < 400 && !hooked(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(hooked().data).toMatchObject({ filter: { user_id: ME }, tag: 'ends', payload: { broadcast_id: live.id, event_type: 'spaces_end' } });
    expect(rx.deliveries.find((d) => d.body === hooked())!.signatureValid).toBe(true);

    s.clock.advance(31_000);
    await endSpace(ctx, passing.id);
    await got(c, 'spaces.end', 2);
    expect(c.messages.filter((m) => m.data.payload.broadcast_id === passing.id).map((m) => m.data.event_type)).toEqual(['spaces.end']);
  });
});
