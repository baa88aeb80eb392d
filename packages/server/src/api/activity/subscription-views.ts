/** An X Activity subscription as X shows it. */
import type { ActivitySubscriptionRow } from '../../data/activity-subscriptions.js';
import { iso } from '../../pipeline/present.js';
import { PROBLEMS } from '../../errors.js';

export function subscriptionView(s: ActivitySubscriptionRow): Record<string, unknown> {
  const filter: Record<string, string> = {};
  if (s.userId) filter.user_id = s.userId;
  if (s.keyword) filter.keyword = s.keyword;
  if (s.direction) filter.direction = s.direction;
  const out: Record<string, unknown> = { subscription_id: s.id, event_type: s.eventType, filter, created_at: iso(s.createdAt), updated_at: iso(s.updatedAt) };
  if (s.tag !== null) out.tag = s.tag;
  if (s.webhookId !== null) out.webhook_id = s.webhookId;
  return out;
}

/** X's Not Found Problem for a subscription id the app does not have. */
export const subscriptionNotFound = (id: string) => ({
  value: id,
  detail: `Could not find subscription with id: [${id}].`,
  title: 'Not Found Error',
  resource_type: 'subscription',
  parameter: 'subscription_id',
  resource_id: id,
  type: `${PROBLEMS}resource-not-found`,
});
