import { sql, type Kysely } from 'kysely';
import type { Database, DmEventsTable } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { inChunks, byIdSet } from './batch.js';
import { json, num, numOrNull, str, strOrNull, toJson, type PostEntities } from './rows.js';

export type DmConversationKind = 'one_to_one' | 'group';
export type DmEventType = 'MessageCreate' | 'ParticipantsJoin' | 'ParticipantsLeave';
/** Who may start a conversation with a user (X's DM setting): anyone, verified accounts, or accounts they follow. */
export type DmAllowFrom = 'everyone' | 'verified' | 'following';

export const DM_EVENT_TYPES: readonly DmEventType[] = ['MessageCreate', 'ParticipantsJoin', 'ParticipantsLeave'];

export interface DmConversationRow {
  /** `<smaller user id>-<larger user id>` for one-to-one conversations, a snowflake for groups. */
  id: string;
  kind: DmConversationKind;
  createdBy: string | null;
  createdAt: number;
}

export interface DmParticipantRow {
  conversationId: string;
  userId: string;
  /** Events before this time (epoch ms) are not the participant's. */
  joinedAt: number;
  /** Set once the participant left: they see nothing of the conversation any more. */
  leftAt: number | null;
}

export interface DmEventRow {
  id: string;
  conversationId: string;
  eventType: DmEventType;
  /** The author of a message; whoever added the participants of a join (null when they joined by themselves). */
  senderId: string | null;
  text: string | null;
  entities: PostEntities | null;
  mediaKeys: string[] | null;
  /** Posts the message links to (`referenced_tweets`). */
  referencedPostIds: string[] | null;
  /** Who joined or left (Join / Leave events). */
  participantIds: string[] | null;
  createdAt: number;
  /** The app a message was sent through (X's `source_app_id`); null when none is known. */
  sourceAppId: string | null;
}

/** A keyset walk over the events a user may see, newest first (oldest first when ascending). */
export interface DmEventQuery {
  userId: string;
  /** Only this conversation's events. */
  conversationId?: string;
  types: readonly DmEventType[];
  /** Exclusive id bounds. */
  after?: string;
  before?: string;
  ascending: boolean;
  limit: number;
}

/** Direct Messages: conversations, their participants and events, and users' DM settings (migration 010). */
export class DirectMessages {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async conversation(id: string): Promise<DmConversationRow | undefined> {
    const r = await this.db.selectFrom('dm_conversations').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, kind: r.kind as DmConversationKind, createdBy: strOrNull(r.created_by), createdAt: num(r.created_at) };
  }

  async insertConversations(rows: readonly DmConversationRow[]): Promise<void> {
    await inChunks(this.d, rows, 4, (slice) =>
      this.db
        .insertInto('dm_conversations')
        .values(slice.map((c) => ({ id: c.id, kind: c.kind, created_by: c.createdBy === null ? null : this.d.idParam(c.createdBy), created_at: c.createdAt })))
        // A one-to-one conversation exists once, whoever writes first.
        .onConflict((oc) => oc.column('id').doNothing())
        .execute(),
    );
  }

  /** Adds participants, or brings back ones who left (from `at` on: what they missed is not theirs). */
  async addParticipants(rows: readonly DmParticipantRow[]): Promise<void> {
    await inChunks(this.d, rows, 4, (slice) =>
      this.db
        .insertInto('dm_participants')
        .values(
          slice.map((p) => ({
            conversation_id: p.conversationId,
            user_id: this.d.idParam(p.userId),
            joined_at: p.joinedAt,
            left_at: p.leftAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['conversation_id', 'user_id']).doUpdateSet({
            joined_at: sql`case when dm_participants.left_at is null then dm_participants.joined_at else excluded.joined_at end`,
            left_at: sql`excluded.left_at`,
          }),
        )
        .execute(),
    );
  }

  /** Every participant row (current and former) of these conversations. */
  async participants(conversationIds: readonly string[]): Promise<Map<string, DmParticipantRow[]>> {
    const out = new Map<string, DmParticipantRow[]>();
    const ids = [...new Set(conversationIds)];
    if (!ids.length) return out;
    const rows = await this.db.selectFrom('dm_participants').selectAll().where('conversation_id', 'in', ids).orderBy('conversation_id').orderBy('joined_at').orderBy('user_id').execute();
    for (const r of rows) {
      const p = participantOf(r);
      const list = out.get(p.conversationId);
      if (list) list.push(p);
      else out.set(p.conversationId, [p]);
    }
    return out;
  }

  /** The user's participant rows in these conversations (current or former), by conversation id. */
  async memberships(userId: string, conversationIds: readonly string[]): Promise<Map<string, DmParticipantRow>> {
    const out = new Map<string, DmParticipantRow>();
    const ids = [...new Set(conversationIds)];
    if (!ids.length) return out;
    const rows = await this.db
      .selectFrom('dm_participants')
      .selectAll()
      .where('user_id', '=', this.d.idParam(userId))
      .where('conversation_id', 'in', ids)
      .execute();
    for (const r of rows) out.set(r.conversation_id, participantOf(r));
    return out;
  }

  async insertEvents(rows: readonly DmEventRow[]): Promise<void> {
    await inChunks(this.d, rows, 10, (slice) =>
      this.db
        .insertInto('dm_events')
        .values(
          slice.map((e) => ({
            id: this.d.idParam(e.id),
            conversation_id: e.conversationId,
            event_type: e.eventType,
            sender_id: e.senderId === null ? null : this.d.idParam(e.senderId),
            text: e.text,
            entities: toJson(e.entities),
            media_keys: toJson(e.mediaKeys),
            referenced_post_ids: toJson(e.referencedPostIds),
            participant_ids: toJson(e.participantIds),
            created_at: e.createdAt,
            source_app_id: e.sourceAppId === null ? null : this.d.idParam(e.sourceAppId),
          })),
        )
        .execute(),
    );
  }

  eventsByIds(ids: readonly string[]): Promise<Map<string, DmEventRow>> {
    return byIdSet(this.d, ids, (want) => this.db.selectFrom('dm_events').selectAll().where('id', 'in', want).execute(), eventOf);
  }

  /** Removes an event; true when there was one. */
  async deleteEvent(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('dm_events').where('id', '=', this.d.idParam(id)).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Ids of the events of conversations the user currently takes part in, from when they joined: the skeleton
   * of every DM list (the rules judge each event again when the page is rendered).
   */
  async eventIds(q: DmEventQuery): Promise<string[]> {
    if (!q.types.length) return [];
    let s = this.db
      .selectFrom('dm_participants as p')
      .innerJoin('dm_events as e', 'e.conversation_id', 'p.conversation_id')
      .select('e.id as id')
      .where('p.user_id', '=', this.d.idParam(q.userId))
      .where('p.left_at', 'is', null)
      .whereRef('e.created_at', '>=', 'p.joined_at')
      .where('e.event_type', 'in', [...q.types]);
    if (q.conversationId !== undefined) s = s.where('p.conversation_id', '=', q.conversationId);
    if (q.after) s = s.where('e.id', '>', this.d.idParam(q.after));
    if (q.before) s = s.where('e.id', '<', this.d.idParam(q.before));
    const rows = await s.orderBy('e.id', q.ascending ? 'asc' : 'desc').limit(q.limit).execute();
    return rows.map((r) => str(r.id));
  }

  /** Whether the user has sent a message in the conversation (they took part: the other side may answer). */
  async hasSent(conversationId: string, userId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('dm_events')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('sender_id', '=', this.d.idParam(userId))
      .where('event_type', '=', 'MessageCreate')
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** DM settings of these users; users without a row are absent (the default applies). */
  async settingsOf(userIds: readonly string[]): Promise<Map<string, DmAllowFrom>> {
    const out = new Map<string, DmAllowFrom>();
    const ids = [...new Set(userIds)];
    if (!ids.length) return out;
    const rows = await this.db.selectFrom('dm_settings').select(['user_id', 'allow_from']).where('user_id', 'in', ids.map((i) => this.d.idParam(i))).execute();
    for (const r of rows) out.set(str(r.user_id), r.allow_from as DmAllowFrom);
    return out;
  }

  async putSettings(rows: readonly { userId: string; allowFrom: DmAllowFrom; at: number }[]): Promise<void> {
    await inChunks(this.d, rows, 3, (slice) =>
      this.db
        .insertInto('dm_settings')
        .values(slice.map((r) => ({ user_id: this.d.idParam(r.userId), allow_from: r.allowFrom, updated_at: r.at })))
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ allow_from: sql`excluded.allow_from`, updated_at: sql`excluded.updated_at` }))
        .execute(),
    );
  }
}

function participantOf(r: { conversation_id: string; user_id: unknown; joined_at: unknown; left_at: unknown }): DmParticipantRow {
  return { conversationId: r.conversation_id, userId: str(r.user_id), joinedAt: num(r.joined_at), leftAt: numOrNull(r.left_at) };
}

function eventOf(r: DmEventsTable): DmEventRow {
  return {
    id: str(r.id),
    conversationId: r.conversation_id,
    eventType: r.event_type as DmEventType,
    senderId: strOrNull(r.sender_id),
    text: r.text,
    entities: json<PostEntities>(r.entities),
    mediaKeys: json<string[]>(r.media_keys),
    referencedPostIds: json<string[]>(r.referenced_post_ids),
    participantIds: json<string[]>(r.participant_ids),
    createdAt: num(r.created_at),
    sourceAppId: strOrNull(r.source_app_id),
  };
}
