/**
 * Privacy of Direct Messages and Chats: a one-to-one conversation and a group (a message with a private image and a
 * linked post, a chat message and an encrypted attachment) are read through every endpoint, expansion and media
 * URL by outsiders — app-only auth, another user's OAuth 2.0 token (who has conversations of their own with the same
 * people), and OAuth 1.0a tokens of a participant whose app lacks the Direct Messages permission. None of their
 * answers holds any id, text, key or byte of those conversations; a participant asking the same requests sees
 * them all (so the check is not vacuous), and outsiders' deletes and sends change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { XDEVELOPERS_PINNED_POST_ID } from '../../src/seed/anchor.js';
import { correspondents, ME, oauth1Caller } from './dm-helpers.js';
import { makePng } from './media-fixtures.js';

let s: TestServer;
const png = makePng(10, 6);

interface Reader {
  name: string;
  get(path: string): Promise<{ status: number; text: string }>;
  send(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

const bearerReader = (name: string, token: string): Reader => ({
  name,
  async get(path) {
    const r = await fetch(new URL(path, s.url), { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, text: Buffer.from(await r.arrayBuffer()).toString('latin1') };
  },
  async send(method, path, body) {
    const r = await s.request(method, path, { token, body });
    return { status: r.status, body: r.body };
  },
});

/** Everything of the private conversations that must never reach an outsider. */
const secrets: string[] = [];
const paths: string[] = [];
let participant: Reader;
let outsiders: Reader[];
let messageId: string;
let groupId: string;

beforeAll(async () => {
  s = await startTestServer();
  const fresh = correspondents(s);
  const [a, b, stranger] = [await fresh(), await fresh(), await fresh()];
  const post = (path: string, body: unknown, token = s.userToken) => s.request('POST', path, { token, body });

  const upload = await post('/2/media/upload', { media: png.toString('base64'), media_category: 'dm_image' });
  const mediaId = upload.body.data.id;
  const text = 'PRIVATE-ONE-TO-ONE';
  const m = await post(`/2/dm_conversations/with/${a.id}/messages`, { text: `${text} https://x.com/XDevelopers/status/${XDEVELOPERS_PINNED_POST_ID}`, attachments: [{ media_id: mediaId }] });
  expect(m.status).toBe(201);
  messageId = m.body.data.dm_event_id;
  const conversationId = m.body.data.dm_conversation_id;
  const g = await post('/2/dm_conversations', { conversation_type: 'Group', participant_ids: [a.id, b.id], message: { text: 'PRIVATE-GROUP' } });
  groupId = g.body.data.dm_conversation_id;
  const lookup = await s.get(`/2/dm_events/${messageId}`, { token: a.token, query: { expansions: 'attachments.media_keys', 'media.fields': 'url' } });
  const media = lookup.body.includes.media[0];
  const mediaPath = new URL(media.url).pathname;

  // A chat with an attachment.
  const k = (u: string) => ({ user_id: u, encrypted_conversation_key: Buffer.from(`CHATKEY-${u}`).toString('base64') });
  const sig = { message_id: 'a1', encoded_message_event_detail: 'QUNUSU9O', message_event_signature: { signature: 'U0lH', public_key_version: '1', signature_version: '1' } };
  const chat = await post(`/2/chat/conversations/${a.id}/keys`, { conversation_key_version: '1', conversation_participant_keys: [k(ME), k(a.id)], action_signatures: [sig] });
  const chatId = chat.body.data.conversation_id;
  const chatPayload = Buffer.from('PRIVATE-CHAT').toString('base64');
  await post(`/2/chat/conversations/${chatId}/messages`, { message_id: 'c1', encoded_message_create_event: chatPayload });
  const init = await post('/2/chat/media/upload/initialize', { conversation_id: chatId, total_bytes: 12 });
  const { session_id, media_hash_key } = init.body.data;
  await post(`/2/chat/media/upload/${session_id}/append`, { conversation_id: chatId, media_hash_key, segment_index: 0, media: Buffer.from('CHAT-BYTES!!').toString('base64') });
  await post(`/2/chat/media/upload/${session_id}/finalize`, { conversation_id: chatId, media_hash_key, num_parts: '1' });

  // The stranger has conversations of their own with the same people, so their lists and expansions are not empty.
  expect((await post(`/2/dm_conversations/with/${a.id}/messages`, { text: 'stranger to a' }, stranger.token)).status).toBe(201);
  expect((await post(`/2/dm_conversations/with/${ME}/messages`, { text: 'stranger to XDevelopers' }, stranger.token)).status).toBe(201);

  secrets.push(messageId, conversationId, groupId, text, 'PRIVATE-GROUP', media.media_key, mediaPath, chatPayload, 'CHAT-BYTES', `"${chatId}"`);
  const all = 'dm_event.fields=id,text,event_type,created_at,dm_conversation_id,sender_id,participant_ids,referenced_tweets,attachments,entities&expansions=sender_id,participant_ids,referenced_tweets.id,attachments.media_keys&media.fields=url,preview_image_url,variants&max_results=100';
  paths.push(
    `/2/dm_events?${all}`,
    `/2/dm_events/${messageId}?${all.replace('&max_results=100', '')}`,
    ...[conversationId, groupId].map((c) => `/2/dm_conversations/${c}/dm_events?${all}`),
    ...[ME, a.id].map((u) => `/2/dm_conversations/with/${u}/dm_events?${all}`),
    mediaPath,
    `/media/${media.media_key}.png`,
    `/2/media/${media.media_key}?media.fields=url`,
    `/2/media?media_keys=${media.media_key}&media.fields=url`,
    `/2/tweets/${XDEVELOPERS_PINNED_POST_ID}?expansions=attachments.media_keys`,
    '/2/chat/conversations?expansions=participant_ids&max_results=100',
    `/2/chat/conversations/${chatId}?expansions=participant_ids`,
    `/2/chat/conversations/${chatId}/events?chat_message_event.fields=conversation_id,sender_id,message_event_signature`,
    `/2/chat/media/${chatId}/${media_hash_key}`,
  );

  participant = bearerReader('participant', a.token);
  const rw = await oauth1Caller(s, 'read-write');
  const read = await oauth1Caller(s, 'read');
  const oauth1 = (name: string, c: typeof rw): Reader => ({
    name,
    async get(path) {
      const r = await c.request('GET', path);
      return { status: r.status, text: JSON.stringify(r.body) };
    },
    send: (method, path, body) => c.request(method, path, body),
  });
  outsiders = [bearerReader('app-only', s.bearer), bearerReader('another user', stranger.token), oauth1('OAuth 1.0a read-write', rw), oauth1('OAuth 1.0a read', read)];
});
afterAll(async () => {
  await s?.close();
});

describe('privacy of conversations', () => {
  it('a participant reads every secret through these requests', async () => {
    const seen = new Set<string>();
    for (const p of paths) {
      const r = await participant.get(p);
      for (const x of secrets) if (r.text.includes(x)) seen.add(x);
    }
    // The participant's view of the attachment is the PNG itself.
    expect((await participant.get(secrets[6]!)).text).toBe(png.toString('latin1'));
    expect([...secrets].filter((x) => !seen.has(x))).toEqual([]);
  });

  it('outsiders read nothing of them through any endpoint, expansion or media URL', async () => {
    for (const who of outsiders) {
      for (const p of paths) {
        const r = await who.get(p);
        // An error may echo what the request named (its resource_id); everything else stays unseen.
        for (const x of secrets) if (!p.includes(x.replaceAll('"', ''))) expect(r.text.includes(x), `${who.name}: ${p} shows ${x} (${r.status})`).toBe(false);
      }
    }
  });

  it('outsiders’ deletes and sends change nothing', async () => {
    for (const who of outsiders) {
      await who.send('DELETE', `/2/dm_events/${messageId}`);
      await who.send('POST', `/2/dm_conversations/${groupId}/messages`, { text: `intrusion by ${who.name}` });
    }
    const r = await participant.get(`/2/dm_conversations/${groupId}/dm_events`);
    expect(r.text).not.toContain('intrusion');
    expect((await participant.get(`/2/dm_events/${messageId}`)).text).toContain('PRIVATE-ONE-TO-ONE');
  });
});
