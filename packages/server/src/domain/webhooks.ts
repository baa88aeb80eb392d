/**
 * Webhooks and what uses them (FACTS §12.3): registration (URL rules, limits, the CRC at once), re-validation,
 * deletion, Account Activity subscriptions, filtered-stream links and replay jobs. Refusals are X's 400 with the
 * failure reason first in the message (`CrcValidationFailed: …`, `WebhookIdInvalid: …`), as X names them.
 *
 * X's limits per app (pay-per-use: one webhook, three Account Activity subscriptions; enterprise more) are
 * settings (config.webhooks).
 */
import type { Context } from '../context.js';
import type { WebhookRow } from '../data/webhooks.js';
import { consumerSecretOf } from '../auth/oauth1.js';
import { InvalidRequest, PROBLEMS, ProblemError } from '../errors.js';
import { runCrc } from '../delivery/crc.js';
import { urlProblem } from '../delivery/outbound.js';

export type WebhookContext = Pick<Context, 'repos' | 'clock' | 'ids' | 'box' | 'config'>;

/** Replays reach back this far (X: the retained log of the last five days). */
export const REPLAY_WINDOW_MS = 5 * 24 * 3_600_000;

const refused = (param: string, value: string, reason: string, detail: string) => InvalidRequest.one(param, [value], `${reason}: ${detail}`);

/** The app's webhook, or X's WebhookIdInvalid (unknown, or another app's). */
export async function webhookOf(ctx: WebhookContext, appId: string, webhookId: string, param = 'webhook_id'): Promise<WebhookRow> {
  const w = await ctx.repos.webhooks.byId(webhookId);
  if (!w || w.appId !== appId) throw refused(param, webhookId, 'WebhookIdInvalid', 'The provided webhook_id was not found or is not associated with the app.');
  return w;
}

async function crcOf(ctx: WebhookContext, appId: string, url: string) {
  return runCrc(ctx.config.webhooks, await consumerSecretOf(ctx, appId), url);
}

/** POST /2/webhooks: checks the URL and the app's limits, runs the CRC, and stores a valid webhook. */
export async function registerWebhook(ctx: WebhookContext, appId: string, url: string): Promise<WebhookRow> {
  const problem = urlProblem(url, ctx.config.webhooks.allowLoopback);
  if (problem) throw refused('url', url, 'UrlValidationFailed', problem);
  if (await ctx.repos.webhooks.byUrl(appId, url)) throw refused('url', url, 'DuplicateUrlFailed', 'A webhook is already registered by this application for this URL.');
  const cap = ctx.config.webhooks.perApp;
  if ((await ctx.repos.webhooks.countByApp(appId)) >= cap) {
    throw refused('url', url, 'WebhookLimitExceeded', `This application has reached its limit of ${cap} webhook${cap === 1 ? '' : 's'}.`);
  }
  const crc = await crcOf(ctx, appId, url);
  if (!crc.ok) throw refused('url', url, 'CrcValidationFailed', crc.reason);
  const now = ctx.clock.now();
  const row: WebhookRow = { id: ctx.ids.next(), appId, url, valid: true, createdAt: now, crcCheckedAt: now, crcOkAt: now, crcFailure: null };
  if (!(await ctx.repos.webhooks.insert(row))) throw refused('url', url, 'DuplicateUrlFailed', 'A webhook is already registered by this application for this URL.');
  return row;
}

/**
 * PUT /2/webhooks/:id: runs the CRC again. A pass makes the webhook valid (deliveries held while it was invalid
 * resume); a failure marks it invalid and is answered with CrcValidationFailed.
 */
export async function revalidateWebhook(ctx: WebhookContext, appId: string, webhookId: string): Promise<void> {
  const w = await webhookOf(ctx, appId, webhookId);
  await checkWebhook(ctx, w, { definiteOnly: false });
  const after = await ctx.repos.webhooks.byId(webhookId);
  if (!after?.valid) throw refused('webhook_id', webhookId, 'CrcValidationFailed', after?.crcFailure ?? 'the CRC check failed');
}

/** Hours a webhook stays valid through transient CRC failures (X: 24 h plus a 4-hour grace). */
export const CRC_GRACE_MS = 28 * 3_600_000;

/**
 * Runs the CRC of a stored webhook and records the outcome. `definiteOnly` (the periodic check): transient
 * failures (4xx/5xx, timeouts) invalidate only once the webhook has not passed for `CRC_GRACE_MS`.
 */
export async function checkWebhook(ctx: WebhookContext, w: WebhookRow, opts: { definiteOnly: boolean }): Promise<boolean> {
  const crc = await crcOf(ctx, w.appId, w.url);
  const now = ctx.clock.now();
  if (crc.ok) {
    await ctx.repos.webhooks.recordCrc(w.id, now, { passed: true });
    return true;
  }
  const lastOk = w.crcOkAt ?? w.createdAt;
  const keep = opts.definiteOnly && crc.transient && w.valid && now - lastOk < CRC_GRACE_MS;
  await ctx.repos.webhooks.recordCrc(w.id, now, { passed: false, valid: keep, failure: crc.reason });
  return false;
}

/** DELETE /2/webhooks/:id: the webhook, its subscriptions and links go; deliveries still pending are cancelled. */
export async function deleteWebhook(ctx: WebhookContext, appId: string, webhookId: string): Promise<void> {
  await webhookOf(ctx, appId, webhookId);
  await ctx.repos.transaction(async (r) => {
    await r.webhooks.delete(appId, webhookId);
    await r.activitySubscriptions.detachWebhook(webhookId, ctx.clock.now());
    await r.deliveries.cancelPending(webhookId, ctx.clock.now());
  });
}

// ---- Account Activity ----

/** POST /2/account_activity/webhooks/:id/subscriptions/all: subscribes the authenticating user. */
export async function subscribeUser(ctx: WebhookContext, appId: string, webhookId: string, userId: string): Promise<void> {
  await webhookOf(ctx, appId, webhookId);
  if (await ctx.repos.webhooks.isSubscribed(webhookId, userId)) {
    throw refused('webhook_id', webhookId, 'DuplicateSubscriptionFailed', 'A subscription for this user already exists for the specified webhook_id.');
  }
  const cap = ctx.config.webhooks.aaaSubscriptions;
  if ((await ctx.repos.webhooks.subscriptionCount(appId)) >= cap) {
    throw refused('webhook_id', webhookId, 'SubscriptionLimitExceeded', `The application has reached its limit of ${cap} subscriptions across all webhooks.`);
  }
  await ctx.repos.webhooks.subscribe({ webhookId, userId, appId, createdAt: ctx.clock.now() });
}

/** DELETE /2/account_activity/webhooks/:id/subscriptions/:user_id/all. */
export async function unsubscribeUser(ctx: WebhookContext, appId: string, webhookId: string, userId: string): Promise<void> {
  await webhookOf(ctx, appId, webhookId);
  if (!(await ctx.repos.webhooks.unsubscribe(webhookId, userId))) {
    throw refused('user_id', userId, 'SubscriptionNotFound', 'No subscription exists for the specified user_id on the given webhook_id.');
  }
}

// ---- filtered-stream links ----

/** POST /2/tweets/search/webhooks/:id: matches of the app's filtered-stream rules go to the webhook. */
export async function linkStream(ctx: WebhookContext, appId: string, webhookId: string, params: Record<string, string>): Promise<void> {
  await webhookOf(ctx, appId, webhookId);
  await ctx.repos.webhooks.link({ appId, webhookId, params, createdAt: ctx.clock.now() });
}

export async function unlinkStream(ctx: WebhookContext, appId: string, webhookId: string): Promise<void> {
  await webhookOf(ctx, appId, webhookId);
  if (!(await ctx.repos.webhooks.unlink(appId, webhookId))) {
    throw refused('webhook_id', webhookId, 'StreamLinkNotFound', 'The webhook is not linked to the filtered stream of this application.');
  }
}

// ---- replay ----

/** `yyyymmddhhmm` (UTC) as epoch ms, or null. */
export function replayTime(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(t);
  // Reject what Date would roll over (month 13, 31 February, 25:00).
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h) return null;
  return t;
}

/**
 * POST /2/webhooks/replay: the webhook's deliveries of events in [from_date, to_date) — minutes, from inclusive,
 * to exclusive — are sent again (new delivery ids, the same event ids), followed by a `replay_job_status`
 * message. The window must lie within the last five days and not in the future; one job per webhook at a time.
 */
export async function createReplayJob(ctx: WebhookContext, appId: string, body: { webhook_id: string; from_date: string; to_date: string }): Promise<{ id: string; createdAt: number }> {
  const from = replayTime(body.from_date);
  const to = replayTime(body.to_date);
  const bad = (param: 'from_date' | 'to_date', why: string) => InvalidRequest.one(param, [body[param]], `QueryParamInvalid: ${why}`);
  if (from === null) throw bad('from_date', 'from_date is not a valid UTC time in yyyymmddhhmm format.');
  if (to === null) throw bad('to_date', 'to_date is not a valid UTC time in yyyymmddhhmm format.');
  const now = ctx.clock.now();
  if (from > now) throw bad('from_date', 'from_date is in the future.');
  if (to > now + 60_000) throw bad('to_date', 'to_date is in the future.');
  if (from >= to) throw bad('from_date', 'from_date must be earlier than to_date.');
  if (from < now - REPLAY_WINDOW_MS) throw bad('from_date', 'from_date is older than 5 days.');
  const w = await webhookOf(ctx, appId, body.webhook_id);
  const id = ctx.ids.next();
  await ctx.repos.transaction(async (r) => {
    if (await r.deliveries.runningJob(w.id)) {
      throw new ProblemError(409, {
        title: 'Conflict',
        detail: `ReplayConflictError: a replay job is already in progress for webhook ${w.id}.`,
        type: `${PROBLEMS}conflict`,
      });
    }
    await r.deliveries.insertJob({ id, webhookId: w.id, appId, fromAt: from, toAt: to, createdAt: now, status: 'in_progress', finishedAt: null });
    const originals = await r.deliveries.window(w.id, from, to);
    await r.deliveries.insert(
      originals.map((d) => ({
        ...d,
        id: ctx.ids.next(),
        createdAt: now,
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: now,
        lastStatus: null,
        lastError: null,
        finishedAt: null,
        replayJobId: id,
        // A replayed event was paid for when first delivered.
        priceMicros: 0,
        chargeKey: null,
      })),
    );
  });
  return { id, createdAt: now };
}
