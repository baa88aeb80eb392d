import { sql, type Kysely } from 'kysely';
import type { ChatConversationsTable, ChatEventsTable, ChatPublicKeysTable, Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { inChunks, byIdSet } from './batch.js';
import { pageIds, type IdPageQuery } from './edges.js';
import { json, num, numOrNull, str, strOrNull } from './rows.js';

export type ChatConversationKind = 'one_to_one' | 'group';

export interface ChatConversationRow {
  /** `<smaller user id>-<larger user id>` (one-to-one) or `g<snowflake>` (group). */
  id: string;
  kind: ChatConversationKind;
  /** A group id minted by `…/group/initialize` is `initialized` until the group is created. */
  state: 'initialized' | 'active';
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** The newest event: the inbox is ordered by it. */
  lastEventId: string | null;
  /** The current conversation key version (opaque). */
  keyVersion: string | null;
  /** Group metadata as the client sent it (often ciphertext under the conversation key). */
  groupName: string | null;
  groupAvatarUrl: string | null;
  groupDescription: string | null;
  messageTtlMs: number | null;
}

export interface ChatMemberRow {
  conversationId: string;
  userId: string;
  role: 'member' | 'admin';
  /** Events before this time (epoch ms) are not the member's. */
  joinedAt: number;
  /** The read receipt: the sequence id the member has seen up to. */
  seenUntil: string | null;
}

export interface ChatEventRow {
  /** The sequence id (a snowflake). */
  id: string;
  conversationId: string;
  /** A message, or a signed action (conversation-key change, group creation, member change). */
  kind: 'message' | 'action';
  senderId: string;
  /** The client's id of the message or action; unique per conversation. */
  messageId: string;
  /** The encoded (encrypted) event as the client sent it. */
  encodedEvent: string;
  signature: Record<string, unknown> | null;
  conversationToken: string | null;
  keyVersion: string | null;
  previousId: string | null;
  createdAt: number;
}

export interface ChatParticipantKeyRow {
  conversationId: string;
  keyVersion: string;
  userId: string;
  encryptedKey: string;
  publicKeyVersion: string | null;
  createdAt: number;
}

export interface PublicKeyRow {
  userId: string;
  version: string;
  publicKey: string | null;
  signingPublicKey: string | null;
  identityPublicKeySignature: string | null;
  signingPublicKeySignature: string | null;
  publicKeyFingerprint: string | null;
  registrationMethod: string | null;
  createdAt: number;
}

export interface ChatMediaRow {
  /** The upload session (media_uploads) holding the bytes. */
  uploadId: string;
  conversationId: string;
  mediaHashKey: string;
  ownerId: string;
  createdAt: number;
}

/** A page of a user's inbox: conversations by their newest event, newest first (oldest first when ascending). */
export interface InboxQuery {
  userId: string;
  /** Exclusive bounds on `last_event_id`. */
  after?: string;
  before?: string;
  ascending: boolean;
  limit: number;
}

/** Chats: encrypted conversations, their members, events and keys, users' public keys, attachments (migration 010). */
export class Chats {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async conversationsByIds(ids: readonly string[]): Promise<Map<string, ChatConversationRow>> {
    const out = new Map<string, ChatConversationRow>();
    const want = [...new Set(ids)];
    if (!want.length) return out;
    const rows = await this.db.selectFrom('chat_conversations').selectAll().where('id', 'in', want).execute();
    for (const r of rows) out.set(r.id, conversationOf(r));
    return out;
  }

  async conversation(id: string): Promise<ChatConversationRow | undefined> {
    return (await this.conversationsByIds([id])).get(id);
  }

  /** Inserts a conversation; false when one with that id exists already. */
  async insertConversation(c: ChatConversationRow): Promise<boolean> {
    const r = await this.db
      .insertInto('chat_conversations')
      .values({
        id: c.id,
        kind: c.kind,
        state: c.state,
        created_by: this.d.idParam(c.createdBy),
        created_at: c.createdAt,
        updated_at: c.updatedAt,
        last_event_id: c.lastEventId === null ? null : this.d.idParam(c.lastEventId),
        key_version: c.keyVersion,
        group_name: c.groupName,
        group_avatar_url: c.groupAvatarUrl,
        group_description: c.groupDescription,
        message_ttl_ms: c.messageTtlMs,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** An initialized group becomes active with its metadata; false when it was not (still) initialized. */
  async activate(id: string, m: Pick<ChatConversationRow, 'groupName' | 'groupAvatarUrl' | 'groupDescription' | 'messageTtlMs' | 'updatedAt'>): Promise<boolean> {
    const r = await this.db
      .updateTable('chat_conversations')
      .set({ state: 'active', group_name: m.groupName, group_avatar_url: m.groupAvatarUrl, group_description: m.groupDescription, message_ttl_ms: m.messageTtlMs, updated_at: m.updatedAt })
      .where('id', '=', id)
      .where('state', '=', 'initialized')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records a conversation's newest event (and a new key version, or new encrypted group metadata). */
  async touch(id: string, t: { lastEventId: string; at: number; keyVersion?: string; groupName?: string; groupAvatarUrl?: string }): Promise<void> {
    await this.db
      .updateTable('chat_conversations')
      .set({
        last_event_id: this.d.idParam(t.lastEventId),
        updated_at: t.at,
        ...(t.keyVersion !== undefined ? { key_version: t.keyVersion } : {}),
        ...(t.groupName !== undefined ? { group_name: t.groupName } : {}),
        ...(t.groupAvatarUrl !== undefined ? { group_avatar_url: t.groupAvatarUrl } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Members of these conversations, by conversation id, in join order. */
  async members(conversationIds: readonly string[]): Promise<Map<string, ChatMemberRow[]>> {
    const out = new Map<string, ChatMemberRow[]>();
    const ids = [...new Set(conversationIds)];
    if (!ids.length) return out;
    const rows = await this.db.selectFrom('chat_members').selectAll().where('conversation_id', 'in', ids).orderBy('conversation_id').orderBy('joined_at').orderBy('user_id').execute();
    for (const r of rows) {
      const m = memberOf(r);
      const list = out.get(m.conversationId);
      if (list) list.push(m);
      else out.set(m.conversationId, [m]);
    }
    return out;
  }

  /** The user's membership of these conversations, by conversation id. */
  async memberships(userId: string, conversationIds: readonly string[]): Promise<Map<string, ChatMemberRow>> {
    const out = new Map<string, ChatMemberRow>();
    const ids = [...new Set(conversationIds)];
    if (!ids.length) return out;
    const rows = await this.db.selectFrom('chat_members').selectAll().where('user_id', '=', this.d.idParam(userId)).where('conversation_id', 'in', ids).execute();
    for (const r of rows) out.set(r.conversation_id, memberOf(r));
    return out;
  }

  /** Adds members (existing ones keep their row). */
  async addMembers(rows: readonly ChatMemberRow[]): Promise<void> {
    await inChunks(this.d, rows, 5, (slice) =>
      this.db
        .insertInto('chat_members')
        .values(slice.map((m) => ({ conversation_id: m.conversationId, user_id: this.d.idParam(m.userId), role: m.role, joined_at: m.joinedAt, seen_until: m.seenUntil })))
        .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
        .execute(),
    );
  }

  async setSeenUntil(conversationId: string, userId: string, sequenceId: string): Promise<void> {
    await this.db.updateTable('chat_members').set({ seen_until: sequenceId }).where('conversation_id', '=', conversationId).where('user_id', '=', this.d.idParam(userId)).execute();
  }

  /** The user's active conversations, as (conversation id, newest event id), ordered by the newest event. */
  async inbox(q: InboxQuery): Promise<{ conversationId: string; lastEventId: string }[]> {
    let s = this.db
      .selectFrom('chat_members as m')
      .innerJoin('chat_conversations as c', 'c.id', 'm.conversation_id')
      .select(['c.id as id', 'c.last_event_id as last'])
      .where('m.user_id', '=', this.d.idParam(q.userId))
      .where('c.state', '=', 'active')
      .where('c.last_event_id', 'is not', null);
    if (q.after) s = s.where('c.last_event_id', '>', this.d.idParam(q.after));
    if (q.before) s = s.where('c.last_event_id', '<', this.d.idParam(q.before));
    const rows = await s.orderBy('c.last_event_id', q.ascending ? 'asc' : 'desc').limit(q.limit).execute();
    return rows.map((r) => ({ conversationId: r.id, lastEventId: str(r.last) }));
  }

  /** Stores one event; false when the conversation already holds an event with its `message_id`. */
  async insertEvent(e: ChatEventRow): Promise<boolean> {
    const r = await this.db
      .insertInto('chat_events')
      .values(this.eventValues(e))
      .onConflict((oc) => oc.columns(['conversation_id', 'message_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Bulk insert (the seeded world). */
  async insertEvents(rows: readonly ChatEventRow[]): Promise<void> {
    await inChunks(this.d, rows, 11, (slice) => this.db.insertInto('chat_events').values(slice.map((e) => this.eventValues(e))).execute());
  }

  private eventValues(e: ChatEventRow) {
    return {
      id: this.d.idParam(e.id),
      conversation_id: e.conversationId,
      kind: e.kind,
      sender_id: this.d.idParam(e.senderId),
      message_id: e.messageId,
      encoded_event: e.encodedEvent,
      signature: e.signature ? JSON.stringify(e.signature) : null,
      conversation_token: e.conversationToken,
      key_version: e.keyVersion,
      previous_id: e.previousId === null ? null : this.d.idParam(e.previousId),
      created_at: e.createdAt,
    };
  }

  eventsByIds(ids: readonly string[]): Promise<Map<string, ChatEventRow>> {
    return byIdSet(this.d, ids, (want) => this.db.selectFrom('chat_events').selectAll().where('id', 'in', want).execute(), eventOf);
  }

  /** The event a client id names in a conversation (a retried send finds the first one). */
  async eventByMessageId(conversationId: string, messageId: string): Promise<ChatEventRow | undefined> {
    const r = await this.db.selectFrom('chat_events').selectAll().where('conversation_id', '=', conversationId).where('message_id', '=', messageId).executeTakeFirst();
    return r && eventOf(r);
  }

  /** The newest event id of a conversation (the `previous_id` of the next one). */
  async newestEventId(conversationId: string): Promise<string | null> {
    const r = await this.db.selectFrom('chat_events').select('id').where('conversation_id', '=', conversationId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return r ? str(r.id) : null;
  }

  /** Ids of a conversation's events of one kind from `since` (epoch ms) on, in an exclusive id window. */
  eventIds(q: { conversationId: string; kind: ChatEventRow['kind']; since: number } & IdPageQuery): Promise<string[]> {
    return pageIds(this.db, this.d, 'chat_events', sql`conversation_id = ${q.conversationId} and kind = ${q.kind} and created_at >= ${q.since}`, q);
  }

  /** The encoded actions (key changes, group changes) of a conversation, oldest first. */
  async actionEvents(conversationId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('chat_events').select('encoded_event').where('conversation_id', '=', conversationId).where('kind', '=', 'action').orderBy('id').execute();
    return rows.map((r) => r.encoded_event);
  }

  async putParticipantKeys(rows: readonly ChatParticipantKeyRow[]): Promise<void> {
    await inChunks(this.d, rows, 6, (slice) =>
      this.db
        .insertInto('chat_participant_keys')
        .values(
          slice.map((k) => ({
            conversation_id: k.conversationId,
            key_version: k.keyVersion,
            user_id: this.d.idParam(k.userId),
            encrypted_key: k.encryptedKey,
            public_key_version: k.publicKeyVersion,
            created_at: k.createdAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['conversation_id', 'key_version', 'user_id']).doUpdateSet({ encrypted_key: sql`excluded.encrypted_key`, public_key_version: sql`excluded.public_key_version` }),
        )
        .execute(),
    );
  }

  /** Registers a public key version; false when the user already has that version. */
  async insertPublicKey(k: PublicKeyRow): Promise<boolean> {
    const r = await this.db
      .insertInto('chat_public_keys')
      .values({
        user_id: this.d.idParam(k.userId),
        version: k.version,
        public_key: k.publicKey,
        signing_public_key: k.signingPublicKey,
        identity_public_key_signature: k.identityPublicKeySignature,
        signing_public_key_signature: k.signingPublicKeySignature,
        public_key_fingerprint: k.publicKeyFingerprint,
        registration_method: k.registrationMethod,
        created_at: k.createdAt,
      })
      .onConflict((oc) => oc.columns(['user_id', 'version']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Every registered key of these users, newest registration first, by user id. */
  async publicKeysOf(userIds: readonly string[]): Promise<Map<string, PublicKeyRow[]>> {
    const out = new Map<string, PublicKeyRow[]>();
    const ids = [...new Set(userIds)];
    if (!ids.length) return out;
    const rows = await this.db
      .selectFrom('chat_public_keys')
      .selectAll()
      .where('user_id', 'in', ids.map((i) => this.d.idParam(i)))
      .orderBy('user_id')
      .orderBy('created_at', 'desc')
      .orderBy('version', 'desc')
      .execute();
    for (const r of rows) {
      const k = publicKeyOf(r);
      const list = out.get(k.userId);
      if (list) list.push(k);
      else out.set(k.userId, [k]);
    }
    return out;
  }

  async insertMedia(m: ChatMediaRow): Promise<void> {
    await this.db
      .insertInto('chat_media')
      .values({ upload_id: this.d.idParam(m.uploadId), conversation_id: m.conversationId, media_hash_key: m.mediaHashKey, owner_id: this.d.idParam(m.ownerId), created_at: m.createdAt })
      .execute();
  }

  async mediaByUpload(uploadId: string): Promise<ChatMediaRow | undefined> {
    const r = await this.db.selectFrom('chat_media').selectAll().where('upload_id', '=', this.d.idParam(uploadId)).executeTakeFirst();
    return r && mediaOf(r);
  }

  async mediaByHashKey(conversationId: string, mediaHashKey: string): Promise<ChatMediaRow | undefined> {
    const r = await this.db.selectFrom('chat_media').selectAll().where('conversation_id', '=', conversationId).where('media_hash_key', '=', mediaHashKey).executeTakeFirst();
    return r && mediaOf(r);
  }
}

function conversationOf(r: ChatConversationsTable): ChatConversationRow {
  return {
    id: r.id,
    kind: r.kind as ChatConversationKind,
    state: r.state as ChatConversationRow['state'],
    createdBy: str(r.created_by),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    lastEventId: strOrNull(r.last_event_id),
    keyVersion: r.key_version,
    groupName: r.group_name,
    groupAvatarUrl: r.group_avatar_url,
    groupDescription: r.group_description,
    messageTtlMs: numOrNull(r.message_ttl_ms),
  };
}

function memberOf(r: { conversation_id: string; user_id: unknown; role: string; joined_at: unknown; seen_until: string | null }): ChatMemberRow {
  return { conversationId: r.conversation_id, userId: str(r.user_id), role: r.role as ChatMemberRow['role'], joinedAt: num(r.joined_at), seenUntil: r.seen_until };
}

function eventOf(r: ChatEventsTable): ChatEventRow {
  return {
    id: str(r.id),
    conversationId: r.conversation_id,
    kind: r.kind as ChatEventRow['kind'],
    senderId: str(r.sender_id),
    messageId: r.message_id,
    encodedEvent: r.encoded_event,
    signature: json<Record<string, unknown>>(r.signature),
    conversationToken: r.conversation_token,
    keyVersion: r.key_version,
    previousId: strOrNull(r.previous_id),
    createdAt: num(r.created_at),
  };
}

function publicKeyOf(r: ChatPublicKeysTable): PublicKeyRow {
  return {
    userId: str(r.user_id),
    version: r.version,
    publicKey: r.public_key,
    signingPublicKey: r.signing_public_key,
    identityPublicKeySignature: r.identity_public_key_signature,
    signingPublicKeySignature: r.signing_public_key_signature,
    publicKeyFingerprint: r.public_key_fingerprint,
    registrationMethod: r.registration_method,
    createdAt: num(r.created_at),
  };
}

function mediaOf(r: { upload_id: unknown; conversation_id: string; media_hash_key: string; owner_id: unknown; created_at: unknown }): ChatMediaRow {
  return { uploadId: str(r.upload_id), conversationId: r.conversation_id, mediaHashKey: r.media_hash_key, ownerId: str(r.owner_id), createdAt: num(r.created_at) };
}
