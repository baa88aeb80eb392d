/**
 * Chats (X Chat): encrypted one-to-one and group conversations. Roost routes ciphertext and never decrypts:
 * message payloads, conversation keys wrapped for each member, signed actions (key changes, group creation,
 * member changes), encrypted group metadata, public keys and attachment bytes are stored and served as the clients
 * sent them. What Roost does decide: who is in a conversation (only members see it, from when they joined), who
 * may start one with whom (the rules' `messagingVerdict`, as for Direct Messages), that every member gets a key
 * share, group size, and idempotent retries of a message (its `message_id`). Every change publishes its `chat.*`
 * events after it commits (events/bus.ts).
 */
import { createHash } from 'node:crypto';
import type { RequestBodies } from '@roost/contract';
import type { ChatConversationRow, ChatEventRow, ChatMemberRow } from '../data/chats.js';
import type { UploadRow } from '../data/media-uploads.js';
import { Forbidden, InvalidRequest, PROBLEMS, ProblemError } from '../errors.js';
import type { Incoming, MediaService } from '../media/service.js';
import { judgeMessaging } from '../pipeline/render.js';
import { conversationVerdict } from '../pipeline/rules.js';
import { pairId, pairOf } from '../util/conversations.js';
import { idInRange } from '../util/snowflake.js';
import { CANNOT_MESSAGE, MAX_GROUP_SIZE, NOT_FOLLOWING, NOT_PERMITTED } from './dms.js';
import { refuse, write, type DomainContext, type Outbox, type Refusal } from './write.js';

export type ChatContext = DomainContext & { media: MediaService };

/** X's answers to a group change it cannot make (its X Chat guide quotes them). */
export const TOO_MANY_MEMBERS = 'Too many members: adding these members would exceed the allowed group size.';
export const CANNOT_ADD = 'Cannot add all members: one or more of the requested members cannot be added to this conversation.';

type ActionSignature = NonNullable<RequestBodies['addConversationKeys']['action_signatures']>[number];
type ParticipantKey = NonNullable<RequestBodies['addConversationKeys']['conversation_participant_keys']>[number];

/** A conversation a path (or body) id names for the caller. */
export interface ChatTarget {
  id: string;
  kind: ChatConversationRow['kind'];
  /** One-to-one: the other user. */
  other?: string;
}

const USER_ID = /^\d{1,19}$/;
const GROUP_ID = /^g\d{1,19}$/;

/**
 * What an id names for the caller: a user id is the one-to-one conversation with that user (X builds the
 * canonical id from the caller and the recipient), `a-b` a one-to-one conversation of the caller's, `g…` a group.
 * Null: no conversation the caller could be in.
 */
export function chatTarget(me: string, id: string): ChatTarget | null {
  if (USER_ID.test(id) && idInRange(id)) {
    const other = BigInt(id).toString();
    return { id: pairId(me, other), kind: 'one_to_one', other };
  }
  const pair = pairOf(id)?.map((u) => BigInt(u).toString());
  if (pair) {
    if (pair[0] !== me && pair[1] !== me) return null;
    return { id: pairId(pair[0]!, pair[1]!), kind: 'one_to_one', other: pair[0] === me ? pair[1] : pair[0] };
  }
  return GROUP_ID.test(id) && idInRange(id.slice(1)) ? { id, kind: 'group' } : null;
}

/** An active conversation the caller is a member of, with its members; else the refusal (as if it did not exist). */
async function memberOf(ctx: DomainContext, me: string, id: string): Promise<{ conv: ChatConversationRow; members: ChatMemberRow[] } | Refusal> {
  const target = chatTarget(me, id);
  if (!target) return refuse('chat-conversation-missing', id);
  const [conv, members] = await Promise.all([ctx.repos.chats.conversation(target.id), ctx.repos.chats.members([target.id])]);
  const list = members.get(target.id) ?? [];
  if (!conv || conv.state !== 'active' || conversationVerdict({ userId: me }, list.find((m) => m.userId === me)) !== 'ok') return refuse('chat-conversation-missing', id);
  return { conv, members: list };
}

const others = (members: readonly ChatMemberRow[], me: string) => members.filter((m) => m.userId !== me).map((m) => m.userId);

const bodyError = (path: string, message: string) => new InvalidRequest([{ parameters: {}, message: `$.${path}: ${message}` }]);

const conflict = (detail: string) => new ProblemError(409, { title: 'Conflict', detail, type: `${PROBLEMS}conflict`, status: 409 });

/** The key shares of a key version: one per member, each naming a member. */
function checkKeys(keys: readonly ParticipantKey[] | undefined, memberIds: readonly string[]): { userId: string; encryptedKey: string; publicKeyVersion: string | null }[] {
  const list = keys ?? [];
  const out = list.map((k, i) => {
    if (!k.user_id) throw bodyError(`conversation_participant_keys[${i}].user_id`, 'is missing but it is required');
    if (!k.encrypted_conversation_key) throw bodyError(`conversation_participant_keys[${i}].encrypted_conversation_key`, 'is missing but it is required');
    return { userId: k.user_id, encryptedKey: k.encrypted_conversation_key, publicKeyVersion: k.public_key_version ?? null };
  });
  const named = new Set(out.map((k) => k.userId));
  const missing = memberIds.filter((m) => !named.has(m));
  const strangers = [...named].filter((u) => !memberIds.includes(u));
  if (missing.length) throw bodyError('conversation_participant_keys', `no key for the members [${missing.join(',')}]`);
  if (strangers.length) throw bodyError('conversation_participant_keys', `[${strangers.join(',')}] are not members of the conversation`);
  return out;
}

function requireSignatures(sigs: readonly ActionSignature[] | undefined): readonly ActionSignature[] {
  if (!sigs?.length) throw bodyError('action_signatures', 'is missing but it is required');
  return sigs;
}

/** A conversation's signed actions as events, chained after `previous`. */
function actionRows(conversationId: string, me: string, sigs: readonly ActionSignature[], keyVersion: string | null, ids: () => string, previous: string | null, at: number): ChatEventRow[] {
  let prev = previous;
  return sigs.map((s) => {
    const row: ChatEventRow = {
      id: ids(),
      conversationId,
      kind: 'action',
      senderId: me,
      messageId: s.message_id,
      encodedEvent: s.encoded_message_event_detail,
      signature: { ...s.message_event_signature, ...(s.signature_payload !== undefined ? { signature_payload: s.signature_payload } : {}) },
      conversationToken: null,
      keyVersion,
      previousId: prev,
      createdAt: at,
    };
    prev = row.id;
    return row;
  });
}

/** Stores events; an id a client used before in the conversation is X's 409 (a retried send is answered apart). */
async function insertActions(r: DomainContext['repos'], rows: readonly ChatEventRow[]): Promise<void> {
  for (const e of rows) if (!(await r.chats.insertEvent(e))) throw conflict(`The message_id [${e.messageId}] was already used in this conversation.`);
}

/** Who may be added by `me` (to a new conversation or a group): all of them, or X's refusal. */
async function assertMayAdd(ctx: DomainContext, me: string, userIds: readonly string[], oneToOne: boolean): Promise<void> {
  const { sender, verdicts } = await judgeMessaging(ctx.repos, me, userIds);
  if (!sender || sender.suspended) throw new Forbidden(NOT_PERMITTED);
  const refused = userIds.filter((u) => verdicts.get(u) !== 'ok');
  if (!refused.length) return;
  if (!oneToOne) throw InvalidRequest.one('group_members', refused, CANNOT_ADD);
  const v = verdicts.get(refused[0]!)!;
  if (v === 'closed') throw new Forbidden(NOT_FOLLOWING);
  if (v === 'blocked') throw new Forbidden(CANNOT_MESSAGE);
  throw InvalidRequest.one('id', refused, `The \`id\` value [${refused[0]}] is not a user who can be messaged.`);
}

export interface KeyChange {
  conversationId: string;
  sequenceId: string;
}

/**
 * Adds (initializes or rotates) a conversation key: `POST /2/chat/conversations/:id/keys`. For a user id (or a
 * one-to-one id) the first key makes the conversation, when that user accepts the caller's messages. Every member
 * gets a key share; the signed actions become events of the conversation.
 */
export async function addConversationKeys(ctx: DomainContext, me: string, id: string, b: RequestBodies['addConversationKeys']): Promise<KeyChange | Refusal> {
  const target = chatTarget(me, id);
  if (!target) return refuse('chat-conversation-missing', id);
  let found = await memberOf(ctx, me, id);
  let created = false;
  if ('refused' in found) {
    if (target.kind !== 'one_to_one' || (await ctx.repos.chats.conversation(target.id))) return found;
    await assertMayAdd(ctx, me, [target.other!], true);
    const now = ctx.clock.now();
    const conv: ChatConversationRow = { ...newConversation(target.id, 'one_to_one', me, now), state: 'active' };
    const members = [...new Set([me, target.other!])].map((userId): ChatMemberRow => ({ conversationId: target.id, userId, role: 'member', joinedAt: now, seenUntil: null }));
    found = { conv, members };
    created = true;
  }
  const { conv, members } = found;
  const memberIds = members.map((m) => m.userId);
  const keys = checkKeys(b.conversation_participant_keys, memberIds);
  const sigs = requireSignatures(b.action_signatures);
  const now = ctx.clock.now();
  return write(ctx, async (r, out) => {
    if (created) {
      await r.chats.insertConversation(conv);
      await r.chats.addMembers(members);
    }
    const rows = actionRows(conv.id, me, sigs, b.conversation_key_version, () => ctx.ids.next(), await r.chats.newestEventId(conv.id), now);
    await putKeys(r, conv.id, b.conversation_key_version, keys, now);
    await insertActions(r, rows);
    const sequenceId = rows[rows.length - 1]!.id;
    await r.chats.touch(conv.id, { lastEventId: sequenceId, at: now, keyVersion: b.conversation_key_version });
    if (created) out.emit({ type: 'chat.conversation.created', conversationId: conv.id, creatorId: me, memberIds, sequenceId: rows[0]!.id, at: now });
    out.emit({ type: 'chat.keys.changed', conversationId: conv.id, userId: me, keyVersion: b.conversation_key_version, sequenceId, at: now });
    return { conversationId: conv.id, sequenceId };
  });
}

function putKeys(r: DomainContext['repos'], conversationId: string, keyVersion: string, keys: ReturnType<typeof checkKeys>, at: number): Promise<void> {
  return r.chats.putParticipantKeys(keys.map((k) => ({ conversationId, keyVersion, ...k, createdAt: at })));
}

function newConversation(id: string, kind: ChatConversationRow['kind'], me: string, now: number): ChatConversationRow {
  return {
    id,
    kind,
    state: 'initialized',
    createdBy: me,
    createdAt: now,
    updatedAt: now,
    lastEventId: null,
    keyVersion: null,
    groupName: null,
    groupAvatarUrl: null,
    groupDescription: null,
    messageTtlMs: null,
  };
}

/** Mints a group id (`g<snowflake>`), the caller's to create: `POST /2/chat/conversations/group/initialize`. */
export async function initializeGroup(ctx: DomainContext, me: string): Promise<string> {
  const id = `g${ctx.ids.next()}`;
  await write(ctx, (r) => r.chats.insertConversation(newConversation(id, 'group', me, ctx.clock.now())));
  return id;
}

/**
 * Creates an initialized group (`POST /2/chat/conversations/group`): its members (the caller among them, an
 * admin), admins, key shares for every member, the signed actions, and the metadata as sent (often ciphertext).
 */
export async function createGroup(ctx: DomainContext, me: string, b: RequestBodies['createChatConversation']): Promise<KeyChange> {
  const id = b.conversation_id;
  const conv = GROUP_ID.test(id) && idInRange(id.slice(1)) ? await ctx.repos.chats.conversation(id) : undefined;
  if (!conv || conv.kind !== 'group' || conv.createdBy !== me) {
    throw InvalidRequest.one('conversation_id', [id], `The \`conversation_id\` value [${id}] is not a group initialized by you.`);
  }
  if (conv.state === 'active') throw conflict(`The group [${id}] has already been created.`);
  const memberIds = [...new Set([me, ...b.group_members])];
  if (memberIds.length > MAX_GROUP_SIZE) throw InvalidRequest.one('group_members', b.group_members, TOO_MANY_MEMBERS);
  if (memberIds.length < 2) throw InvalidRequest.one('group_members', b.group_members, 'A group needs at least one member besides you.');
  const admins = new Set([me, ...(b.group_admins ?? [])]);
  const outsiders = [...admins].filter((a) => !memberIds.includes(a));
  if (outsiders.length) throw InvalidRequest.one('group_admins', outsiders, 'Group admins must be group members.');
  const ttl = b.ttl_msec === undefined ? null : /^\d{1,15}$/.test(b.ttl_msec) ? Number(b.ttl_msec) : null;
  if (b.ttl_msec !== undefined && ttl === null) throw InvalidRequest.one('ttl_msec', [b.ttl_msec], `The \`ttl_msec\` value [${b.ttl_msec}] is not valid`);
  await assertMayAdd(ctx, me, memberIds.filter((m) => m !== me), false);
  const keys = checkKeys(b.conversation_participant_keys, memberIds);
  const sigs = requireSignatures(b.action_signatures);
  const now = ctx.clock.now();
  return write(ctx, async (r, out) => {
    const m = { groupName: b.group_name ?? null, groupAvatarUrl: b.group_avatar_url ?? null, groupDescription: b.group_description ?? null, messageTtlMs: ttl, updatedAt: now };
    if (!(await r.chats.activate(id, m))) throw conflict(`The group [${id}] has already been created.`);
    await r.chats.addMembers(memberIds.map((userId) => ({ conversationId: id, userId, role: admins.has(userId) ? 'admin' : 'member', joinedAt: now, seenUntil: null })));
    await putKeys(r, id, b.conversation_key_version, keys, now);
    const rows = actionRows(id, me, sigs, b.conversation_key_version, () => ctx.ids.next(), null, now);
    await insertActions(r, rows);
    await r.chats.touch(id, { lastEventId: rows[rows.length - 1]!.id, at: now, keyVersion: b.conversation_key_version });
    out.emit({ type: 'chat.conversation.created', conversationId: id, creatorId: me, memberIds, sequenceId: rows[0]!.id, at: now });
    return { conversationId: id, sequenceId: rows[0]!.id };
  });
}

/**
 * Adds members to a group (`POST /2/chat/conversations/:id/members`), usually with a rotated key (shares for the
 * whole new roster) and its signed actions; members already in it are left as they are.
 */
export async function addMembers(ctx: DomainContext, me: string, id: string, b: RequestBodies['addChatGroupMembers']): Promise<KeyChange | Refusal> {
  const found = await memberOf(ctx, me, id);
  if ('refused' in found) return found;
  const { conv, members } = found;
  if (conv.kind !== 'group') throw InvalidRequest.one('id', [id], 'Members can only be added to a group conversation.');
  const current = members.map((m) => m.userId);
  const added = [...new Set(b.user_ids)].filter((u) => !current.includes(u));
  const bad = added.filter((u) => !USER_ID.test(u) || !idInRange(u));
  if (bad.length) throw InvalidRequest.one('user_ids', bad, `The \`user_ids\` value [${bad.join(',')}] is not valid`);
  if (current.length + added.length > MAX_GROUP_SIZE) throw InvalidRequest.one('user_ids', b.user_ids, TOO_MANY_MEMBERS);
  if (added.length) await assertMayAdd(ctx, me, added, false);
  const roster = [...current, ...added];
  const version = b.conversation_key_version;
  const keys = version !== undefined ? checkKeys(b.conversation_participant_keys, roster) : [];
  const sigs = b.action_signatures ?? [];
  const now = ctx.clock.now();
  return write(ctx, async (r, out) => {
    await r.chats.addMembers(added.map((userId) => ({ conversationId: conv.id, userId, role: 'member', joinedAt: now, seenUntil: null })));
    if (version !== undefined) await putKeys(r, conv.id, version, keys, now);
    const rows = actionRows(conv.id, me, sigs, version ?? conv.keyVersion, () => ctx.ids.next(), await r.chats.newestEventId(conv.id), now);
    await insertActions(r, rows);
    const sequenceId = rows.length ? rows[rows.length - 1]!.id : (conv.lastEventId ?? '0');
    if (rows.length || b.encrypted_title !== undefined || b.encrypted_avatar_url !== undefined) {
      await r.chats.touch(conv.id, { lastEventId: sequenceId, at: now, keyVersion: version, groupName: b.encrypted_title, groupAvatarUrl: b.encrypted_avatar_url });
    }
    if (added.length) out.emit({ type: 'chat.members.added', conversationId: conv.id, userId: me, memberIds: added, sequenceId, at: now });
    if (version !== undefined) out.emit({ type: 'chat.keys.changed', conversationId: conv.id, userId: me, keyVersion: version, sequenceId, at: now });
    return { conversationId: conv.id, sequenceId };
  });
}

/**
 * Sends an encrypted message (`POST /2/chat/conversations/:id/messages`). A retry with the same `message_id`
 * answers the message stored the first time; the same id on another sender's message is X's 409. A block either
 * way ends a one-to-one conversation's messages.
 */
export async function sendMessage(ctx: DomainContext, me: string, id: string, b: RequestBodies['sendChatMessage']): Promise<ChatEventRow | Refusal> {
  const found = await memberOf(ctx, me, id);
  if ('refused' in found) return found;
  const { conv, members } = found;
  const earlier = await ctx.repos.chats.eventByMessageId(conv.id, b.message_id);
  if (earlier) return sameSender(earlier, me);
  const to = others(members, me);
  if (conv.kind === 'one_to_one' && to.length) {
    const { verdicts } = await judgeMessaging(ctx.repos, me, to);
    if (verdicts.get(to[0]!) === 'blocked') throw new Forbidden(CANNOT_MESSAGE);
  }
  const now = ctx.clock.now();
  return write(ctx, async (r, out) => {
    const e: ChatEventRow = {
      id: ctx.ids.next(),
      conversationId: conv.id,
      kind: 'message',
      senderId: me,
      messageId: b.message_id,
      encodedEvent: b.encoded_message_create_event,
      signature: b.encoded_message_event_signature !== undefined ? { encoded_message_event_signature: b.encoded_message_event_signature } : null,
      conversationToken: b.conversation_token ?? null,
      keyVersion: conv.keyVersion,
      previousId: await r.chats.newestEventId(conv.id),
      createdAt: now,
    };
    // A retry that raced the first send finds its row here.
    if (!(await r.chats.insertEvent(e))) return sameSender((await r.chats.eventByMessageId(conv.id, b.message_id))!, me);
    await r.chats.touch(conv.id, { lastEventId: e.id, at: now });
    out.emit({ type: 'chat.message.created', eventId: e.id, conversationId: conv.id, senderId: me, recipientIds: to, at: now });
    return e;
  });
}

function sameSender(e: ChatEventRow, me: string): ChatEventRow {
  if (e.kind !== 'message' || e.senderId !== me) throw conflict(`The message_id [${e.messageId}] was already used in this conversation.`);
  return e;
}

/** Marks a conversation read up to a sequence id (`POST …/read`): the read receipt the other members get. */
export async function markRead(ctx: DomainContext, me: string, id: string, seenUntil: string): Promise<true | Refusal> {
  if (!/^\d{1,19}$/.test(seenUntil) || !idInRange(seenUntil)) throw bodyError('seen_until_sequence_id', `[${seenUntil}] is not a sequence id`);
  const found = await memberOf(ctx, me, id);
  if ('refused' in found) return found;
  const now = ctx.clock.now();
  await write(ctx, async (r, out) => {
    await r.chats.setSeenUntil(found.conv.id, me, seenUntil);
    out.emit({ type: 'chat.read', conversationId: found.conv.id, userId: me, seenUntil, recipientIds: others(found.members, me), at: now });
  });
  return true;
}

/** A typing indicator (`POST …/typing`): nothing is stored; the other members are told. */
export async function typing(ctx: DomainContext, me: string, id: string): Promise<true | Refusal> {
  const found = await memberOf(ctx, me, id);
  if ('refused' in found) return found;
  const at = ctx.clock.now();
  await write(ctx, async (_r, out: Outbox) => out.emit({ type: 'chat.typing', conversationId: found.conv.id, userId: me, recipientIds: others(found.members, me), at }));
  return true;
}

/**
 * Registers a public key version of the caller (`POST /2/users/:id/public_keys`); with `generate_version` Roost
 * picks the version (the registration time in ms). The same version again is idempotent when identical, else 409.
 */
export async function addPublicKey(ctx: DomainContext, me: string, b: RequestBodies['addUserPublicKey']): Promise<string> {
  const now = ctx.clock.now();
  const version = b.generate_version ? String(now) : b.version;
  if (!/^\S{1,64}$/.test(version)) throw bodyError('version', `[${version}] is not a valid key version`);
  const k = b.public_key;
  if (!k.public_key) throw bodyError('public_key.public_key', 'is missing but it is required');
  const row = {
    userId: me,
    version,
    publicKey: k.public_key,
    signingPublicKey: k.signing_public_key ?? null,
    identityPublicKeySignature: k.identity_public_key_signature ?? null,
    signingPublicKeySignature: k.signing_public_key_signature ?? null,
    publicKeyFingerprint: k.public_key_fingerprint ?? null,
    registrationMethod: k.registration_method ?? null,
    createdAt: now,
  };
  await write(ctx, async (r, out) => {
    if (await r.chats.insertPublicKey(row)) {
      out.emit({ type: 'chat.public_key.added', userId: me, version, at: now });
      return;
    }
    const stored = (await r.chats.publicKeysOf([me])).get(me)?.find((x) => x.version === version);
    const same = stored && (['publicKey', 'signingPublicKey', 'identityPublicKeySignature'] as const).every((f) => stored[f] === row[f]);
    if (!same) throw conflict(`Public key version [${version}] is already registered with another key.`);
  });
  return version;
}

// ——— attachments ———

/** The media hash key of an upload: what messages name the attachment by and the download path carries. */
const hashKeyOf = (uploadId: string) => createHash('sha256').update(`chat-media:${uploadId}`).digest('hex').slice(0, 32);

/** Opens an upload of an encrypted attachment to a conversation of the caller's. */
export async function initMedia(ctx: ChatContext, me: string, b: RequestBodies['chatMediaUploadInitialize']): Promise<{ sessionId: string; mediaHashKey: string; conversationId: string } | Refusal> {
  const found = await memberOf(ctx, me, b.conversation_id);
  if ('refused' in found) return found;
  const u = await ctx.media.initOpaque(me, b.total_bytes);
  const mediaHashKey = hashKeyOf(u.id);
  await write(ctx, (r) => r.chats.insertMedia({ uploadId: u.id, conversationId: found.conv.id, mediaHashKey, ownerId: me, createdAt: ctx.clock.now() }));
  return { sessionId: u.id, mediaHashKey, conversationId: found.conv.id };
}

/** The caller's chat upload session `sessionId`, when the request names its conversation and hash key. */
export async function mediaSession(ctx: ChatContext, me: string, sessionId: string, conversationId: unknown, mediaHashKey: unknown): Promise<UploadRow> {
  const bad = () => InvalidRequest.one('id', [sessionId], `The \`id\` value [${sessionId}] is not a chat media upload of this conversation.`);
  if (!/^\d{1,19}$/.test(sessionId) || !idInRange(sessionId)) throw bad();
  const m = await ctx.repos.chats.mediaByUpload(sessionId);
  const target = typeof conversationId === 'string' ? chatTarget(me, conversationId) : null;
  if (!m || m.ownerId !== me || !target || target.id !== m.conversationId || mediaHashKey !== m.mediaHashKey) throw bad();
  return ctx.media.session(me, sessionId, 'id');
}

export async function appendMedia(ctx: ChatContext, me: string, u: UploadRow, segmentIndex: number, data: Incoming): Promise<UploadRow> {
  return ctx.media.append(me, u.id, segmentIndex, data);
}

/** Closes a chat upload: `num_parts` must be the number of segments appended. */
export async function finalizeMedia(ctx: ChatContext, me: string, u: UploadRow, numParts: string): Promise<void> {
  const parts = (await ctx.repos.mediaUploads.segments(u.id)).length;
  if (u.status === 'uploading' && String(parts) !== numParts) {
    throw InvalidRequest.one('num_parts', [numParts], `The upload has ${parts} parts, not [${numParts}].`);
  }
  await ctx.media.finalize(me, u.id);
}

/** An attachment's bytes, for members of its conversation once the upload is finalized; null otherwise. */
export async function mediaBytes(ctx: ChatContext, me: string, id: string, mediaHashKey: string): Promise<UploadRow | null> {
  const found = await memberOf(ctx, me, id);
  if ('refused' in found) return null;
  const m = await ctx.repos.chats.mediaByHashKey(found.conv.id, mediaHashKey);
  const u = m && (await ctx.repos.mediaUploads.byId(m.uploadId));
  return u && u.blobKey && ctx.media.isReady(u) ? u : null;
}
