/**
 * The delivery engine: turns committed events into signed POSTs to webhooks, at least once.
 *
 * 1. Outbox. The unit of work (domain/write.ts) stores each deliverable event in `event_outbox` in the write's own
 *    transaction. The engine claims a batch of rows under a lease (so two nodes never fan out the same row at
 *    once), plans their deliveries with what the batch loaded at once (fanout.ts, stream-links.ts) and, in one
 *    transaction, removes the rows it still holds and inserts the deliveries of exactly those. A row whose lease
 *    another worker took meanwhile is that worker's: it makes no delivery here. A row whose planning failed is not
 *    removed and is claimed again once its lease runs out. A crash before that commit leaves the rows for the next
 *    claim; after it, the deliveries exist.
 * 2. Deliveries. Each is one POST with a stable id (`x-roost-delivery-id`, the same on every attempt, so receivers
 *    can drop duplicates) and the event's id (`x-roost-event-id`, the same on replays), signed with the app's
 *    consumer secret (`x-twitter-webhooks-signature`). An attempt holds a lease on its row, so a delivery cut off
 *    by a crash is attempted again once the lease runs out. A 2xx answer delivers; anything else — another status,
 *    a timeout, a refused connection, a TLS failure — schedules a retry (backoff.ts) until X's retry window ends,
 *    and then the delivery is a dead letter. Deliveries wait while their webhook is invalid and die with the window.
 * 3. Limits. At most `concurrency` deliveries are in flight per webhook on this node.
 * 4. Housekeeping on the server clock: replay jobs end with their status message once their deliveries are done;
 *    webhooks are checked by CRC hourly (a transient failure invalidates only after X's 28-hour grace);
 *    deliveries older than the five-day replay window are pruned.
 *
 * The engine is woken by the bus (an event was stored: fan out), by a send ending (look for due deliveries, and
 * for finished replay jobs when it was a replay's), by the API (a re-validated webhook, a replay job: everything),
 * and polls every `pollMs` for everything, including work it was not told about (another node's events and
 * deliveries, retries coming due, leases run out after a crash) and the housekeeping of point 4. A wake runs only
 * the work it is for: events are stored at the write rate, and each wake is one group commit.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from '../context.js';
import type { DeliveryRow } from '../data/deliveries.js';
import type { WebhookRow } from '../data/webhooks.js';
import { needsDelivery, type DomainEvent } from '../events/bus.js';
import { consumerSecretOf } from '../auth/oauth1.js';
import { checkWebhook, REPLAY_WINDOW_MS } from '../domain/webhooks.js';
import { eventPrice } from '../limits/metering.js';
import { nextAttemptAt } from './backoff.js';
import { Fanout, FanoutBatch, type EventPlanner, type PlannedDelivery } from './fanout.js';
import { OutboundFailure, send } from './outbound.js';
import { SIGNATURE_HEADER, sign } from './signing.js';
import { StreamLinkPlanner } from './stream-links.js';
import { payloadJson, replayStatus } from './views.js';

export type EngineContext = Pick<Context, 'repos' | 'clock' | 'ids' | 'log' | 'config' | 'metering' | 'box' | 'bus'>;

/** A source of deliveries for events besides Account Activity and the X Activity API (stream links). */
export interface DeliveryPlanner {
  /**
   * Loads what planning this batch of events needs, in a number of queries that does not grow with the batch, and
   * returns the planner of each of its events.
   */
  prepare(events: readonly DomainEvent[]): Promise<EventPlanner>;
}

/** What a round does; wakes add to it, and a round takes what was asked so far. */
interface Work {
  /** Claim and fan out stored events. */
  outbox: boolean;
  /** Look for deliveries due and start them. */
  due: boolean;
  /** End replay jobs whose deliveries are done. */
  replays: boolean;
  /** Expire deliveries past the retry window, prune old ones, start the periodic CRC check. */
  housekeeping: boolean;
}

const NOTHING: Work = { outbox: false, due: false, replays: false, housekeeping: false };
const EVERYTHING: Work = { outbox: true, due: true, replays: true, housekeeping: true };

/**
 * Outbox rows one claim takes: a few group commits' worth of posts at the write rate. Each batch binds one
 * parameter per row (release) and per user its events concern (subscriptions): far below either engine's limit,
 * and the lookups are sliced by data/ anyway.
 */
const OUTBOX_BATCH = 500;
/** Long enough for a batch to fan out; short, since a crashed process holds its rows until it runs out. */
const OUTBOX_LEASE_MS = 15_000;
/** In-flight deliveries of this node across all webhooks. */
const MAX_IN_FLIGHT = 256;
const CRC_EVERY_MS = 3_600_000;
const PRUNE_EVERY_MS = 10 * 60_000;

export class DeliveryEngine {
  private readonly owner = randomUUID();
  private readonly fanout: Fanout;
  private readonly planners: DeliveryPlanner[] = [];
  private readonly inFlight = new Map<string, number>();
  /**
   * Deliveries this node is attempting. Leases keep other nodes off them; these ids keep this node off them even
   * when the server clock jumps past a lease (time travel in tests and with the admin API).
   */
  private readonly attempting = new Set<string>();
  private readonly sends = new Set<Promise<void>>();
  private ticking: Promise<void> | null = null;
  private wanted: Work = NOTHING;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private crcRunning: Promise<void> | null = null;
  private lastPrune = -Infinity;

  constructor(private readonly ctx: EngineContext) {
    this.fanout = new Fanout(ctx);
    this.planners.push(new StreamLinkPlanner(ctx));
  }

  /** Adds a source of deliveries (called while the server is assembled). */
  addPlanner(p: DeliveryPlanner): void {
    this.planners.push(p);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.ctx.bus.subscribe((e) => {
      if (needsDelivery(e)) this.request({ outbox: true });
    });
    this.timer = setInterval(() => this.wake(), this.ctx.config.webhooks.pollMs);
    this.timer.unref();
    // What a previous run left: stored events, pending deliveries, leases of a crashed process.
    this.wake();
  }

  /** Runs a round of everything soon (the poll; the API after a change that may let deliveries go). */
  wake(): void {
    this.request(EVERYTHING);
  }

  /** Asks for work; rounds never overlap (work asked during one is done by another after it). */
  private request(w: Partial<Work>): void {
    if (this.stopped) return;
    const want = this.wanted;
    this.wanted = { outbox: want.outbox || !!w.outbox, due: want.due || !!w.due, replays: want.replays || !!w.replays, housekeeping: want.housekeeping || !!w.housekeeping };
    if (this.ticking) return;
    this.ticking = this.loop().finally(() => {
      this.ticking = null;
      // Work asked between the loop's last look and now.
      if (hasWork(this.wanted)) this.request(NOTHING);
    });
  }

  /** Waits until the engine is idle: no round running, nothing in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.ticking || this.sends.size) {
      await this.ticking;
      await Promise.all([...this.sends]);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.ticking;
    await Promise.all([...this.sends]);
    await this.crcRunning;
  }

  private async loop(): Promise<void> {
    while (!this.stopped && hasWork(this.wanted)) {
      const work = this.wanted;
      this.wanted = NOTHING;
      try {
        await this.round(work);
      } catch (err) {
        this.ctx.log.error({ err }, 'webhook delivery round failed');
      }
    }
  }

  private async round(work: Work): Promise<void> {
    let due = work.due;
    if (work.outbox) {
      for (;;) {
        const { claimed, made } = await this.fanOut();
        if (made) due = true;
        if (claimed < OUTBOX_BATCH || this.stopped) break;
      }
    }
    if (due) await this.sendDue();
    const now = this.ctx.clock.now();
    if (work.housekeeping) await this.ctx.repos.deliveries.expire(now - this.ctx.config.webhooks.retryWindowMs, now);
    if (work.housekeeping || work.replays) await this.finishReplays();
    if (!work.housekeeping) return;
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await this.ctx.repos.deliveries.prune(now - REPLAY_WINDOW_MS);
    }
    if (!this.crcRunning) {
      this.crcRunning = this.checkWebhooks().finally(() => {
        this.crcRunning = null;
      });
    }
  }

  // ---- outbox → deliveries ----

  /** Fans out one batch of stored events: how many rows it claimed, how many deliveries it made. */
  private async fanOut(): Promise<{ claimed: number; made: number }> {
    const { repos, clock, log } = this.ctx;
    const now = clock.now();
    const rows = await repos.deliveries.claimOutbox(this.owner, now, now + OUTBOX_LEASE_MS, OUTBOX_BATCH);
    if (!rows.length) return { claimed: 0, made: 0 };
    const events = new Map<string, DomainEvent>();
    for (const row of rows) {
      try {
        events.set(row.id, JSON.parse(row.event) as DomainEvent);
      } catch (err) {
        log.error({ err, eventId: row.id }, 'webhook fan-out failed; the event is retried when its lease runs out');
      }
    }
    let plan: EventPlanner;
    try {
      plan = await this.prepare([...events.values()]);
    } catch (err) {
      log.error({ err, events: events.size }, 'webhook fan-out of a batch failed; its events are retried when their lease runs out');
      return { claimed: rows.length, made: 0 };
    }
    // Each event on its own: one that fails to plan keeps its row (retried when the lease runs out), the others go.
    const planned = new Map<string, PlannedDelivery[]>();
    for (const [id, e] of events) {
      if (this.stopped) break;
      try {
        planned.set(id, await plan(e));
      } catch (err) {
        log.error({ err, eventId: id }, 'webhook fan-out failed; the event is retried when its lease runs out');
      }
    }
    if (!planned.size) return { claimed: rows.length, made: 0 };
    const at = clock.now();
    const deliveries = [...planned].flatMap(([eventId, list]) => list.map((p) => this.deliveryOf(p, eventId, events.get(eventId)!.at, at)));
    try {
      const made = await repos.transaction(async (r) => {
        // Only the rows this node still holds: another node that took one after our lease ran out makes its deliveries.
        const released = await r.deliveries.releaseOutbox([...planned.keys()], this.owner);
        const mine = deliveries.filter((d) => released.has(d.eventId));
        await r.deliveries.insert(mine);
        return mine.length;
      });
      return { claimed: rows.length, made };
    } catch (err) {
      log.error({ err, events: planned.size }, 'webhook fan-out failed to commit; its events are retried when their lease runs out');
      return { claimed: rows.length, made: 0 };
    }
  }

  /** Every planner's preparation for a batch, as one planner of its events. */
  private async prepare(events: readonly DomainEvent[]): Promise<EventPlanner> {
    const batch = new FanoutBatch(this.ctx.repos, events);
    const parts = [await this.fanout.prepareAccountActivity(batch), await this.fanout.prepareActivity(batch)];
    for (const p of this.planners) parts.push(await p.prepare(events));
    return async (e) => {
      const all: PlannedDelivery[] = [];
      for (const plan of parts) all.push(...(await plan(e)));
      return all;
    };
  }

  private deliveryOf(p: PlannedDelivery, eventId: string, eventAt: number, at: number): DeliveryRow {
    const id = this.ctx.ids.next();
    return {
      id,
      webhookId: p.webhookId,
      appId: p.appId,
      eventId,
      kind: p.kind,
      eventType: p.eventType,
      forUserId: p.forUserId,
      body: p.body(id),
      priceMicros: p.priceMicros,
      chargeKey: p.chargeKey ?? null,
      eventAt,
      createdAt: at,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lastStatus: null,
      lastError: null,
      finishedAt: null,
      replayJobId: null,
    };
  }

  // ---- attempts ----

  private async sendDue(): Promise<void> {
    const { repos, clock, config } = this.ctx;
    const limit = config.webhooks.concurrency;
    const busy = [...this.inFlight].filter(([, n]) => n >= limit).map(([w]) => w);
    const room = MAX_IN_FLIGHT - this.sends.size;
    if (room <= 0) return;
    const now = clock.now();
    const due = await repos.deliveries.due(now, room, busy);
    if (!due.length) return;
    const hooks = await repos.webhooks.byIds([...new Set(due.map((d) => d.webhookId))]);
    for (const d of due) {
      const hook = hooks.get(d.webhookId);
      if (!hook || this.attempting.has(d.id) || (this.inFlight.get(d.webhookId) ?? 0) >= limit) continue;
      const lease = clock.now() + config.webhooks.timeoutMs + 5_000;
      if (!(await repos.deliveries.claim(d.id, clock.now(), lease))) continue;
      this.attempting.add(d.id);
      this.inFlight.set(d.webhookId, (this.inFlight.get(d.webhookId) ?? 0) + 1);
      const p = this.attempt(d, hook)
        .catch((err) => this.ctx.log.error({ err, deliveryId: d.id }, 'webhook delivery failed to record'))
        .finally(() => {
          this.sends.delete(p);
          this.attempting.delete(d.id);
          const n = (this.inFlight.get(d.webhookId) ?? 1) - 1;
          if (n > 0) this.inFlight.set(d.webhookId, n);
          else this.inFlight.delete(d.webhookId);
          // A freed slot may let a waiting delivery of this webhook go now; a replay's may have ended its job.
          this.request({ due: true, replays: d.replayJobId !== null });
        });
      this.sends.add(p);
    }
  }

  private async attempt(d: DeliveryRow, hook: WebhookRow): Promise<void> {
    const { clock, config, repos } = this.ctx;
    const secret = await consumerSecretOf(this.ctx, hook.appId);
    const attempt = d.attempts + 1;
    const startedAt = clock.now();
    const t0 = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    if (secret === null) {
      error = 'the app has no consumer secret to sign with';
    } else {
      try {
        const answer = await send({
          method: 'POST',
          url: hook.url,
          timeoutMs: config.webhooks.timeoutMs,
          body: d.body,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            [SIGNATURE_HEADER]: sign(secret, d.body),
            'x-roost-delivery-id': d.id,
            'x-roost-event-id': d.eventId,
            'x-roost-delivery-attempt': String(attempt),
          },
        });
        statusCode = answer.status;
        if (answer.status < 200 || answer.status >= 300) error = `answered ${answer.status}`;
      } catch (err) {
        error = err instanceof OutboundFailure ? `${err.kind}: ${err.message}` : String(err);
      }
    }
    const endedAt = clock.now();
    const durationMs = Math.round(performance.now() - t0);
    const record = { deliveryId: d.id, attempt, startedAt, durationMs, statusCode, error };
    if (error === null) {
      await repos.deliveries.finishAttempt(d.id, { attempt: record, status: 'delivered', nextAttemptAt: endedAt, finishedAt: endedAt });
      if (d.priceMicros > 0) {
        const once = d.chargeKey === null ? undefined : { key: d.chargeKey, at: d.eventAt };
        await this.ctx.metering.chargeEvent(d.appId, { micros: d.priceMicros, posts: eventPrice(d.eventType).posts }, once);
      }
      return;
    }
    const next = nextAttemptAt(d.createdAt, attempt, endedAt, config.webhooks, Math.random());
    await repos.deliveries.finishAttempt(d.id, next === null ? { attempt: record, status: 'dead', nextAttemptAt: endedAt, finishedAt: endedAt } : { attempt: record, status: 'pending', nextAttemptAt: next, finishedAt: null });
  }

  // ---- replay jobs ----

  private async finishReplays(): Promise<void> {
    const { repos, clock, ids } = this.ctx;
    for (const job of await repos.deliveries.runningJobs()) {
      const { pending, failed } = await repos.deliveries.jobProgress(job.id);
      if (pending > 0) continue;
      const now = clock.now();
      await repos.transaction(async (r) => {
        if (!(await r.deliveries.finishJob(job.id, failed ? 'incomplete' : 'complete', now))) return;
        const body = payloadJson(replayStatus(job.webhookId, job.id, failed === 0));
        await r.deliveries.insert([
          {
            id: ids.next(),
            webhookId: job.webhookId,
            appId: job.appId,
            eventId: job.id,
            kind: 'replay_status',
            eventType: 'replay.status',
            forUserId: null,
            body,
            priceMicros: 0,
            chargeKey: null,
            eventAt: now,
            createdAt: now,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: now,
            lastStatus: null,
            lastError: null,
            finishedAt: null,
            replayJobId: null,
          },
        ]);
      });
      this.request({ due: true });
    }
  }

  // ---- periodic CRC ----

  private async checkWebhooks(): Promise<void> {
    const now = this.ctx.clock.now();
    for (const w of await this.ctx.repos.webhooks.uncheckedSince(now - CRC_EVERY_MS, 20)) {
      if (this.stopped) return;
      try {
        await checkWebhook(this.ctx, w, { definiteOnly: true });
      } catch (err) {
        this.ctx.log.error({ err, webhookId: w.id }, 'periodic CRC check failed');
      }
    }
  }
}

const hasWork = (w: Work): boolean => w.outbox || w.due || w.replays || w.housekeeping;
