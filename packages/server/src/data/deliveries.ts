/**
 * Event delivery storage (migration 012), the delivery engine's state (delivery/engine.ts holds the algorithms):
 * - the outbox: events of committed writes, inserted in the write's own transaction, claimed under a lease by one
 *   worker, fanned out and removed;
 * - deliveries: one POST per webhook and event with its body and schedule (pending → delivered | dead |
 *   cancelled), claimed under a lease for each attempt; every attempt is recorded;
 * - replay jobs: a window of a webhook's deliveries sent again.
 */
import type { Kysely } from 'kysely';
import type { ReadFn } from '../db/connect.js';
import type { Dialect } from '../db/dialect.js';
import { readInSlices } from './batch.js';
import type { Database, WebhookDeliveriesTable, WebhookReplayJobsTable } from '../db/tables.js';
import { num, numOrNull, str, strOrNull } from './rows.js';
import type { DeferredWrites } from './deferred.js';

export interface OutboxRow {
  id: string;
  type: string;
  /** The event as published on the bus, as JSON. */
  event: string;
  at: number;
}

export type DeliveryKind = 'account_activity' | 'activity' | 'filtered_stream' | 'replay_status';
export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

export interface DeliveryRow {
  /** The delivery id: the same on every attempt of this POST (receivers deduplicate on it). */
  id: string;
  webhookId: string;
  appId: string;
  /** The event this delivery carries (the outbox id); replays of it carry the same one. */
  eventId: string;
  kind: DeliveryKind;
  eventType: string;
  forUserId: string | null;
  body: string;
  /** What metering charges when the POST succeeds (X Activity events; micro-dollars). */
  priceMicros: number;
  /**
   * The key the charge is deduplicated under (an X Activity event: `activityChargeKey`, shared with the activity
   * streams); null: every successful delivery is charged.
   */
  chargeKey: string | null;
  eventAt: number;
  createdAt: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  finishedAt: number | null;
  replayJobId: string | null;
}

export interface AttemptRow {
  deliveryId: string;
  attempt: number;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

export interface ReplayJobRow {
  id: string;
  webhookId: string;
  appId: string;
  fromAt: number;
  toAt: number;
  createdAt: number;
  status: 'in_progress' | 'complete' | 'incomplete';
  finishedAt: number | null;
}

const deliveryOf = (r: WebhookDeliveriesTable): DeliveryRow => ({
  id: str(r.id),
  webhookId: str(r.webhook_id),
  appId: str(r.app_id),
  eventId: str(r.event_id),
  kind: r.kind as DeliveryKind,
  eventType: r.event_type,
  forUserId: strOrNull(r.for_user_id),
  body: r.body,
  priceMicros: num(r.price_micros),
  chargeKey: r.charge_key ?? null,
  eventAt: num(r.event_at),
  createdAt: num(r.created_at),
  status: r.status as DeliveryStatus,
  attempts: num(r.attempts),
  nextAttemptAt: num(r.next_attempt_at),
  lastStatus: numOrNull(r.last_status),
  lastError: strOrNull(r.last_error),
  finishedAt: numOrNull(r.finished_at),
  replayJobId: strOrNull(r.replay_job_id),
});

const jobOf = (r: WebhookReplayJobsTable): ReplayJobRow => ({
  id: str(r.id),
  webhookId: str(r.webhook_id),
  appId: str(r.app_id),
  fromAt: num(r.from_at),
  toAt: num(r.to_at),
  createdAt: num(r.created_at),
  status: r.status as ReplayJobRow['status'],
  finishedAt: numOrNull(r.finished_at),
});

/** What one finished attempt changes: the delivery's new state and the attempt's record. */
export interface AttemptOutcome {
  attempt: AttemptRow;
  status: DeliveryStatus;
  nextAttemptAt: number;
  finishedAt: number | null;
}

export class Deliveries {
  /** The outbox's statements, hand-written: the engine runs them once per batch of outbox rows, at the write rate. */
  private readonly claimSql: string;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly read: ReadFn,
    /** Inside a transaction: where outbox rows wait for the batch's one multi-row insert. */
    private readonly deferred: DeferredWrites | null = null,
  ) {
    // One statement: rows are taken only while free (`lease_until <= now`, checked again on the row itself, so a
    // concurrent claim by another node that got there first wins), and the taker learns which it got.
    this.claimSql = d.numbered(
      `update event_outbox set lease_until = ?, lease_owner = ? where id in (select id from event_outbox where lease_until <= ? order by id limit ?${d.skipLocked}) ` +
        `and lease_until <= ? returning ${d.textId('id')}, type, event, at`,
    );
  }

  private ids = (xs: readonly string[]) => xs.map((x) => this.d.idParam(x));

  // ---- outbox ----

  /** Called inside a write's transaction: the events it implies that may need delivery. */
  async enqueue(rows: readonly OutboxRow[]): Promise<void> {
    if (!rows.length) return;
    if (this.deferred) return this.deferred.outbox(rows);
    await this.db
      .insertInto('event_outbox')
      .values(rows.map((r) => ({ id: this.d.idParam(r.id), type: r.type, event: r.event, at: r.at, lease_until: 0, lease_owner: null })))
      .execute();
  }

  /** Takes up to `limit` outbox rows no one holds (oldest first) for `owner` until `until`; the rows taken, oldest first. */
  async claimOutbox(owner: string, now: number, until: number, limit: number): Promise<OutboxRow[]> {
    const rows = await this.read<{ id: string; type: string; event: string; at: number | string }>(this.claimSql, [until, owner, now, Math.trunc(limit), now]);
    return rows.map((r) => ({ id: str(r.id), type: r.type, event: r.event, at: num(r.at) })).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  /**
   * Removes fanned-out outbox rows that `owner` still holds; returns the ids removed. A row missing from the answer
   * was taken by another worker after this one's lease ran out (or is gone): its deliveries are that worker's to make.
   */
  async releaseOutbox(ids: readonly string[], owner: string): Promise<Set<string>> {
    const rows = await readInSlices(this.d, this.ids([...new Set(ids)]), 1, (part) =>
      this.read<{ id: string }>(this.d.numbered(`delete from event_outbox where lease_owner = ? and id in (${part.map(() => '?').join(', ')}) returning ${this.d.textId('id')}`), [owner, ...part]),
    );
    return new Set(rows.map((r) => str(r.id)));
  }

  async outboxSize(): Promise<number> {
    const r = await this.db.selectFrom('event_outbox').select((e) => e.fn.countAll().as('n')).executeTakeFirst();
    return num(r?.n ?? 0);
  }

  // ---- deliveries ----

  async insert(rows: readonly DeliveryRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      await this.db
        .insertInto('webhook_deliveries')
        .values(
          rows.slice(i, i + 200).map((r) => ({
            id: this.d.idParam(r.id),
            webhook_id: this.d.idParam(r.webhookId),
            app_id: this.d.idParam(r.appId),
            event_id: this.d.idParam(r.eventId),
            kind: r.kind,
            event_type: r.eventType,
            for_user_id: r.forUserId === null ? null : this.d.idParam(r.forUserId),
            body: r.body,
            price_micros: r.priceMicros,
            charge_key: r.chargeKey,
            event_at: r.eventAt,
            created_at: r.createdAt,
            status: r.status,
            attempts: r.attempts,
            next_attempt_at: r.nextAttemptAt,
            lease_until: 0,
            last_status: r.lastStatus,
            last_error: r.lastError,
            finished_at: r.finishedAt,
            replay_job_id: r.replayJobId === null ? null : this.d.idParam(r.replayJobId),
          })),
        )
        .execute();
    }
  }

  /**
   * Pending deliveries due at `now` to valid webhooks, oldest due first, that no worker holds. Not claimed yet:
   * the caller claims each with `claim` (a lost race skips it).
   */
  async due(now: number, limit: number, skipWebhooks: readonly string[]): Promise<DeliveryRow[]> {
    let q = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .selectAll('d')
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where('d.lease_until', '<=', now)
      .where('w.valid', '=', 1);
    if (skipWebhooks.length) q = q.where('d.webhook_id', 'not in', this.ids(skipWebhooks));
    const rows = await q.orderBy('d.next_attempt_at').orderBy('d.id').limit(limit).execute();
    return rows.map(deliveryOf);
  }

  /** Takes a delivery for one attempt until `until`; false when another worker holds it or it is no longer pending. */
  async claim(id: string, now: number, until: number): Promise<boolean> {
    const r = await this.db
      .updateTable('webhook_deliveries')
      .set({ lease_until: until })
      .where('id', '=', this.d.idParam(id))
      .where('status', '=', 'pending')
      .where('lease_until', '<=', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records an attempt and the delivery's new state, and releases the lease. */
  async finishAttempt(id: string, o: AttemptOutcome): Promise<void> {
    const a = o.attempt;
    await this.db
      .insertInto('webhook_delivery_attempts')
      .values({ delivery_id: this.d.idParam(id), attempt: a.attempt, started_at: a.startedAt, duration_ms: a.durationMs, status_code: a.statusCode, error: a.error })
      .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doNothing())
      .execute();
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: o.status,
        attempts: a.attempt,
        next_attempt_at: o.nextAttemptAt,
        lease_until: 0,
        last_status: a.statusCode,
        last_error: a.error,
        finished_at: o.finishedAt,
      })
      .where('id', '=', this.d.idParam(id))
      .execute();
  }

  /** Ends pending deliveries of a webhook (deleted, or given up): they are never sent. */
  async cancelPending(webhookId: string, at: number): Promise<number> {
    const r = await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'cancelled', finished_at: at, lease_until: 0 })
      .where('webhook_id', '=', this.d.idParam(webhookId))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Pending deliveries older than `createdBefore` (their retry window is over): dead letters now. */
  async expire(createdBefore: number, at: number): Promise<number> {
    const r = await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'dead', finished_at: at, last_error: 'retry window elapsed' })
      .where('status', '=', 'pending')
      .where('created_at', '<', createdBefore)
      .where('lease_until', '<=', at)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async byId(id: string): Promise<DeliveryRow | undefined> {
    const r = await this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', this.d.idParam(id)).executeTakeFirst();
    return r ? deliveryOf(r) : undefined;
  }

  /** Deliveries newest first, optionally of one webhook and/or status (the CLI). */
  async recent(q: { webhookId?: string; status?: DeliveryStatus; limit: number }): Promise<DeliveryRow[]> {
    let s = this.db.selectFrom('webhook_deliveries').selectAll();
    if (q.webhookId) s = s.where('webhook_id', '=', this.d.idParam(q.webhookId));
    if (q.status) s = s.where('status', '=', q.status);
    return (await s.orderBy('id', 'desc').limit(q.limit).execute()).map(deliveryOf);
  }

  async attemptsOf(deliveryIds: readonly string[]): Promise<Map<string, AttemptRow[]>> {
    const out = new Map<string, AttemptRow[]>();
    for (let i = 0; i < deliveryIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('webhook_delivery_attempts')
        .selectAll()
        .where('delivery_id', 'in', this.ids(deliveryIds.slice(i, i + 500)))
        .orderBy('delivery_id')
        .orderBy('attempt')
        .execute();
      for (const r of rows) {
        const id = str(r.delivery_id);
        let list = out.get(id);
        if (!list) out.set(id, (list = []));
        list.push({ deliveryId: id, attempt: num(r.attempt), startedAt: num(r.started_at), durationMs: num(r.duration_ms), statusCode: numOrNull(r.status_code), error: strOrNull(r.error) });
      }
    }
    return out;
  }

  /** The webhook's original deliveries (not replays) of events in [fromAt, toAt), oldest first. */
  async window(webhookId: string, fromAt: number, toAt: number): Promise<DeliveryRow[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', this.d.idParam(webhookId))
      .where('event_at', '>=', fromAt)
      .where('event_at', '<', toAt)
      .where('replay_job_id', 'is', null)
      .where('kind', '!=', 'replay_status')
      .orderBy('event_at')
      .orderBy('id')
      .execute();
    return rows.map(deliveryOf);
  }

  /** Forgets deliveries (and their attempts) made before `before`: the retention window. */
  async prune(before: number): Promise<number> {
    const old = this.db.selectFrom('webhook_deliveries').select('id').where('created_at', '<', before).where('status', '!=', 'pending');
    await this.db.deleteFrom('webhook_delivery_attempts').where('delivery_id', 'in', old).execute();
    const r = await this.db.deleteFrom('webhook_deliveries').where('created_at', '<', before).where('status', '!=', 'pending').executeTakeFirst();
    await this.db.deleteFrom('webhook_replay_jobs').where('created_at', '<', before).where('status', '!=', 'in_progress').execute();
    return Number(r.numDeletedRows);
  }

  // ---- replay jobs ----

  async insertJob(j: ReplayJobRow): Promise<void> {
    await this.db
      .insertInto('webhook_replay_jobs')
      .values({
        id: this.d.idParam(j.id),
        webhook_id: this.d.idParam(j.webhookId),
        app_id: this.d.idParam(j.appId),
        from_at: j.fromAt,
        to_at: j.toAt,
        created_at: j.createdAt,
        status: j.status,
        finished_at: j.finishedAt,
      })
      .execute();
  }

  async runningJob(webhookId: string): Promise<ReplayJobRow | undefined> {
    const r = await this.db
      .selectFrom('webhook_replay_jobs')
      .selectAll()
      .where('webhook_id', '=', this.d.idParam(webhookId))
      .where('status', '=', 'in_progress')
      .executeTakeFirst();
    return r ? jobOf(r) : undefined;
  }

  async runningJobs(): Promise<ReplayJobRow[]> {
    return (await this.db.selectFrom('webhook_replay_jobs').selectAll().where('status', '=', 'in_progress').orderBy('id').execute()).map(jobOf);
  }

  /** How the deliveries of a replay job stand. */
  async jobProgress(jobId: string): Promise<{ pending: number; failed: number }> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .select(['status', (e) => e.fn.countAll().as('n')])
      .where('replay_job_id', '=', this.d.idParam(jobId))
      .groupBy('status')
      .execute();
    let pending = 0;
    let failed = 0;
    for (const r of rows) {
      if (r.status === 'pending') pending += num(r.n);
      else if (r.status !== 'delivered') failed += num(r.n);
    }
    return { pending, failed };
  }

  /** Ends a job if it is still running; false when another worker ended it first. */
  async finishJob(jobId: string, status: 'complete' | 'incomplete', at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('webhook_replay_jobs')
      .set({ status, finished_at: at })
      .where('id', '=', this.d.idParam(jobId))
      .where('status', '=', 'in_progress')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
