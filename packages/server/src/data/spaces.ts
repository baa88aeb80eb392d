import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, SpacesTable } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import type { Edge, EdgePageQuery } from './edges.js';
import { bool, json, num, numOrNull, str } from './rows.js';

/** A Space as stored: its timeline (announced start, going live, end) decides its state at any clock time. */
export interface SpaceRow {
  id: string;
  creatorId: string;
  title: string;
  lang: string;
  isTicketed: boolean;
  createdAt: number;
  scheduledStart: number | null;
  liveAt: number | null;
  endAt: number | null;
  hostIds: string[];
  speakerIds: string[];
  invitedUserIds: string[];
  topicIds: string[];
  participantCount: number;
  subscriberCount: number;
}

export interface TopicRow {
  id: string;
  name: string;
  description: string | null;
}

function fromDb(r: Selectable<SpacesTable>): SpaceRow {
  return {
    id: r.id,
    creatorId: str(r.creator_id),
    title: r.title,
    lang: r.lang,
    isTicketed: bool(r.is_ticketed),
    createdAt: num(r.created_at),
    scheduledStart: numOrNull(r.scheduled_start),
    liveAt: numOrNull(r.live_at),
    endAt: numOrNull(r.end_at),
    hostIds: json<string[]>(r.host_ids) ?? [],
    speakerIds: json<string[]>(r.speaker_ids) ?? [],
    invitedUserIds: json<string[]>(r.invited_user_ids) ?? [],
    topicIds: json<string[]>(r.topic_ids) ?? [],
    participantCount: num(r.participant_count),
    subscriberCount: num(r.subscriber_count),
  };
}

/** Spaces, their ticket buyers and the topic catalogue. */
export class Spaces {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async byIds(ids: readonly string[]): Promise<Map<string, SpaceRow>> {
    const out = new Map<string, SpaceRow>();
    if (!ids.length) return out;
    for (const r of await this.db.selectFrom('spaces').selectAll().where('id', 'in', [...ids]).execute()) out.set(r.id, fromDb(r));
    return out;
  }

  /** Every Space of these creators, newest first. */
  async byCreators(creatorIds: readonly string[]): Promise<SpaceRow[]> {
    if (!creatorIds.length) return [];
    const rows = await this.db
      .selectFrom('spaces')
      .selectAll()
      .where('creator_id', 'in', creatorIds.map((c) => this.d.idParam(c)))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(fromDb);
  }

  /** Spaces whose title contains every word (case-folded), newest first; at most `limit`. */
  async byTitleWords(words: readonly string[], limit: number): Promise<SpaceRow[]> {
    let q = this.db.selectFrom('spaces').selectAll();
    for (const w of words) q = q.where(sql<boolean>`title_lower like ${`%${escapeLike(w)}%`} escape '\\'`);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(fromDb);
  }

  async insert(s: SpaceRow): Promise<void> {
    await this.db.insertInto('spaces').values(toDb(s, this.d)).execute();
  }

  async insertMany(rows: readonly SpaceRow[]): Promise<void> {
    for (const s of rows) await this.insert(s);
  }

  /** Moves a Space's going-live and end moments (the state machine's only inputs besides the clock). */
  async setTimeline(id: string, t: { liveAt: number | null; endAt: number | null }): Promise<void> {
    await this.db.updateTable('spaces').set({ live_at: t.liveAt, end_at: t.endAt }).where('id', '=', id).execute();
  }

  async insertBuyers(rows: readonly { spaceId: string; userId: string; at: number }[]): Promise<void> {
    if (!rows.length) return;
    await this.db
      .insertInto('space_buyers')
      .values(rows.map((r) => ({ space_id: r.spaceId, user_id: this.d.idParam(r.userId), created_at: r.at })))
      .execute();
  }

  /** Ticket buyers of a Space walked newest first by (purchase time, user id). */
  async buyers(spaceId: string, q: EdgePageQuery): Promise<Edge[]> {
    const dir = sql.raw(q.ascending ? 'asc' : 'desc');
    let from = sql``;
    if (q.from) {
      const cmp = sql.raw(q.ascending ? '>' : '<');
      from = sql` and (created_at ${cmp} ${q.from.at} or (created_at = ${q.from.at} and user_id ${cmp} ${this.d.idParam(q.from.id)}))`;
    }
    const r = await sql<{ user_id: string | bigint; created_at: number | bigint | string }>`select ${sql.raw(this.d.textId('user_id'))}, created_at from space_buyers where space_id = ${spaceId}${from} order by created_at ${dir}, user_id ${dir} limit ${q.limit}`.execute(this.db);
    return r.rows.map((row) => ({ id: str(row.user_id), at: num(row.created_at) }));
  }

  async insertTopics(rows: readonly TopicRow[]): Promise<void> {
    if (!rows.length) return;
    await this.db
      .insertInto('topics')
      .values(rows.map((t) => ({ id: this.d.idParam(t.id), name: t.name, description: t.description })))
      .execute();
  }

  async topicsByIds(ids: readonly string[]): Promise<Map<string, TopicRow>> {
    const out = new Map<string, TopicRow>();
    if (!ids.length) return out;
    const rows = await this.db.selectFrom('topics').selectAll().where('id', 'in', ids.map((i) => this.d.idParam(i))).execute();
    for (const r of rows) out.set(str(r.id), { id: str(r.id), name: r.name, description: r.description });
    return out;
  }
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

function toDb(s: SpaceRow, d: Dialect) {
  return {
    id: s.id,
    creator_id: d.idParam(s.creatorId),
    title: s.title,
    title_lower: s.title.toLowerCase(),
    lang: s.lang,
    is_ticketed: s.isTicketed ? 1 : 0,
    created_at: s.createdAt,
    scheduled_start: s.scheduledStart,
    live_at: s.liveAt,
    end_at: s.endAt,
    host_ids: JSON.stringify(s.hostIds),
    speaker_ids: JSON.stringify(s.speakerIds),
    invited_user_ids: JSON.stringify(s.invitedUserIds),
    topic_ids: JSON.stringify(s.topicIds),
    participant_count: s.participantCount,
    subscriber_count: s.subscriberCount,
  };
}
