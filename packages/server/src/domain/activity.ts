/**
 * X Activity API subscriptions (FACTS §12.3): an app follows one event type for one user (or, for `news.new`, one
 * keyword), optionally in one direction, optionally delivered to one of its webhooks as well as its activity
 * streams. Private events (likes, mentions, mutes, blocks, DMs, chat) may only be followed for a user who
 * authorized the app: the request is made in that user's context, or the user holds a token of the app.
 */
import type { Principal } from '../auth/authenticate.js';
import { hasAuthorized } from '../auth/issue.js';
import type { ActivitySubscriptionRow } from '../data/activity-subscriptions.js';
import { Forbidden, InvalidRequest } from '../errors.js';
import { KEYWORD_ACTIVITY_EVENTS, PRIVATE_ACTIVITY_EVENTS } from '../events/activity.js';
import { webhookOf, type WebhookContext } from './webhooks.js';

export interface SubscriptionInput {
  event_type: string;
  filter: { user_id?: string; keyword?: string; direction?: 'inbound' | 'outbound' };
  tag?: string;
  webhook_id?: string;
}

const invalid = (param: string, value: string, message: string) => InvalidRequest.one(param, [value], message);

export async function createSubscription(ctx: WebhookContext, principal: Principal, input: SubscriptionInput): Promise<ActivitySubscriptionRow> {
  const appId = principal.appId;
  const { event_type: eventType, filter } = input;
  let userId: string | null = null;
  let keyword: string | null = null;
  if (KEYWORD_ACTIVITY_EVENTS.has(eventType)) {
    if (!filter.keyword?.trim()) throw invalid('filter.keyword', '', `The filter of a ${eventType} subscription needs a keyword.`);
    if (filter.keyword.length > 150) throw invalid('filter.keyword', filter.keyword, 'The filter keyword is longer than 150 characters.');
    keyword = filter.keyword;
  } else {
    const u = filter.user_id;
    if (u === undefined) throw invalid('filter.user_id', '', `The filter of a ${eventType} subscription needs a user_id.`);
    if (!/^\d{1,19}$/.test(u) || !(await ctx.repos.users.byIds([u])).has(u)) throw invalid('filter.user_id', u, `The \`filter.user_id\` value [${u}] is not a known user.`);
    userId = u;
    if (PRIVATE_ACTIVITY_EVENTS.has(eventType) && principal.userId !== u && !(await hasAuthorized(ctx, u, appId))) {
      throw new Forbidden(`${eventType} is a private event: user ${u} must authorize this app before it can subscribe to their events.`);
    }
  }
  if (input.webhook_id !== undefined) await webhookOf(ctx, appId, input.webhook_id);
  const existing = await ctx.repos.activitySubscriptions.byApp(appId);
  const cap = ctx.config.webhooks.activitySubscriptions;
  if (existing.length >= cap) throw invalid('event_type', eventType, `SubscriptionLimitExceeded: this application has reached its limit of ${cap} subscriptions.`);
  const direction = filter.direction ?? null;
  const twin = existing.find((s) => s.eventType === eventType && s.userId === userId && s.keyword === keyword && s.direction === direction && s.webhookId === (input.webhook_id ?? null));
  if (twin) throw invalid('event_type', eventType, `DuplicateSubscription: subscription ${twin.id} already delivers these events.`);
  const now = ctx.clock.now();
  const row: ActivitySubscriptionRow = { id: ctx.ids.next(), appId, eventType, userId, keyword, direction, tag: input.tag ?? null, webhookId: input.webhook_id ?? null, createdAt: now, updatedAt: now };
  await ctx.repos.activitySubscriptions.insert(row);
  return row;
}

/** PUT /2/activity/subscriptions/:id: a new tag and/or webhook; undefined when the app has no such subscription. */
export async function updateSubscription(ctx: WebhookContext, appId: string, id: string, set: { tag?: string; webhook_id?: string }): Promise<ActivitySubscriptionRow | undefined> {
  if (!(await ctx.repos.activitySubscriptions.byIds(appId, [id])).has(id)) return undefined;
  if (set.webhook_id !== undefined) await webhookOf(ctx, appId, set.webhook_id);
  await ctx.repos.activitySubscriptions.update(appId, id, { tag: set.tag, webhookId: set.webhook_id }, ctx.clock.now());
  return (await ctx.repos.activitySubscriptions.byIds(appId, [id])).get(id);
}
