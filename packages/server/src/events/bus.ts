/**
 * The bus between the write path and its consumers (streams, webhooks, compliance). Every write publishes its
 * events after it commits, from the operation that made it; event types are dotted, by area (`post.*`,
 * `follow.*`, `dm.*`, `chat.*`, …). Backends: `LocalBus` (in-process, one node) and, with scale-out, Redis Streams
 * (redis/bus.ts: every node sees every node's events in one order, and a restarted node catches up from its stored
 * position). One contract suite covers both (tests/bus.contract.test.ts).
 */
export type DomainEvent =
  | { type: 'post.created'; postId: string; authorId: string; at: number }
  | { type: 'post.edited'; postId: string; previousId: string; authorId: string; at: number }
  | { type: 'post.deleted'; postId: string; authorId: string; at: number }
  | { type: 'post.hidden'; postId: string; hidden: boolean; at: number }
  | { type: 'like.created' | 'like.deleted'; userId: string; postId: string; at: number }
  | { type: 'repost.created' | 'repost.deleted'; userId: string; postId: string; repostId: string; at: number }
  | { type: 'bookmark.created' | 'bookmark.deleted'; userId: string; postId: string; at: number }
  | { type: 'follow.created' | 'follow.requested' | 'follow.deleted'; followerId: string; followeeId: string; at: number }
  | { type: 'block.created' | 'block.deleted'; userId: string; targetId: string; at: number }
  | { type: 'mute.created' | 'mute.deleted'; userId: string; targetId: string; at: number }
  | {
      type: 'user.protected' | 'user.unprotected' | 'user.suspended' | 'user.unsuspended' | 'user.deleted' | 'user.undeleted';
      userId: string;
      at: number;
    }
  | { type: 'user.withheld'; userId: string; countries: string[]; at: number }
  | { type: 'user.profile.updated'; userId: string; field: string; value: string; at: number }
  | { type: 'post.withheld'; postId: string; authorId: string; countries: string[]; at: number }
  /** A moderation label applied to (or removed from) a post: `notice` (e.g. misleading) or `unviewable`. */
  | {
      type: 'post.labeled';
      postId: string;
      authorId: string;
      label: 'notice' | 'unviewable';
      application: 'apply' | 'remove';
      eventType?: string;
      labelTitle?: string;
      details?: string;
      url?: string;
      at: number;
    }
  | { type: 'list.created' | 'list.updated' | 'list.deleted'; listId: string; ownerId: string; at: number }
  /** A list's membership, or a user's follow or pin of a list, changed. */
  | {
      type: 'list.member.added' | 'list.member.removed' | 'list.followed' | 'list.unfollowed' | 'list.pinned' | 'list.unpinned';
      listId: string;
      userId: string;
      at: number;
    }
  /** An app's filtered-stream rules changed (live connections reload them). */
  | { type: 'stream.rules.changed'; appId: string; at: number }
  /**
   * Direct Messages (legacy, plain text; domain/dms.ts). Ids name rows of `repos.dms`, so a consumer loads the
   * event itself. Delivery in X's Activity names: `dm.message.created` is `dm.sent` for the sender and
   * `dm.received` for each of `recipientIds` (the other current participants); a new group also publishes its
   * ParticipantsJoin event as `dm.conversation.created`.
   */
  | { type: 'dm.message.created'; eventId: string; conversationId: string; senderId: string; recipientIds: string[]; at: number }
  /** The sender deleted their message (`DELETE /2/dm_events/:id`): it is gone for every participant. */
  | { type: 'dm.message.deleted'; eventId: string; conversationId: string; senderId: string; at: number }
  | { type: 'dm.conversation.created'; conversationId: string; creatorId: string; participantIds: string[]; eventId: string; at: number }
  /** `POST /2/users/:id/dm/block|unblock`: `userId` blocks (unblocks) Direct Messages from `targetId`. */
  | { type: 'dm.block.created' | 'dm.block.deleted'; userId: string; targetId: string; at: number }
  | { type: 'dm.settings.changed'; userId: string; allowFrom: 'everyone' | 'verified' | 'following'; at: number }
  /**
   * Chats (X Chat, encrypted; domain/chats.ts). Payloads stay in `repos.chats` (opaque, never decrypted). In X's
   * Activity names: `chat.message.created` is `chat.sent` for the sender and `chat.received` for each of
   * `recipientIds`; `chat.members.added` and `chat.conversation.created` are `chat.conversation_join` for each
   * member they add; `chat.read` and `chat.typing` are the read receipt and typing indicator of `userId`.
   */
  | { type: 'chat.message.created'; eventId: string; conversationId: string; senderId: string; recipientIds: string[]; at: number }
  | { type: 'chat.conversation.created'; conversationId: string; creatorId: string; memberIds: string[]; sequenceId: string; at: number }
  | { type: 'chat.members.added'; conversationId: string; userId: string; memberIds: string[]; sequenceId: string; at: number }
  | { type: 'chat.keys.changed'; conversationId: string; userId: string; keyVersion: string; sequenceId: string; at: number }
  | { type: 'chat.read'; conversationId: string; userId: string; seenUntil: string; recipientIds: string[]; at: number }
  | { type: 'chat.typing'; conversationId: string; userId: string; recipientIds: string[]; at: number }
  | { type: 'chat.public_key.added'; userId: string; version: string; at: number }
  /**
   * A Space went live or ended because someone drove it (domain/spaces.ts: created live, `roost spaces start|end`).
   * A scheduled start or planned end the clock merely passes publishes nothing: no write happens then.
   */
  | { type: 'space.started' | 'space.ended'; spaceId: string; creatorId: string; at: number }
  /** A scheduled broadcast was created (one per occurrence of a recurring schedule), changed, deleted, or went live. */
  | { type: 'broadcast.scheduled' | 'broadcast.updated' | 'broadcast.deleted' | 'broadcast.live'; scheduledBroadcastId: string; broadcastId: string; ownerId: string; at: number }
  | { type: 'broadcast.chat.created'; broadcastId: string; messageId: string; senderId: string; at: number }
  /** An article draft was saved (publishing it creates a post: `post.created`). */
  | { type: 'article.created'; articleId: string; authorId: string; at: number };

export type EventType = DomainEvent['type'];

/**
 * Events webhooks may carry (Account Activity, the X Activity API, filtered-stream links): the unit of work stores
 * these in the outbox table with the write itself (domain/write.ts), so their deliveries survive a crash.
 */
const DELIVERABLE: ReadonlySet<EventType> = new Set<EventType>([
  'post.created', 'post.edited', 'post.deleted', 'repost.created', 'repost.deleted', 'like.created', 'follow.created',
  'follow.deleted', 'block.created', 'block.deleted', 'mute.created', 'mute.deleted', 'user.profile.updated',
  // Account Activity's direct_message_events, direct_message_indicate_typing_events, direct_message_mark_read_events.
  'dm.message.created', 'chat.typing', 'chat.read',
  // X Activity only: chat.sent/received, chat.conversation_join, spaces.start/end.
  'chat.message.created', 'chat.conversation.created', 'chat.members.added', 'space.started', 'space.ended',
]);

export const needsDelivery = (e: DomainEvent): boolean => DELIVERABLE.has(e.type);

/** How an event reached a subscriber. */
export interface Delivery {
  /**
   * Read while a (re)started node caught up on events published while it was away: `event.at` says when it
   * happened, which may be minutes ago. Live events are false.
   */
  catchUp: boolean;
}

export type Subscriber = (event: DomainEvent, delivery: Delivery) => void;

export interface Bus {
  /**
   * Publishes after the write committed. A shared bus answers once the event is stored where every node reads
   * it (the write path awaits that before it answers the client); the local bus delivers synchronously.
   */
  publish(event: DomainEvent): void | Promise<void>;
  /** Returns an unsubscribe function. Subscribers must not throw; a throwing one is isolated and logged. */
  subscribe(fn: Subscriber): () => void;
}

const LIVE: Delivery = { catchUp: false };

export class LocalBus implements Bus {
  private readonly subs = new Set<Subscriber>();

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  publish(event: DomainEvent): void {
    for (const fn of this.subs) {
      try {
        fn(event, LIVE);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  subscribe(fn: Subscriber): () => void {
    this.subs.add(fn);
    return () => this.subs.delete(fn);
  }
}
