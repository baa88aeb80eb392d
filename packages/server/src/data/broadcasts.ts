import type { Kysely, Selectable } from 'kysely';
import type { BroadcastChatsTable, Database, ScheduledBroadcastsTable } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import type { Edge, EdgePageQuery } from './edges.js';
import { bool, num, numOrNull, str } from './rows.js';

/** A scheduled broadcast as stored: its state follows from `liveAt`, `scheduledEnd` and the server clock. */
export interface ScheduledBroadcastRow {
  id: string;
  broadcastId: string;
  ownerId: string;
  sourceId: string;
  title: string;
  description: string;
  locale: string;
  chatOption: string | null;
  telecastId: string | null;
  thumbnailMediaId: string | null;
  availableForReplay: boolean;
  manualPublish: boolean;
  isLocked: boolean;
  recurringScheduleId: string | null;
  scheduledStart: number;
  scheduledEnd: number;
  createdAt: number;
  liveAt: number | null;
}

export interface BroadcastChatRow {
  id: string;
  broadcastId: string;
  senderId: string;
  text: string;
  createdAt: number;
}

/** The owner's broadcasts to page through: not ended by `now`, starting within the window (inclusive, epoch ms). */
export interface OwnedBroadcastsQuery extends EdgePageQuery {
  ownerId: string;
  now: number;
  oldestStart?: number;
  newestStart?: number;
}

function fromDb(r: Selectable<ScheduledBroadcastsTable>): ScheduledBroadcastRow {
  return {
    id: r.id,
    broadcastId: r.broadcast_id,
    ownerId: str(r.owner_id),
    sourceId: r.source_id,
    title: r.title,
    description: r.description,
    locale: r.locale,
    chatOption: r.chat_option,
    telecastId: r.telecast_id,
    thumbnailMediaId: r.thumbnail_media_id,
    availableForReplay: bool(r.available_for_replay),
    manualPublish: bool(r.manual_publish),
    isLocked: bool(r.is_locked),
    recurringScheduleId: r.recurring_schedule_id,
    scheduledStart: num(r.scheduled_start),
    scheduledEnd: num(r.scheduled_end),
    createdAt: num(r.created_at),
    liveAt: numOrNull(r.live_at),
  };
}

/** Scheduled broadcasts and their chat messages. */
export class Broadcasts {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async byIds(ids: readonly string[]): Promise<Map<string, ScheduledBroadcastRow>> {
    const out = new Map<string, ScheduledBroadcastRow>();
    if (!ids.length) return out;
    for (const r of await this.db.selectFrom('scheduled_broadcasts').selectAll().where('id', 'in', [...ids]).execute()) out.set(r.id, fromDb(r));
    return out;
  }

  /** The scheduled broadcast whose broadcast (chat) id this is. */
  async byBroadcastId(broadcastId: string): Promise<ScheduledBroadcastRow | undefined> {
    const r = await this.db.selectFrom('scheduled_broadcasts').selectAll().where('broadcast_id', '=', broadcastId).executeTakeFirst();
    return r && fromDb(r);
  }

  /**
   * The owner's broadcasts walked by (scheduled start, id), latest start first (previous pages: earliest first
   * from the key); those that ended by `now` — past their scheduled end — are left out.
   */
  async owned(q: OwnedBroadcastsQuery): Promise<Edge[]> {
    let sel = this.db
      .selectFrom('scheduled_broadcasts')
      .select(['id', 'scheduled_start'])
      .where('owner_id', '=', this.d.idParam(q.ownerId))
      .where('scheduled_end', '>', q.now);
    if (q.oldestStart !== undefined) sel = sel.where('scheduled_start', '>=', q.oldestStart);
    if (q.newestStart !== undefined) sel = sel.where('scheduled_start', '<=', q.newestStart);
    const from = q.from;
    if (from) {
      const cmp = q.ascending ? '>' : '<';
      sel = sel.where((eb) => eb.or([eb('scheduled_start', cmp, from.at), eb.and([eb('scheduled_start', '=', from.at), eb('id', cmp, from.id)])]));
    }
    const dir = q.ascending ? 'asc' : 'desc';
    const rows = await sel.orderBy('scheduled_start', dir).orderBy('id', dir).limit(q.limit).execute();
    return rows.map((r) => ({ id: r.id, at: num(r.scheduled_start) }));
  }

  /** The occurrences of a recurring schedule starting at or after `fromStart`, earliest first. */
  async series(recurringScheduleId: string, fromStart: number): Promise<ScheduledBroadcastRow[]> {
    const rows = await this.db
      .selectFrom('scheduled_broadcasts')
      .selectAll()
      .where('recurring_schedule_id', '=', recurringScheduleId)
      .where('scheduled_start', '>=', fromStart)
      .orderBy('scheduled_start', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(fromDb);
  }

  async insertMany(rows: readonly ScheduledBroadcastRow[]): Promise<void> {
    if (!rows.length) return;
    await this.db.insertInto('scheduled_broadcasts').values(rows.map((b) => toDb(b, this.d))).execute();
  }

  /** Writes every column but the ids, the owner and the creation time. */
  async update(b: ScheduledBroadcastRow): Promise<void> {
    const { id: _id, broadcast_id: _b, owner_id: _o, created_at: _c, ...cols } = toDb(b, this.d);
    await this.db.updateTable('scheduled_broadcasts').set(cols).where('id', '=', b.id).execute();
  }

  /** Marks it live at `at` unless it already is (false then: another request went live first). */
  async goLive(id: string, at: number): Promise<boolean> {
    const r = await this.db.updateTable('scheduled_broadcasts').set({ live_at: at }).where('id', '=', id).where('live_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async delete(ids: readonly string[]): Promise<number> {
    if (!ids.length) return 0;
    const r = await this.db.deleteFrom('scheduled_broadcasts').where('id', 'in', [...ids]).executeTakeFirst();
    return Number(r.numDeletedRows ?? 0n);
  }

  async insertChat(m: BroadcastChatRow): Promise<void> {
    await this.db
      .insertInto('broadcast_chats')
      .values({ id: this.d.idParam(m.id), broadcast_id: m.broadcastId, sender_id: this.d.idParam(m.senderId), text: m.text, created_at: m.createdAt })
      .execute();
  }

  /** A broadcast's chat, oldest first. */
  async chat(broadcastId: string): Promise<BroadcastChatRow[]> {
    const rows = await this.db.selectFrom('broadcast_chats').selectAll().where('broadcast_id', '=', broadcastId).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
    return rows.map((r: Selectable<BroadcastChatsTable>) => ({ id: str(r.id), broadcastId: r.broadcast_id, senderId: str(r.sender_id), text: r.text, createdAt: num(r.created_at) }));
  }
}

function toDb(b: ScheduledBroadcastRow, d: Dialect) {
  return {
    id: b.id,
    broadcast_id: b.broadcastId,
    owner_id: d.idParam(b.ownerId),
    source_id: b.sourceId,
    title: b.title,
    description: b.description,
    locale: b.locale,
    chat_option: b.chatOption,
    telecast_id: b.telecastId,
    thumbnail_media_id: b.thumbnailMediaId,
    available_for_replay: b.availableForReplay ? 1 : 0,
    manual_publish: b.manualPublish ? 1 : 0,
    is_locked: b.isLocked ? 1 : 0,
    recurring_schedule_id: b.recurringScheduleId,
    scheduled_start: b.scheduledStart,
    scheduled_end: b.scheduledEnd,
    created_at: b.createdAt,
    live_at: b.liveAt,
  };
}
