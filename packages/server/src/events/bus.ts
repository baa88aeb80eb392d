/**
 * The bus between the write path and its consumers (streams, webhooks, compliance). Every write publishes one
 * event after it commits, from the operation that made it. In-process now; a Redis implementation comes with
 * scale-out behind the same interface.
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
  | { type: 'stream.rules.changed'; appId: string; at: number };

export type EventType = DomainEvent['type'];

/**
 * Events webhooks may carry (Account Activity, the X Activity API, filtered-stream links): the unit of work stores
 * these in the outbox table with the write itself (domain/write.ts), so their deliveries survive a crash.
 */
const DELIVERABLE: ReadonlySet<EventType> = new Set<EventType>([
  'post.created', 'post.edited', 'post.deleted', 'repost.created', 'repost.deleted', 'like.created', 'follow.created',
  'follow.deleted', 'block.created', 'block.deleted', 'mute.created', 'mute.deleted', 'user.profile.updated',
]);

export const needsDelivery = (e: DomainEvent): boolean => DELIVERABLE.has(e.type);

export interface Bus {
  publish(event: DomainEvent): void;
  /** Returns an unsubscribe function. Subscribers must not throw; a throwing one is isolated and logged. */
  subscribe(fn: (event: DomainEvent) => void): () => void;
}

export class LocalBus implements Bus {
  private readonly subs = new Set<(event: DomainEvent) => void>();

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  publish(event: DomainEvent): void {
    for (const fn of this.subs) {
      try {
        fn(event);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  subscribe(fn: (event: DomainEvent) => void): () => void {
    this.subs.add(fn);
    return () => this.subs.delete(fn);
  }
}
