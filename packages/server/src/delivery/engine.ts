/**
 * The delivery engine: turns committed events into signed POSTs to webhooks, at least once.
 *
 * 1. Outbox. The unit of work (domain/write.ts) stores each deliverable event in `event_outbox` in the write's own
 *    transaction. The engine claims rows under a lease (so two nodes never fan out the same row at once), plans
 *    their deliveries (fanout.ts, stream-links.ts) and, in one transaction, inserts them and removes the row. A
 *    crash before that commit leaves the row for the next claim; after it, the deliveries exist.
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
 * The engine is woken by the bus (an event was stored), by replay jobs, and polls every `pollMs` for work it was
 * not told about (another node's events, retries coming due, leases run out after a crash).
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
import { Fanout, type PlannedDelivery } from './fanout.js';
import { OutboundFailure, send } from './outbound.js';
import { SIGNATURE_HEADER, sign } from './signing.js';
import { StreamLinkPlanner } from './stream-links.js';
import { payloadJson, replayStatus } from './views.js';

export type EngineContext = Pick<Context, 'repos' | 'clock' | 'ids' | 'log' | 'config' | 'metering' | 'box' | 'bus'>;

/** A source of deliveries for an event besides Account Activity and the X Activity API (stream links). */
export interface DeliveryPlanner {
  plan(e: DomainEvent): Promise<PlannedDelivery[]>;
}

const OUTBOX_BATCH = 50;
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
  private again = false;
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
      if (needsDelivery(e)) this.wake();
    });
    this.timer = setInterval(() => this.wake(), this.ctx.config.webhooks.pollMs);
    this.timer.unref();
    // What a previous run left: stored events, pending deliveries, leases of a crashed process.
    this.wake();
  }

  /** Runs a round soon; rounds never overlap (a wake during one runs another after it). */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.loop().finally(() => {
      this.ticking = null;
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
    do {
      this.again = false;
      try {
        await this.round();
      } catch (err) {
        this.ctx.log.error({ err }, 'webhook delivery round failed');
      }
    } while (this.again && !this.stopped);
  }

  private async round(): Promise<void> {
    while ((await this.fanOut()) === OUTBOX_BATCH && !this.stopped);
    await this.sendDue();
    const now = this.ctx.clock.now();
    await this.ctx.repos.deliveries.expire(now - this.ctx.config.webhooks.retryWindowMs, now);
    await this.finishReplays();
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

  /** Fans out one batch of stored events; returns how many rows it claimed. */
  private async fanOut(): Promise<number> {
    const { repos, clock } = this.ctx;
    const now = clock.now();
    const rows = await repos.deliveries.claimOutbox(this.owner, now, now + OUTBOX_LEASE_MS, OUTBOX_BATCH);
    for (const row of rows) {
      if (this.stopped) break;
      try {
        const e = JSON.parse(row.event) as DomainEvent;
        const planned = await this.plan(e);
        const at = clock.now();
        const deliveries: DeliveryRow[] = planned.map((p) => {
          const id = this.ctx.ids.next();
          return {
            id,
            webhookId: p.webhookId,
            appId: p.appId,
            eventId: row.id,
            kind: p.kind,
            eventType: p.eventType,
            forUserId: p.forUserId,
            body: p.body(id),
            priceMicros: p.priceMicros,
            chargeKey: p.chargeKey ?? null,
            eventAt: e.at,
            createdAt: at,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: at,
            lastStatus: null,
            lastError: null,
            finishedAt: null,
            replayJobId: null,
          };
        });
        await repos.transaction(async (r) => {
          await r.deliveries.insert(deliveries);
          // Another node took the row after our lease ran out: roll back, it makes these deliveries.
          if (!(await r.deliveries.releaseOutbox(row.id, this.owner))) throw new LeaseLost();
        });
      } catch (err) {
        if (!(err instanceof LeaseLost)) this.ctx.log.error({ err, eventId: row.id }, 'webhook fan-out failed; the event is retried when its lease runs out');
      }
    }
    return rows.length;
  }

  private async plan(e: DomainEvent): Promise<PlannedDelivery[]> {
    const all = [...(await this.fanout.accountActivity(e)), ...(await this.fanout.activity(e))];
    for (const p of this.planners) all.push(...(await p.plan(e)));
    return all;
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
          // A freed slot may let a waiting delivery of this webhook go now.
          this.wake();
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
      this.again = true;
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

class LeaseLost extends Error {}
