/**
 * Chats (X Chat) over HTTP: the 17 operations and their errors, 2xx bodies checked against the spec by the harness.
 * Keys, payloads and signatures are opaque strings: what a member sent is what members read back; only members
 * ever see a conversation, its events or its attachments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '@roost/dev-env';
import type { DomainEvent } from '../../src/events/bus.js';
import { pairId } from '../../src/util/conversations.js';
import { dmServer, ME, oauth1Caller, requester } from './dm-helpers.js';

let s: TestServer;
let fresh: Awaited<ReturnType<typeof dmServer>>['fresh'];
const events: DomainEvent[] = [];
beforeAll(async () => {
  ({ s, fresh } = await dmServer(events));
});
afterAll(async () => {
  await s?.close();
});

const { post, get } = requester(() => s);
let n = 0;
/** An opaque base64 value, different each call. */
const blob = (tag: string) => Buffer.from(`${tag}:${++n}`).toString('base64');
const signature = (tag: string) => ({
  message_id: `action-${tag}-${++n}`,
  encoded_message_event_detail: blob(`detail-${tag}`),
  message_event_signature: { signature: blob(`sig-${tag}`), public_key_version: '1', signature_version: '1' },
});
const keysFor = (users: string[], version: string) => ({
  conversation_key_version: version,
  conversation_participant_keys: users.map((user_id) => ({ user_id, encrypted_conversation_key: blob(`key-${user_id}-${version}`), public_key_version: '1' })),
});
const message = (messageId: string, payload = blob('message')) => ({ message_id: messageId, encoded_message_create_event: payload, encoded_message_event_signature: blob('msig') });

/** A one-to-one chat of @XDevelopers with a new correspondent, keyed. */
async function oneToOne() {
  const t = await fresh();
  const r = await post(`/2/chat/conversations/${t.id}/keys`, { ...keysFor([ME, t.id], '100'), action_signatures: [signature('init')] });
  expect(r.status).toBe(200);
  return { t, id: r.body.data.conversation_id as string, sequence: r.body.data.sequence_id as string };
}

describe('public keys', () => {
  it('register (idempotent), read one user’s and several users’; a different key under the same version is 409', async () => {
    const t = await fresh();
    const key = { public_key: blob('pk'), signing_public_key: blob('spk'), identity_public_key_signature: blob('ips'), public_key_fingerprint: 'ab12', registration_method: 'generated' };
    const r = await post(`/2/users/${t.id}/public_keys`, { version: '7', public_key: key }, t.token);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { public_key_version: '7' } });
    expect((await post(`/2/users/${t.id}/public_keys`, { version: '7', public_key: key }, t.token)).status).toBe(200);
    const clash = await post(`/2/users/${t.id}/public_keys`, { version: '7', public_key: { ...key, public_key: blob('other') } }, t.token);
    expect(clash.status).toBe(409);
    // Only for oneself.
    expect((await post(`/2/users/${t.id}/public_keys`, { version: '8', public_key: key })).status).toBe(403);

    const mine = await get(`/2/users/${t.id}/public_keys`, { 'public_key.fields': 'signing_public_key,identity_public_key_signature' });
    expect(mine.body.data).toEqual([{ public_key_version: '7', public_key: key.public_key, signing_public_key: key.signing_public_key, identity_public_key_signature: key.identity_public_key_signature }]);
    const several = await get('/2/users/public_keys', { ids: `${t.id},${ME},1999999999999999999` });
    expect(several.body.data.map((k: any) => k.public_key_version)).toContain('7');
    expect(several.body.data).toHaveLength(2);
    expect(several.body.errors[0]).toMatchObject({ resource_id: '1999999999999999999', title: 'Not Found Error' });
  });
});

describe('one-to-one chats', () => {
  it('keys start the conversation; messages go both ways; a retried message_id is answered again; a reused one is 409', async () => {
    events.length = 0;
    const { t, id, sequence } = await oneToOne();
    expect(id).toBe(pairId(ME, t.id));
    expect(events.filter((e) => e.type.startsWith('chat.')).map((e) => e.type)).toEqual(['chat.conversation.created', 'chat.keys.changed']);
    const payload = blob('hello');
    const m = message('m-1', payload);
    const r = await post(`/2/chat/conversations/${t.id}/messages`, m);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ data: { encoded_message_event: payload } });
    expect((await post(`/2/chat/conversations/${t.id}/messages`, m)).body).toEqual({ data: { encoded_message_event: payload } });
    expect((await post(`/2/chat/conversations/${ME}/messages`, message('m-1'), t.token)).status).toBe(409);
    const back = await post(`/2/chat/conversations/${id}/messages`, message('m-2', blob('reply')), t.token);
    expect(back.status).toBe(201);

    const list = await get(`/2/chat/conversations/${id}/events`, { 'chat_message_event.fields': 'sender_id,conversation_id,previous_id,message_event_signature' }, t.token);
    expect(list.status).toBe(200);
    expect(list.body.data.map((e: any) => e.sender_id)).toEqual([t.id, ME]);
    expect(list.body.data[1]).toMatchObject({ encoded_event: payload, conversation_id: id, previous_id: sequence });
    expect(list.body.meta.conversation_key_events).toHaveLength(1);

    const one = await get(`/2/chat/conversations/${t.id}`, { expansions: 'participant_ids', 'chat_conversation.fields': 'created_at' });
    expect(one.body.data).toMatchObject({ id, type: 'OneToOne', participant_ids: expect.arrayContaining([ME, t.id]) });
    const inbox = await get('/2/chat/conversations', { max_results: 100 }, t.token);
    expect(inbox.body.data.map((c: any) => c.id)).toEqual([id]);
  });

  it('read receipts and typing indicators publish their events; bad sequence ids are 400', async () => {
    const { t, id, sequence } = await oneToOne();
    events.length = 0;
    expect((await post(`/2/chat/conversations/${id}/read`, { seen_until_sequence_id: sequence }, t.token)).body).toEqual({ data: { success: true } });
    expect((await post(`/2/chat/conversations/${id}/typing`, {}, t.token)).body).toEqual({ data: { success: true } });
    expect(events.map((e) => e.type)).toEqual(['chat.read', 'chat.typing']);
    expect((await post(`/2/chat/conversations/${id}/read`, { seen_until_sequence_id: 'latest' }, t.token)).status).toBe(400);
  });

  it('blocks and DM settings decide who may start one', async () => {
    const t = await fresh();
    await s.request('POST', `/2/users/${ME}/dm/block`, { token: t.token });
    const r = await post(`/2/chat/conversations/${t.id}/keys`, { ...keysFor([ME, t.id], '1'), action_signatures: [signature('x')] });
    expect(r.status).toBe(403);
    const closed = await fresh('following');
    const c = await post(`/2/chat/conversations/${closed.id}/keys`, { ...keysFor([ME, closed.id], '1'), action_signatures: [signature('y')] });
    expect(c.status).toBe(403);
    expect(c.body.detail).toBe('You cannot send messages to users who are not following you.');
  });
});

describe('groups', () => {
  it('initialize, create, add a member: members see it; a late member sees events from joining on', async () => {
    const [a, b, late] = [await fresh(), await fresh(), await fresh()];
    const init = await post('/2/chat/conversations/group/initialize', {});
    expect(init.status).toBe(200);
    const id = init.body.data.conversation_id;
    expect(id).toMatch(/^g\d+$/);
    // Not a conversation until created.
    expect((await get(`/2/chat/conversations/${id}`)).body.errors[0]).toMatchObject({ title: 'Not Found Error' });
    const name = blob('group-name');
    const created = await post('/2/chat/conversations/group', {
      conversation_id: id,
      group_members: [a.id, b.id],
      group_admins: [a.id],
      group_name: name,
      ...keysFor([ME, a.id, b.id], '1'),
      action_signatures: [signature('create')],
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ conversation_id: id, conversation_key_change_sequence_id: expect.any(String) });
    expect((await post('/2/chat/conversations/group', { conversation_id: id, group_members: [a.id], ...keysFor([ME, a.id], '1'), action_signatures: [signature('again')] })).status).toBe(409);

    const before = await post(`/2/chat/conversations/${id}/messages`, message('g-1'), a.token);
    expect(before.status).toBe(201);
    s.clock.advance(1000);
    const added = await post(`/2/chat/conversations/${id}/members`, { user_ids: [late.id], ...keysFor([ME, a.id, b.id, late.id], '2'), action_signatures: [signature('add')] });
    expect(added.status).toBe(200);
    expect(added.body.data).toEqual({ conversation_id: id, sequence_id: expect.any(String) });
    const after = await post(`/2/chat/conversations/${id}/messages`, message('g-2'), late.token);
    expect(after.status).toBe(201);

    const conv = await get(`/2/chat/conversations/${id}`, { expansions: 'member_ids,admin_ids', 'chat_conversation.fields': 'group_name' }, b.token);
    expect(conv.body.data).toMatchObject({ id, type: 'Group', group_name: name, admin_ids: expect.arrayContaining([ME, a.id]) });
    expect(conv.body.data.member_ids.sort()).toEqual([ME, a.id, b.id, late.id].sort());
    expect((await get(`/2/chat/conversations/${id}/events`, {}, b.token)).body.data).toHaveLength(2);
    expect((await get(`/2/chat/conversations/${id}/events`, {}, late.token)).body.data).toHaveLength(1);
  });

  it('X’s errors: keys must cover every member, group size, only the initializer creates', async () => {
    const [a, b] = [await fresh(), await fresh()];
    const id = (await post('/2/chat/conversations/group/initialize', {})).body.data.conversation_id;
    const missingKey = await post('/2/chat/conversations/group', { conversation_id: id, group_members: [a.id, b.id], ...keysFor([ME, a.id], '1'), action_signatures: [signature('k')] });
    expect(missingKey.status).toBe(400);
    expect(missingKey.body.errors[0].message).toMatch(/no key for the members/);
    const many = Array.from({ length: 50 }, (_, i) => String(5000 + i));
    const big = await post('/2/chat/conversations/group', { conversation_id: id, group_members: many, ...keysFor([ME, ...many], '1'), action_signatures: [signature('big')] });
    expect(big.status).toBe(400);
    expect(big.body.errors[0].message).toBe('Too many members: adding these members would exceed the allowed group size.');
    const notMine = await post('/2/chat/conversations/group', { conversation_id: id, group_members: [ME, b.id], ...keysFor([ME, a.id, b.id], '1'), action_signatures: [signature('n')] }, a.token);
    expect(notMine.status).toBe(400);
  });
});

describe('media', () => {
  it('initialize, append, finalize, download: the bytes as sent, for members only', async () => {
    const { t, id } = await oneToOne();
    const stranger = await fresh();
    const bytes = Buffer.from('encrypted attachment bytes, opaque to Roost');
    const init = await post('/2/chat/media/upload/initialize', { conversation_id: id, total_bytes: bytes.length });
    expect(init.status).toBe(200);
    const { session_id, media_hash_key } = init.body.data;
    const half = Math.floor(bytes.length / 2);
    for (const [i, part] of [bytes.subarray(0, half), bytes.subarray(half)].entries()) {
      const r = await post(`/2/chat/media/upload/${session_id}/append`, { conversation_id: id, media_hash_key, segment_index: i, media: part.toString('base64') });
      expect(r.status).toBe(200);
    }
    const wrongParts = await post(`/2/chat/media/upload/${session_id}/finalize`, { conversation_id: id, media_hash_key, num_parts: '3' });
    expect(wrongParts.status).toBe(400);
    expect((await post(`/2/chat/media/upload/${session_id}/finalize`, { conversation_id: id, media_hash_key, num_parts: '2' })).body).toEqual({ data: { success: true } });

    const download = (token: string) => fetch(new URL(`/2/chat/media/${id}/${media_hash_key}`, s.url), { headers: { authorization: `Bearer ${token}` } });
    const got = await download(t.token);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(bytes);
    expect((await download(stranger.token)).status).toBe(404);
    // A stranger cannot upload into the conversation either.
    const theirs = await post('/2/chat/media/upload/initialize', { conversation_id: id, total_bytes: 4 }, stranger.token);
    expect(theirs.body.errors?.[0] ?? theirs.body).toMatchObject({ title: 'Not Found Error' });
  });
});

describe('privacy and authentication', () => {
  it('a non-member sees no conversation, event or inbox entry, and cannot write to it', async () => {
    const { id } = await oneToOne();
    await post(`/2/chat/conversations/${id}/messages`, message('secret'));
    const stranger = await fresh();
    expect((await get(`/2/chat/conversations/${id}`, {}, stranger.token)).body.errors[0]).toMatchObject({ title: 'Not Found Error' });
    expect((await get(`/2/chat/conversations/${id}/events`, {}, stranger.token)).body).toEqual({ meta: { result_count: 0, has_more: false } });
    expect((await get('/2/chat/conversations', {}, stranger.token)).body.data).toBeUndefined();
    for (const path of [`/2/chat/conversations/${id}/messages`, `/2/chat/conversations/${id}/read`, `/2/chat/conversations/${id}/typing`]) {
      const body = path.endsWith('messages') ? message('intruder') : path.endsWith('read') ? { seen_until_sequence_id: '1' } : {};
      const r = await post(path, body, stranger.token);
      expect(r.status, path).toBe(200);
      expect(r.body.errors[0], path).toMatchObject({ title: 'Not Found Error', resource_id: id });
    }
  });

  it('app-only auth is X’s 403; dm.read and dm.write scopes apply; OAuth 1.0a needs read-write-dm', async () => {
    const { t, id } = await oneToOne();
    for (const [method, path] of [
      ['GET', '/2/chat/conversations'],
      ['GET', `/2/chat/conversations/${id}`],
      ['GET', `/2/users/${ME}/public_keys`],
      ['POST', '/2/chat/conversations/group/initialize'],
    ]) {
      const r = await s.request(method!, path!, { token: s.bearer, body: method === 'POST' ? {} : undefined });
      expect(r.status, path).toBe(403);
      expect(r.body.title).toBe('Unsupported Authentication');
    }
    const noDm = await s.userTokenFor(ME, ['tweet.read', 'users.read']);
    expect((await get('/2/chat/conversations', {}, noDm)).body.detail).toBe('Missing required OAuth 2.0 scopes: [dm.read].');
    expect((await post(`/2/chat/conversations/${id}/messages`, message('scope'), noDm)).status).toBe(403);
    const rw = await oauth1Caller(s, 'read-write');
    expect((await rw.request('GET', '/2/chat/conversations')).status).toBe(403);
    const dm = await oauth1Caller(s, 'read-write-dm');
    const inbox = await dm.request('GET', '/2/chat/conversations?max_results=100');
    expect(inbox.status).toBe(200);
    expect(inbox.body.data.map((c: any) => c.id)).toContain(pairId(ME, t.id));
  });
});

describe('Direct Messages limits (FACTS §4.2)', () => {
  it('event reads 15 per user; sends 15 per user and 1,440 per 24 h for user and app; deletes 300 and 1,500 / 4,000 per 24 h', async () => {
    const t = await fresh();
    const h = (r: { headers: Headers }, name: string) => r.headers.get(name);
    const read = await get('/2/dm_events');
    expect(h(read, 'x-rate-limit-limit')).toBe('15');
    const sent = await s.request('POST', `/2/dm_conversations/with/${t.id}/messages`, { token: s.userToken, body: { text: 'limits' } });
    expect([h(sent, 'x-rate-limit-limit'), h(sent, 'x-user-limit-24hour-limit'), h(sent, 'x-app-limit-24hour-limit')]).toEqual(['15', '1440', '1440']);
    const del = await s.request('DELETE', `/2/dm_events/${sent.body.data.dm_event_id}`, { token: s.userToken });
    expect([h(del, 'x-rate-limit-limit'), h(del, 'x-user-limit-24hour-limit'), h(del, 'x-app-limit-24hour-limit')]).toEqual(['300', '1500', '4000']);
  });
});
