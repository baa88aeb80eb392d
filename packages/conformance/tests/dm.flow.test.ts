/**
 * Direct Messages through all three clients: send a message, find it in the event lists, delete it. The recipient
 * follows @XDevelopers (so its DM settings take the message); each client's message is then checked over plain
 * HTTP with the recipient's view — there after the send, gone after the delete.
 *   - xdk (OAuth 2.0 user token): directMessages.createByParticipantId → getEvents / getEventsByParticipantId →
 *     deleteEvents
 *   - twitter-api-v2 (OAuth 1.0a): v2.sendDmToParticipant → v2.listDmEventsWithParticipant → v2.delete (the client
 *     has no named method for DELETE /2/dm_events/:id; its generic request signs it like the others)
 *   - tweepy 4.12.1 (OAuth 1.0a): Client.create_direct_message → Client.get_direct_message_events → Client.request
 *     (tweepy 4.12.1 has no method for the delete either)
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client } from '@xdevplatform/xdk';
import { TwitterApi } from 'twitter-api-v2';
import { runTweepy, startRoost, tweepyStatus, XDEVELOPERS, type Roost } from '../src/index.js';

let roost: Roost;
let recipient: string;
let recipientToken: string;

beforeAll(async () => {
  roost = await startRoost(inject('roostTemplate'));
  const followers = await roost.api('GET', `/2/users/${XDEVELOPERS.id}/followers?max_results=100`);
  recipient = followers.body.data[0].id;
  const out = await roost.cli(['tokens', 'create', '--user', followers.body.data[0].username, '--scopes', 'dm.read,tweet.read,users.read']);
  recipientToken = out.trim();
});
afterAll(async () => {
  await roost?.stop();
});

/** The recipient's view of the message (plain HTTP, a token of theirs): its text, or undefined once it is gone. */
async function seenByRecipient(eventId: string): Promise<string | undefined> {
  const r = await roost.api('GET', `/2/dm_conversations/with/${XDEVELOPERS.id}/dm_events?max_results=100`, { token: recipientToken });
  expect(r.status).toBe(200);
  return (r.body.data ?? []).find((e: any) => e.id === eventId)?.text;
}

describe('a Direct Message: send, list, delete', () => {
  it('xdk (OAuth 2.0 user token)', async () => {
    const user = new Client({ accessToken: roost.userToken });
    const sent = await user.directMessages.createByParticipantId(recipient, { text: 'hello from xdk' });
    const eventId = sent.data!.dmEventId!;
    expect(sent.data!.dmConversationId).toContain(recipient);
    const mine = await user.directMessages.getEvents({ maxResults: 10, eventTypes: ['MessageCreate'] });
    expect(mine.data![0]).toMatchObject({ id: eventId, eventType: 'MessageCreate', text: 'hello from xdk' });
    const withThem = await user.directMessages.getEventsByParticipantId(recipient, { dmEventFields: ['dm_conversation_id'], expansions: ['sender_id'] });
    expect(withThem.data![0]).toMatchObject({ id: eventId, senderId: XDEVELOPERS.id });
    expect(await seenByRecipient(eventId)).toBe('hello from xdk');
    const deleted = await user.directMessages.deleteEvents(eventId);
    expect(deleted.data!.deleted).toBe(true);
    expect(await seenByRecipient(eventId)).toBeUndefined();
  });

  it('twitter-api-v2 (OAuth 1.0a)', async () => {
    const user = new TwitterApi({
      appKey: roost.consumerKey,
      appSecret: roost.consumerSecret,
      accessToken: roost.oauth1.token,
      accessSecret: roost.oauth1.secret,
    });
    // The client returns X's body as it came, `{data: {dm_conversation_id, dm_event_id}}` (its type omits `data`).
    const sent = (await user.v2.sendDmToParticipant(recipient, { text: 'hello from twitter-api-v2' })) as unknown as { data: { dm_event_id: string } };
    const eventId = sent.data.dm_event_id;
    const page = await user.v2.listDmEventsWithParticipant(recipient, { 'dm_event.fields': ['sender_id', 'created_at'] });
    expect(page.events[0]).toMatchObject({ id: eventId, text: 'hello from twitter-api-v2', sender_id: XDEVELOPERS.id });
    const all = await user.v2.listDmEvents({ event_types: ['MessageCreate'] });
    expect(all.events.map((e) => e.id)).toContain(eventId);
    expect(await seenByRecipient(eventId)).toBe('hello from twitter-api-v2');
    const deleted = await user.v2.delete<{ data: { deleted: boolean } }>(`dm_events/${eventId}`);
    expect(deleted.data.deleted).toBe(true);
    expect(await seenByRecipient(eventId)).toBeUndefined();
  });

  it.runIf(tweepyStatus().ok || process.env.CI === 'true')('tweepy (OAuth 1.0a)', async () => {
    const results = await runTweepy(roost, 'dm', {
      bearer: roost.bearer,
      consumer_key: roost.consumerKey,
      consumer_secret: roost.consumerSecret,
      oauth1_token: roost.oauth1.token,
      oauth1_secret: roost.oauth1.secret,
      recipient,
      text: 'hello from tweepy',
    });
    const r = results.direct_message;
    if (!r.ok) throw new Error(`${r.error}\n${r.trace}`);
    expect(r.listed).toEqual({ id: r.event_id, text: 'hello from tweepy', sender_id: XDEVELOPERS.id });
    expect(r.seen_before_delete).toBe(true);
    expect(r.deleted).toEqual({ deleted: true });
    expect(await seenByRecipient(r.event_id)).toBeUndefined();
  });
});
