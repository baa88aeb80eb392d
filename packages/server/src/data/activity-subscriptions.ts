/** X Activity API subscriptions (migration 012): an app's interest in one event type, filtered by user or keyword. */
import type { Kysely } from 'kysely';
import type { ReadFn } from '../db/connect.js';
import type { Dialect } from '../db/dialect.js';
import { readInSlices } from './batch.js';
import { countOfApp } from './per-app.js';
import type { ActivitySubscriptionsTable, Database } from '../db/tables.js';
import { num, str, strOrNull } from './rows.js';

export interface ActivitySubscriptionRow {
  id: string;
  appId: string;
  eventType: string;
  userId: string | null;
  keyword: string | null;
  direction: 'inbound' | 'outbound' | null;
  tag: string | null;
  /** Where events go besides the app's activity streams; null: streams only. */
  webhookId: string | null;
  createdAt: number;
  updatedAt: number;
}

const rowOf = (r: ActivitySubscriptionsTable): ActivitySubscriptionRow => ({
  id: str(r.id),
  appId: str(r.app_id),
  eventType: r.event_type,
  userId: strOrNull(r.user_id),
  keyword: strOrNull(r.keyword),
  direction: strOrNull(r.direction) as ActivitySubscriptionRow['direction'],
  tag: strOrNull(r.tag),
  webhookId: strOrNull(r.webhook_id),
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
});

export class ActivitySubscriptions {
  /** The columns fan-out reads (hand-written: once per batch of outbox rows, at the write rate), ids as text. */
  private readonly columns: string;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly read: ReadFn,
  ) {
    const ids = new Set(['id', 'app_id', 'user_id', 'webhook_id']);
    this.columns = ['id', 'app_id', 'event_type', 'user_id', 'keyword', 'direction', 'tag', 'webhook_id', 'created_at', 'updated_at'].map((c) => (ids.has(c) ? d.textId(c) : c)).join(', ');
  }

  private idOrNull = (v: string | null) => (v === null ? null : this.d.idParam(v));

  async insert(s: ActivitySubscriptionRow): Promise<void> {
    await this.db
      .insertInto('activity_subscriptions')
      .values({
        id: this.d.idParam(s.id),
        app_id: this.d.idParam(s.appId),
        event_type: s.eventType,
        user_id: this.idOrNull(s.userId),
        keyword: s.keyword,
        direction: s.direction,
        tag: s.tag,
        webhook_id: this.idOrNull(s.webhookId),
        created_at: s.createdAt,
        updated_at: s.updatedAt,
      })
      .execute();
  }

  /** An app's subscriptions in id order: all, or a page after `afterId`. */
  async byApp(appId: string, q: { afterId?: string; limit?: number } = {}): Promise<ActivitySubscriptionRow[]> {
    let s = this.db.selectFrom('activity_subscriptions').selectAll().where('app_id', '=', this.d.idParam(appId));
    if (q.afterId) s = s.where('id', '>', this.d.idParam(q.afterId));
    s = s.orderBy('id');
    if (q.limit !== undefined) s = s.limit(q.limit);
    return (await s.execute()).map(rowOf);
  }

  async byIds(appId: string, ids: readonly string[]): Promise<Map<string, ActivitySubscriptionRow>> {
    const out = new Map<string, ActivitySubscriptionRow>();
    if (!ids.length) return out;
    const rows = await this.db
      .selectFrom('activity_subscriptions')
      .selectAll()
      .where('app_id', '=', this.d.idParam(appId))
      .where('id', 'in', ids.map((i) => this.d.idParam(i)))
      .execute();
    for (const r of rows) out.set(str(r.id), rowOf(r));
    return out;
  }

  async countByApp(appId: string): Promise<number> {
    return countOfApp(this.db, this.d, 'activity_subscriptions', appId);
  }

  /** Changes the tag and/or the webhook of a subscription; `undefined` keeps a value. */
  async update(appId: string, id: string, set: { tag?: string; webhookId?: string }, at: number): Promise<void> {
    await this.db
      .updateTable('activity_subscriptions')
      .set({
        updated_at: at,
        ...(set.tag !== undefined ? { tag: set.tag } : {}),
        ...(set.webhookId !== undefined ? { webhook_id: this.d.idParam(set.webhookId) } : {}),
      })
      .where('app_id', '=', this.d.idParam(appId))
      .where('id', '=', this.d.idParam(id))
      .execute();
  }

  /** Deletes these subscriptions of the app; returns the ids actually deleted. */
  async delete(appId: string, ids: readonly string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .deleteFrom('activity_subscriptions')
      .where('app_id', '=', this.d.idParam(appId))
      .where('id', 'in', ids.map((i) => this.d.idParam(i)))
      .returning('id')
      .execute();
    return rows.map((r) => str(r.id));
  }

  /**
   * Whether any subscription filters by user (the ones fan-out matches), of those delivering to a webhook when
   * `webhooksOnly`: fan-out asks once per batch before loading what matching needs.
   */
  async anyByUser(webhooksOnly: boolean): Promise<boolean> {
    const rows = await this.read(`select 1 as x from activity_subscriptions where user_id is not null${webhooksOnly ? ' and webhook_id is not null' : ''} limit 1`, []);
    return rows.length > 0;
  }

  /** Subscriptions to these event types whose user filter names one of these users (fan-out of a batch), in id order. */
  async matching(eventTypes: readonly string[], userIds: readonly string[]): Promise<ActivitySubscriptionRow[]> {
    const types = [...new Set(eventTypes)];
    const users = [...new Set(userIds)].map((u) => this.d.idParam(u));
    if (!types.length) return [];
    const rows = await readInSlices(this.d, users, types.length, (part) =>
      this.read<ActivitySubscriptionsTable>(
        this.d.numbered(`select ${this.columns} from activity_subscriptions where event_type in (${types.map(() => '?').join(', ')}) and user_id in (${part.map(() => '?').join(', ')})`),
        [...types, ...part],
      ),
    );
    // In id order across the slices (ids are numbers: compared as such, not as text).
    return rows.map(rowOf).sort((x, y) => (BigInt(x.id) < BigInt(y.id) ? -1 : 1));
  }

  /** Drops the webhook of subscriptions delivering to a deleted webhook (they keep streaming). */
  async detachWebhook(webhookId: string, at: number): Promise<void> {
    await this.db
      .updateTable('activity_subscriptions')
      .set({ webhook_id: null, updated_at: at })
      .where('webhook_id', '=', this.d.idParam(webhookId))
      .execute();
  }
}
