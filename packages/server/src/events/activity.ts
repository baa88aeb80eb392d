/**
 * The X Activity API's view of domain events (FACTS §12.3): which dot-cased event types a committed write
 * produces, for which user, and in which direction (the filtered user acted: `outbound`; it happened to them:
 * `inbound`). Webhook fan-out (delivery/) and the activity stream both read it.
 *
 * Direct Messages are `dm.sent` / `dm.received`; the typing indicators and read receipts of conversations
 * (`chat.typing`, `chat.read`, which Account Activity also delivers as DM events) are `dm.indicate_typing` /
 * `dm.read`; encrypted chat messages are `chat.sent` / `chat.received`, and every member a conversation gains
 * (its creation included) a `chat.conversation_join`; Spaces a user drives live or to their end are
 * `spaces.start` / `spaces.end`. Event types Roost has no source for (`news.new`, the affiliate badge update) can
 * be subscribed to and simply never fire.
 */
import { createHash } from 'node:crypto';
import type { DomainEvent } from './bus.js';

/** The event types a subscription may name (the spec's enum). */
export const ACTIVITY_EVENT_TYPES = [
  'profile.update.bio', 'profile.update.profile_picture', 'profile.update.banner_picture', 'profile.update.screenname',
  'profile.update.geo', 'profile.update.url', 'profile.update.verified_badge', 'profile.update.affiliate_badge',
  'profile.update.handle', 'news.new', 'follow.follow', 'follow.unfollow', 'spaces.start', 'spaces.end',
  'chat.received', 'chat.sent', 'chat.conversation_join', 'dm.sent', 'dm.received', 'dm.indicate_typing', 'dm.read',
  'post.create', 'post.delete', 'post.mention.create', 'like.create', 'mute.mute', 'mute.unmute', 'block.block',
  'block.unblock',
] as const;

export type ActivityEventType = (typeof ACTIVITY_EVENT_TYPES)[number];

/**
 * Private events: only for users who authorized the app (X: "require user-context authentication"). Public events
 * (posts, deletes, follows, profile updates) may be followed for any user.
 */
export const PRIVATE_ACTIVITY_EVENTS: ReadonlySet<string> = new Set([
  'post.mention.create', 'like.create', 'mute.mute', 'mute.unmute', 'block.block', 'block.unblock', 'dm.sent',
  'dm.received', 'dm.indicate_typing', 'dm.read', 'chat.received', 'chat.sent', 'chat.conversation_join',
]);

/** Event types filtered by keyword instead of user. */
export const KEYWORD_ACTIVITY_EVENTS: ReadonlySet<string> = new Set(['news.new']);

export interface ActivityOccurrence {
  eventType: ActivityEventType;
  userId: string;
  direction: 'inbound' | 'outbound';
}

/** Profile fields as `user.profile.updated` names them → the X Activity event. */
const PROFILE_EVENTS: Record<string, ActivityEventType> = {
  description: 'profile.update.bio',
  bio: 'profile.update.bio',
  profile_image_url: 'profile.update.profile_picture',
  profile_banner_url: 'profile.update.banner_picture',
  name: 'profile.update.screenname',
  username: 'profile.update.handle',
  location: 'profile.update.geo',
  url: 'profile.update.url',
  verified: 'profile.update.verified_badge',
  verified_type: 'profile.update.verified_badge',
};

/**
 * The activity events a domain event stands for. Posts need their mentioned users (`mentioned`), which the event
 * does not carry; everything else is in the event.
 */
export function activityOccurrences(e: DomainEvent, mentioned: readonly string[] = []): ActivityOccurrence[] {
  const out = (eventType: ActivityEventType, userId: string, direction: ActivityOccurrence['direction']): ActivityOccurrence => ({ eventType, userId, direction });
  switch (e.type) {
    case 'post.created':
      return [out('post.create', e.authorId, 'outbound'), ...mentioned.filter((u) => u !== e.authorId).map((u) => out('post.mention.create', u, 'inbound'))];
    case 'repost.created':
      return [out('post.create', e.userId, 'outbound')];
    case 'post.deleted':
      return [out('post.delete', e.authorId, 'outbound')];
    case 'repost.deleted':
      return [out('post.delete', e.userId, 'outbound')];
    case 'like.created':
      // The liked post's author is known once the post is loaded: `mentioned` carries it here.
      return [out('like.create', e.userId, 'outbound'), ...mentioned.filter((u) => u !== e.userId).map((u) => out('like.create', u, 'inbound'))];
    case 'follow.created':
    case 'follow.deleted': {
      const t = e.type === 'follow.created' ? 'follow.follow' : 'follow.unfollow';
      return [out(t, e.followerId, 'outbound'), out(t, e.followeeId, 'inbound')];
    }
    case 'mute.created':
    case 'mute.deleted':
      // Only the muting user's subscriptions learn of a mute (X: the filter matches the user performing it).
      return [out(e.type === 'mute.created' ? 'mute.mute' : 'mute.unmute', e.userId, 'outbound')];
    case 'block.created':
    case 'block.deleted':
      return [out(e.type === 'block.created' ? 'block.block' : 'block.unblock', e.userId, 'outbound')];
    case 'user.profile.updated': {
      const t = PROFILE_EVENTS[e.field];
      return t ? [out(t, e.userId, 'outbound')] : [];
    }
    case 'dm.message.created':
      return exchange('dm.sent', 'dm.received', e.senderId, e.recipientIds);
    case 'chat.message.created':
      return exchange('chat.sent', 'chat.received', e.senderId, e.recipientIds);
    case 'chat.typing':
      return exchange('dm.indicate_typing', 'dm.indicate_typing', e.userId, e.recipientIds);
    case 'chat.read':
      return exchange('dm.read', 'dm.read', e.userId, e.recipientIds);
    case 'chat.conversation.created':
      // Every member joins, the creator by their own act.
      return e.memberIds.map((u) => out('chat.conversation_join', u, u === e.creatorId ? 'outbound' : 'inbound'));
    case 'chat.members.added':
      return e.memberIds.map((u) => out('chat.conversation_join', u, u === e.userId ? 'outbound' : 'inbound'));
    case 'space.started':
    case 'space.ended':
      return [out(e.type === 'space.started' ? 'spaces.start' : 'spaces.end', e.creatorId, 'outbound')];
    default:
      return [];
  }
}

/** What the acting user did (`outbound`) and what each other participant of the conversation got (`inbound`). */
function exchange(sent: ActivityEventType, got: ActivityEventType, actorId: string, recipientIds: readonly string[]): ActivityOccurrence[] {
  return [{ eventType: sent, userId: actorId, direction: 'outbound' }, ...recipientIds.filter((u) => u !== actorId).map((u): ActivityOccurrence => ({ eventType: got, userId: u, direction: 'inbound' }))];
}

/**
 * The key metering charges one delivered activity event under (per app and UTC day of the event, limits/metering.ts
 * `UsageDedup`): the event itself — its JSON, the same on every node and in the outbox — with the event type and
 * the filtered user. The activity streams (all of an app's connections, backfill replays, every node) and the
 * app's webhook share it, so an event is paid for once however often it is written.
 */
export function activityChargeKey(e: DomainEvent, eventType: string, userId: string | null): string {
  return `activity:${createHash('sha256').update(JSON.stringify(e)).digest('base64url').slice(0, 22)}:${eventType}:${userId ?? ''}`;
}
