/**
 * Webhooks and what hangs off them (migration 012): registered URLs per app with their CRC state, Account Activity
 * subscriptions (webhook, user) and filtered-stream links (app, webhook, stream parameters).
 */
import type { Kysely } from 'kysely';
import type { ReadFn } from '../db/connect.js';
import type { Dialect } from '../db/dialect.js';
import { readInSlices } from './batch.js';
import { countOfApp } from './per-app.js';
import type { AaaSubscriptionsTable, Database, StreamLinksTable, WebhooksTable } from '../db/tables.js';
import { bool, num, numOrNull, str, strOrNull } from './rows.js';

export interface WebhookRow {
  id: string;
  appId: string;
  url: string;
  /** Whether the last CRC passed (deliveries wait while it is false). */
  valid: boolean;
  createdAt: number;
  crcCheckedAt: number | null;
  crcOkAt: number | null;
  /** Why the last CRC failed, in words (shown by the CLI). */
  crcFailure: string | null;
}

export interface AaaSubscriptionRow {
  webhookId: string;
  userId: string;
  appId: string;
  createdAt: number;
}

export interface StreamLinkRow {
  appId: string;
  webhookId: string;
  /** The filtered-stream parameters given when linking (fields, expansions), as sent. */
  params: Record<string, string>;
  createdAt: number;
}

const webhookOf = (r: WebhooksTable): WebhookRow => ({
  id: str(r.id),
  appId: str(r.app_id),
  url: r.url,
  valid: bool(r.valid),
  createdAt: num(r.created_at),
  crcCheckedAt: numOrNull(r.crc_checked_at),
  crcOkAt: numOrNull(r.crc_ok_at),
  crcFailure: strOrNull(r.crc_failure),
});

const subscriptionOf = (r: AaaSubscriptionsTable): AaaSubscriptionRow => ({
  webhookId: str(r.webhook_id),
  userId: str(r.user_id),
  appId: str(r.app_id),
  createdAt: num(r.created_at),
});

const linkOf = (r: StreamLinksTable): StreamLinkRow => ({
  appId: str(r.app_id),
  webhookId: str(r.webhook_id),
  params: JSON.parse(r.params) as Record<string, string>,
  createdAt: num(r.created_at),
});

export class Webhooks {
  /**
   * Fan-out's statements (delivery/ runs them once per batch of outbox rows, at the write rate): hand-written,
   * ids selected as text (direct reads).
   */
  private readonly sql: { anySubscription: string; subscriptionsFor: (n: number) => string; allLinks: string };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly read: ReadFn,
  ) {
    const ids = ['webhook_id', 'user_id', 'app_id'].map((c) => d.textId(c)).join(', ');
    // Ordered by the columns (`s.`, `l.`), not by the text the ids are selected as.
    this.sql = {
      anySubscription: 'select 1 as x from aaa_subscriptions limit 1',
      subscriptionsFor: (n) => `select ${ids}, created_at from aaa_subscriptions s where user_id in (${d.placeholders(n)}) order by s.webhook_id, s.user_id`,
      allLinks: `select ${d.textId('app_id')}, ${d.textId('webhook_id')}, params, created_at from stream_links l order by l.app_id, l.created_at`,
    };
  }

  // ---- webhooks ----

  /** Inserts a webhook unless the app already has one with this URL; false when it had. */
  async insert(w: WebhookRow): Promise<boolean> {
    const r = await this.db
      .insertInto('webhooks')
      .values({
        id: this.d.idParam(w.id),
        app_id: this.d.idParam(w.appId),
        url: w.url,
        valid: w.valid ? 1 : 0,
        created_at: w.createdAt,
        crc_checked_at: w.crcCheckedAt,
        crc_ok_at: w.crcOkAt,
        crc_failure: w.crcFailure,
      })
      .onConflict((oc) => oc.columns(['app_id', 'url']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async byApp(appId: string): Promise<WebhookRow[]> {
    const rows = await this.db.selectFrom('webhooks').selectAll().where('app_id', '=', this.d.idParam(appId)).orderBy('id').execute();
    return rows.map(webhookOf);
  }

  async byUrl(appId: string, url: string): Promise<WebhookRow | undefined> {
    const r = await this.db.selectFrom('webhooks').selectAll().where('app_id', '=', this.d.idParam(appId)).where('url', '=', url).executeTakeFirst();
    return r ? webhookOf(r) : undefined;
  }

  async byIds(ids: readonly string[]): Promise<Map<string, WebhookRow>> {
    const out = new Map<string, WebhookRow>();
    if (!ids.length) return out;
    const rows = await this.db.selectFrom('webhooks').selectAll().where('id', 'in', ids.map((i) => this.d.idParam(i))).execute();
    for (const r of rows) out.set(str(r.id), webhookOf(r));
    return out;
  }

  async byId(id: string): Promise<WebhookRow | undefined> {
    return (await this.byIds([id])).get(id);
  }

  async all(): Promise<WebhookRow[]> {
    return (await this.db.selectFrom('webhooks').selectAll().orderBy('id').execute()).map(webhookOf);
  }

  async countByApp(appId: string): Promise<number> {
    return countOfApp(this.db, this.d, 'webhooks', appId);
  }

  /**
   * Records a CRC check: a pass makes the webhook valid; a failure keeps `valid` as the caller decides (a transient
   * failure within the grace period keeps it) and notes why.
   */
  async recordCrc(id: string, at: number, o: { passed: true } | { passed: false; valid: boolean; failure: string }): Promise<void> {
    await this.db
      .updateTable('webhooks')
      .set(o.passed ? { valid: 1, crc_checked_at: at, crc_ok_at: at, crc_failure: null } : { valid: o.valid ? 1 : 0, crc_checked_at: at, crc_failure: o.failure })
      .where('id', '=', this.d.idParam(id))
      .execute();
  }

  /** Webhooks whose last CRC ran before `before` (the periodic check), oldest check first. */
  async uncheckedSince(before: number, limit: number): Promise<WebhookRow[]> {
    const rows = await this.db
      .selectFrom('webhooks')
      .selectAll()
      .where((e) => e.or([e('crc_checked_at', 'is', null), e('crc_checked_at', '<', before)]))
      .orderBy('crc_checked_at')
      .limit(limit)
      .execute();
    return rows.map(webhookOf);
  }

  /** Deletes a webhook of an app with its subscriptions and links; false when the app has no such webhook. */
  async delete(appId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('webhooks').where('id', '=', this.d.idParam(id)).where('app_id', '=', this.d.idParam(appId)).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return false;
    await this.db.deleteFrom('aaa_subscriptions').where('webhook_id', '=', this.d.idParam(id)).execute();
    await this.db.deleteFrom('stream_links').where('webhook_id', '=', this.d.idParam(id)).execute();
    return true;
  }

  // ---- Account Activity subscriptions ----

  /** Subscribes a user; false when already subscribed. */
  async subscribe(s: AaaSubscriptionRow): Promise<boolean> {
    const r = await this.db
      .insertInto('aaa_subscriptions')
      .values({ webhook_id: this.d.idParam(s.webhookId), user_id: this.d.idParam(s.userId), app_id: this.d.idParam(s.appId), created_at: s.createdAt })
      .onConflict((oc) => oc.columns(['webhook_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async unsubscribe(webhookId: string, userId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('aaa_subscriptions')
      .where('webhook_id', '=', this.d.idParam(webhookId))
      .where('user_id', '=', this.d.idParam(userId))
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async isSubscribed(webhookId: string, userId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('aaa_subscriptions')
      .select('user_id')
      .where('webhook_id', '=', this.d.idParam(webhookId))
      .where('user_id', '=', this.d.idParam(userId))
      .executeTakeFirst();
    return r !== undefined;
  }

  async subscriptionsOf(webhookId: string): Promise<AaaSubscriptionRow[]> {
    const rows = await this.db.selectFrom('aaa_subscriptions').selectAll().where('webhook_id', '=', this.d.idParam(webhookId)).orderBy('created_at').orderBy('user_id').execute();
    return rows.map(subscriptionOf);
  }

  /** Whether any webhook has any subscribed user (fan-out asks once per batch before loading what users need). */
  async anySubscription(): Promise<boolean> {
    return (await this.read(this.sql.anySubscription, [])).length > 0;
  }

  /** Subscriptions of any webhook for these users (fan-out of a batch of events), by webhook and user. */
  async subscriptionsFor(userIds: readonly string[]): Promise<AaaSubscriptionRow[]> {
    const want = [...new Set(userIds)].map((u) => this.d.idParam(u));
    const rows = await readInSlices(this.d, want, 0, (part) => this.read<AaaSubscriptionsTable>(this.sql.subscriptionsFor(part.length), part));
    return rows.map(subscriptionOf);
  }

  async subscriptionCount(appId: string): Promise<number> {
    return countOfApp(this.db, this.d, 'aaa_subscriptions', appId);
  }

  // ---- filtered-stream links ----

  /** Links (or re-links with new parameters) a webhook to the app's filtered stream. */
  async link(l: StreamLinkRow): Promise<void> {
    const params = JSON.stringify(l.params);
    await this.db
      .insertInto('stream_links')
      .values({ app_id: this.d.idParam(l.appId), webhook_id: this.d.idParam(l.webhookId), params, created_at: l.createdAt })
      .onConflict((oc) => oc.columns(['app_id', 'webhook_id']).doUpdateSet({ params }))
      .execute();
  }

  async unlink(appId: string, webhookId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('stream_links')
      .where('app_id', '=', this.d.idParam(appId))
      .where('webhook_id', '=', this.d.idParam(webhookId))
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async linksOf(appId: string): Promise<StreamLinkRow[]> {
    const rows = await this.db.selectFrom('stream_links').selectAll().where('app_id', '=', this.d.idParam(appId)).orderBy('created_at').execute();
    return rows.map(linkOf);
  }

  /** Every link of every app (fan-out of a batch of posts), by app and age. */
  async allLinks(): Promise<StreamLinkRow[]> {
    return (await this.read<StreamLinksTable>(this.sql.allLinks, [])).map(linkOf);
  }
}
