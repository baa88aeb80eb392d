/**
 * Fan-out: what one committed event becomes for webhooks — one planned delivery per (webhook, recipient) — and,
 * shared with the activity stream, which X Activity subscriptions it matches with their messages.
 *
 * - Account Activity: the users the event concerns (author, replied-to, mentioned, quoted and reposted users;
 *   liker and liked; follower and followed; the user who blocks or mutes; the participants of a Direct Message,
 *   typing indicator or read receipt, never anyone else) that a webhook subscribed, each told in X's payload
 *   shapes what they may see (pipeline/rules.ts `accountActivityPostVerdict`).
 * - X Activity API: subscriptions whose event type, user and direction match (events/activity.ts), each seeing as
 *   its filtered user when that user authorized the app, otherwise as any app (rules' `activityViewer`); private
 *   events only while the user's authorization stands.
 * - Filtered-stream links: see stream-links.ts.
 *
 * Payloads are rendered here, when the event is fanned out, so a delivery retried later carries the same body.
 *
 * Fan-out runs over a batch of events (the outbox rows one claim took): what the batch needs is loaded once — the
 * posts its events are about, the subscriptions of all the users they concern — and each event is then planned
 * from those maps, so the queries of a batch do not grow with its size; only a delivery actually made costs
 * queries of its own (its recipient's view of the post). Nothing is kept between batches: a subscription made on
 * any node counts from the next batch on.
 */
import type { Context } from '../context.js';
import type { ActivitySubscriptionRow } from '../data/activity-subscriptions.js';
import type { DeliveryKind } from '../data/deliveries.js';
import type { AaaSubscriptionRow } from '../data/webhooks.js';
import type { PostRow, UserRow } from '../data/rows.js';
import type { DomainEvent } from '../events/bus.js';
import { activityChargeKey, activityOccurrences, PRIVATE_ACTIVITY_EVENTS, type ActivityOccurrence } from '../events/activity.js';
import { hasAuthorized } from '../auth/issue.js';
import { eventPrice } from '../limits/metering.js';
import { emptyState, hydratePosts, type HydrationState } from '../pipeline/hydrate.js';
import { LIST, renderPosts, renderUsers, type RenderEnv } from '../pipeline/render.js';
import { accountActivityPostVerdict, activityViewer, type Viewer } from '../pipeline/rules.js';
import { selectionFrom } from '../pipeline/selection.js';
import { iso } from '../pipeline/present.js';
import { likeId } from '../streams/partition.js';
import * as views from './views.js';

export type FanoutContext = Pick<Context, 'repos' | 'clock'>;

export interface PlannedDelivery {
  webhookId: string;
  appId: string;
  kind: DeliveryKind;
  eventType: string;
  forUserId: string | null;
  /** What metering charges once the POST succeeds. */
  priceMicros: number;
  /** The key that charge is deduplicated under (X Activity events, shared with the activity streams). */
  chargeKey?: string;
  /** The JSON body, given the delivery's id (the X Activity API's `event_uuid`). */
  body(deliveryId: string): string;
}

/** One event's planned deliveries, from what its batch loaded (`prepare…`). */
export type EventPlanner = (e: DomainEvent) => Promise<PlannedDelivery[]>;

const planNothing: EventPlanner = async () => [];

/** Everything an Account Activity post message refers to. */
const AAA_POSTS = selectionFrom({
  expansions: ['referenced_tweets.id', 'referenced_tweets.id.author_id', 'in_reply_to_user_id', 'entities.mentions.username', 'attachments.media_keys', 'referenced_tweets.id.attachments.media_keys'],
});

/** What X Activity payloads carry (the fields of X's samples): posts, their users, and users alone. */
const ACTIVITY_USER_FIELDS = ['created_at', 'description', 'entities', 'location', 'most_recent_tweet_id', 'pinned_tweet_id', 'profile_banner_url', 'profile_image_url', 'protected', 'public_metrics', 'url', 'verified', 'verified_type'];
const ACTIVITY_POST_FIELDS = ['attachments', 'author_id', 'conversation_id', 'created_at', 'display_text_range', 'edit_controls', 'entities', 'in_reply_to_user_id', 'lang', 'possibly_sensitive', 'public_metrics', 'referenced_tweets', 'reply_settings'];
const ACTIVITY_POSTS = selectionFrom({ 'tweet.fields': ACTIVITY_POST_FIELDS, expansions: ['author_id', 'referenced_tweets.id', 'in_reply_to_user_id'], 'user.fields': ACTIVITY_USER_FIELDS });
/** A liked post: its author expanded (the like payload names them). */
const ACTIVITY_LIKED = selectionFrom({ 'tweet.fields': ACTIVITY_POST_FIELDS, expansions: ['author_id'], 'user.fields': ACTIVITY_USER_FIELDS });
const ACTIVITY_USERS = selectionFrom({ 'user.fields': ACTIVITY_USER_FIELDS });

/** The post a post event is about (the new version of an edit, the repost of a repost). */
function postIdOf(e: DomainEvent): string | null {
  if (e.type === 'post.created' || e.type === 'post.edited') return e.postId;
  if (e.type === 'repost.created') return e.repostId;
  if (e.type === 'like.created') return e.postId;
  return null;
}

/** Users a post concerns, each with how (the order decides: a user replied to and mentioned is `reply`). */
function postRelations(p: PostRow, s: HydrationState): Map<string, 'own' | 'reply' | 'mention' | 'quote' | 'repost'> {
  const out = new Map<string, 'own' | 'reply' | 'mention' | 'quote' | 'repost'>();
  const add = (id: string | null | undefined, how: 'own' | 'reply' | 'mention' | 'quote' | 'repost') => {
    if (id && !out.has(id)) out.set(id, how);
  };
  add(p.authorId, 'own');
  add(p.inReplyToUserId, 'reply');
  for (const m of p.entities?.mentions ?? []) add(m.id ?? s.usersByName.get(m.username.toLowerCase())?.id, 'mention');
  if (p.quotedPostId) add(s.posts.get(p.quotedPostId)?.authorId, 'quote');
  if (p.repostedPostId) add(s.posts.get(p.repostedPostId)?.authorId, 'repost');
  return out;
}

const mentionedIn = (p: PostRow, s: HydrationState): string[] =>
  [...postRelations(p, s)].filter(([, how]) => how === 'mention').map(([id]) => id);

/**
 * Every user whose Account Activity subscriptions an event may reach (`accountActivity` asks for no one else):
 * the batch loads their subscriptions at once. `s` holds the event's post (FanoutBatch.posts).
 */
function toldUsers(e: DomainEvent, s: HydrationState): string[] {
  switch (e.type) {
    case 'post.created':
    case 'post.edited':
    case 'repost.created': {
      const post = s.posts.get(postIdOf(e)!);
      return post ? [...postRelations(post, s).keys()] : [];
    }
    case 'post.deleted':
      return [e.authorId];
    case 'repost.deleted':
      return [e.userId];
    case 'like.created': {
      const post = s.posts.get(e.postId);
      return post ? [e.userId, post.authorId] : [];
    }
    case 'follow.created':
    case 'follow.deleted':
      return [e.followerId, e.followeeId];
    case 'block.created':
    case 'block.deleted':
    case 'mute.created':
    case 'mute.deleted':
      return [e.userId];
    case 'dm.message.created':
      return [e.senderId, ...e.recipientIds];
    case 'chat.typing':
    case 'chat.read':
      return [e.userId, ...e.recipientIds];
    default:
      return [];
  }
}

/**
 * A batch of events being fanned out, and what its planners share: the posts its post and like events are about,
 * with everything an Account Activity message refers to, hydrated once as no one (loaded when first asked).
 */
export class FanoutBatch {
  private state: Promise<HydrationState> | undefined;

  constructor(
    private readonly repos: FanoutContext['repos'],
    readonly events: readonly DomainEvent[],
  ) {}

  posts(): Promise<HydrationState> {
    if (!this.state) {
      const ids = [...new Set(this.events.flatMap((e) => postIdOf(e) ?? []))];
      this.state = ids.length ? hydratePosts({ repos: this.repos, viewer: { userId: null } }, ids, AAA_POSTS) : Promise.resolve(emptyState());
    }
    return this.state;
  }
}

/** The loaded Account Activity subscriptions of a batch's users; asking for a user not loaded is a planning error. */
type SubscriptionsOf = (userIds: readonly string[]) => AaaSubscriptionRow[];

export class Fanout {
  constructor(private readonly ctx: FanoutContext) {}

  private env(viewer: Viewer): RenderEnv {
    return { repos: this.ctx.repos, viewer, now: this.ctx.clock.now() };
  }

  private async users(ids: readonly string[]): Promise<Map<string, UserRow>> {
    return this.ctx.repos.users.byIds([...new Set(ids)]);
  }

  // ---- Account Activity ----

  /**
   * Account Activity for a batch: the subscriptions of every user its events concern, in one query (none at all
   * when no webhook has a subscribed user), then per event the messages of its subscribed users.
   */
  async prepareAccountActivity(batch: FanoutBatch): Promise<EventPlanner> {
    if (!batch.events.length || !(await this.ctx.repos.webhooks.anySubscription())) return planNothing;
    const s = await batch.posts();
    const told = new Map(batch.events.map((e) => [e, toldUsers(e, s)]));
    const byUser = new Map<string, AaaSubscriptionRow[]>();
    for (const sub of await this.ctx.repos.webhooks.subscriptionsFor([...told.values()].flat())) {
      const list = byUser.get(sub.userId);
      if (list) list.push(sub);
      else byUser.set(sub.userId, [sub]);
    }
    return async (e) => {
      const users = told.get(e);
      if (!users) throw new Error(`event ${e.type} is not of this batch`);
      // Most events concern no subscribed user: nothing more to load for them.
      if (!users.some((u) => byUser.has(u))) return [];
      const loaded = new Set(users);
      return this.accountActivity(e, s, (ids) =>
        [...new Set(ids)].flatMap((u) => {
          if (!loaded.has(u)) throw new Error(`Account Activity of ${e.type} asked for the subscriptions of a user it did not name`);
          return byUser.get(u) ?? [];
        }),
      );
    };
  }

  /** One event's Account Activity deliveries; `s` holds its post, `subscriptionsOf` its users' subscriptions. */
  private async accountActivity(e: DomainEvent, s: HydrationState, subscriptionsOf: SubscriptionsOf): Promise<PlannedDelivery[]> {
    const planned: PlannedDelivery[] = [];
    const deliver = (userIds: readonly string[], eventType: string, make: (userId: string) => Promise<Record<string, unknown> | null>) =>
      this.forSubscribers(subscriptionsOf(userIds), eventType, make, planned);
    switch (e.type) {
      case 'post.created':
      case 'post.edited':
      case 'repost.created': {
        const post = s.posts.get(postIdOf(e)!);
        if (!post) break;
        const relations = postRelations(post, s);
        await deliver([...relations.keys()], 'post.create', (userId) => this.tweetCreate(userId, post, relations.get(userId)!));
        break;
      }
      case 'post.deleted':
        await deliver([e.authorId], 'post.delete', async (u) => views.tweetDelete(u, e.postId, e.authorId, e.at));
        break;
      case 'repost.deleted':
        await deliver([e.userId], 'post.delete', async (u) => views.tweetDelete(u, e.repostId, e.userId, e.at));
        break;
      case 'like.created': {
        const post = s.posts.get(e.postId);
        const liker = (await this.users([e.userId])).get(e.userId);
        if (!post || post.deleted || !liker) break;
        const tweet = views.legacyTweet(post, s);
        await deliver([e.userId, post.authorId], 'like.create', async (u) => views.favorite(u, likeId(e.userId, e.postId), e.at, tweet, liker));
        break;
      }
      case 'follow.created':
      case 'follow.deleted':
        await this.pair(e.followerId, e.followeeId, subscriptionsOf([e.followerId, e.followeeId]), 'follow', e.type === 'follow.created' ? 'follow' : 'unfollow', e.at, planned);
        break;
      case 'block.created':
      case 'block.deleted':
        // Only the acting user is told: X never tells an account it was blocked or muted.
        await this.pair(e.userId, e.targetId, subscriptionsOf([e.userId]), 'block', e.type === 'block.created' ? 'block' : 'unblock', e.at, planned);
        break;
      case 'mute.created':
      case 'mute.deleted':
        await this.pair(e.userId, e.targetId, subscriptionsOf([e.userId]), 'mute', e.type === 'mute.created' ? 'mute' : 'unmute', e.at, planned);
        break;
      case 'dm.message.created':
        await this.directMessage(e, subscriptionsOf, planned);
        break;
      case 'chat.typing':
      case 'chat.read':
        await this.chatSignal(e, subscriptionsOf, planned);
        break;
      default:
        break;
    }
    return planned;
  }

  private async pair(sourceId: string, targetId: string, told: AaaSubscriptionRow[], family: 'follow' | 'block' | 'mute', type: string, at: number, planned: PlannedDelivery[]): Promise<void> {
    if (!told.length) return;
    const rows = await this.users([sourceId, targetId]);
    const source = rows.get(sourceId);
    const target = rows.get(targetId);
    if (!source || !target) return;
    const eventType = `${family}.${type}`;
    await this.forSubscribers(told, eventType, async (u) => views.userPair(u, family, type, at, source, target), planned);
  }

  /**
   * The users a DM event names (the acting user and the other participants) and, per subscribed participant, whom
   * it is addressed to (views.ts `DmAddress`); null when the acting user is gone.
   */
  private async dmAddressing(senderId: string, recipientIds: readonly string[], conversationId: string, at: number): Promise<((userId: string) => views.DmAddress) | null> {
    const rows = await this.users([senderId, ...recipientIds]);
    if (!rows.has(senderId)) return null;
    const users = [...rows.values()];
    return (userId) => ({ senderId, at, users, recipientId: recipientOf(senderId, recipientIds, conversationId, userId) });
  }

  /** A message as DM events show it, with what it refers to; null once its sender deleted it. */
  private async dmMessage(eventId: string): Promise<views.DmMessage | null> {
    const row = (await this.ctx.repos.dms.eventsByIds([eventId])).get(eventId);
    if (!row) return null;
    const mentioned = await this.users((row.entities?.mentions ?? []).flatMap((m) => (m.id ? [m.id] : [])));
    const media = row.mediaKeys?.length ? await this.ctx.repos.attachments.mediaByKeys(row.mediaKeys) : new Map();
    const refs = { users: mentioned, usersByName: new Map([...mentioned.values()].map((u) => [u.username.toLowerCase(), u])), media };
    const app = row.sourceAppId === null ? undefined : await this.ctx.repos.apps.byId(row.sourceAppId);
    return { id: row.id, text: row.text, entities: row.entities, mediaKeys: row.mediaKeys, app: app ? { id: app.id, name: app.name } : null, refs };
  }

  /** A Direct Message: `dm.sent` for the sender's subscriptions, `dm.received` for each recipient's. */
  private async directMessage(e: Extract<DomainEvent, { type: 'dm.message.created' }>, subscriptionsOf: SubscriptionsOf, planned: PlannedDelivery[]): Promise<void> {
    // Deleted by its sender before it was fanned out: there is nothing left to tell.
    const message = await this.dmMessage(e.eventId);
    if (!message) return;
    const address = await this.dmAddressing(e.senderId, e.recipientIds, e.conversationId, e.at);
    if (!address) return;
    const make = async (u: string) => views.directMessage(u, message, address(u));
    await this.forSubscribers(subscriptionsOf([e.senderId]), 'dm.sent', make, planned);
    await this.forSubscribers(subscriptionsOf(e.recipientIds), 'dm.received', make, planned);
  }

  /** A typing indicator or read receipt: every participant's subscriptions, the acting user's included. */
  private async chatSignal(e: Extract<DomainEvent, { type: 'chat.typing' | 'chat.read' }>, subscriptionsOf: SubscriptionsOf, planned: PlannedDelivery[]): Promise<void> {
    const address = await this.dmAddressing(e.userId, e.recipientIds, e.conversationId, e.at);
    if (!address) return;
    const subs = subscriptionsOf([e.userId, ...e.recipientIds]);
    if (e.type === 'chat.typing') await this.forSubscribers(subs, 'dm.indicate_typing', async (u) => views.dmTyping(u, address(u)), planned);
    else await this.forSubscribers(subs, 'dm.read', async (u) => views.dmMarkRead(u, address(u), e.seenUntil), planned);
  }

  private async forSubscribers(
    subs: readonly AaaSubscriptionRow[],
    eventType: string,
    make: (userId: string) => Promise<Record<string, unknown> | null>,
    planned: PlannedDelivery[],
  ): Promise<void> {
    const price = eventPrice(eventType).micros;
    const bodies = new Map<string, Promise<Record<string, unknown> | null>>();
    for (const sub of subs) {
      let body = bodies.get(sub.userId);
      if (!body) bodies.set(sub.userId, (body = make(sub.userId)));
      const message = await body;
      if (!message) continue;
      const text = views.payloadJson(message);
      planned.push({ webhookId: sub.webhookId, appId: sub.appId, kind: 'account_activity', eventType, forUserId: sub.userId, priceMicros: price, body: () => text });
    }
  }

  /** A post as a subscribed user's webhook sees it, or null when they may not. */
  private async tweetCreate(userId: string, post: PostRow, how: 'own' | 'reply' | 'mention' | 'quote' | 'repost'): Promise<Record<string, unknown> | null> {
    const s = await hydratePosts({ repos: this.ctx.repos, viewer: { userId } }, [post.id], AAA_POSTS);
    const author = s.users.get(post.authorId);
    const blocked = s.relations.blocked?.has(post.authorId) ?? false;
    const blocks = blocked
      ? { subscriberBlocksAuthor: await this.ctx.repos.social.isBlocking(userId, post.authorId), authorBlocksSubscriber: await this.ctx.repos.social.isBlocking(post.authorId, userId) }
      : { subscriberBlocksAuthor: false, authorBlocksSubscriber: false };
    const verdict = accountActivityPostVerdict(userId, s.posts.get(post.id), author, s.relations, blocks);
    if (verdict === 'withhold') return null;
    return views.tweetCreate(userId, views.legacyTweet(s.posts.get(post.id)!, s), how === 'mention' ? { blocked: verdict === 'deliver-blocked' } : null);
  }

  // ---- X Activity API ----

  /**
   * The X Activity subscriptions an event matches, with the message each gets (`onlyApps`: the apps with an open
   * activity stream; `webhooksOnly`: those delivering to a webhook).
   */
  async activityMatches(e: DomainEvent, opts: ActivityMatchOptions = {}): Promise<ActivityMatch[]> {
    return (await this.prepareActivityMatches(new FanoutBatch(this.ctx.repos, [e]), opts))(e);
  }

  /**
   * X Activity matching for a batch: the subscriptions of every (event type, user) its events stand for, in one
   * query (none at all when no subscription filters by user), then per event its matches in subscription order.
   */
  async prepareActivityMatches(batch: FanoutBatch, opts: ActivityMatchOptions): Promise<(e: DomainEvent) => Promise<ActivityMatch[]>> {
    // Events that stand for no activity event at all (their post's users only add to one that does) ask nothing.
    if (!batch.events.some((e) => activityOccurrences(e).length)) return async () => [];
    if (!(await this.ctx.repos.activitySubscriptions.anyByUser(opts.webhooksOnly ?? false))) return async () => [];
    // Posts and likes need their post: mentioned users and the liked post's author are not in the event.
    const s = batch.events.some((e) => e.type === 'post.created' || e.type === 'like.created') ? await batch.posts() : emptyState();
    const occurrencesOf = new Map<DomainEvent, ActivityOccurrence[]>();
    for (const e of batch.events) {
      let extra: string[] = [];
      if (e.type === 'post.created' || e.type === 'like.created') {
        const p = s.posts.get(e.postId);
        if (!p) {
          occurrencesOf.set(e, []);
          continue;
        }
        extra = e.type === 'like.created' ? [p.authorId] : mentionedIn(p, s);
      }
      occurrencesOf.set(e, activityOccurrences(e, extra));
    }
    const all = [...occurrencesOf.values()].flat();
    const subs = all.length ? await this.ctx.repos.activitySubscriptions.matching(all.map((o) => o.eventType), all.map((o) => o.userId)) : [];
    // Positions in `subs` (id order) by event type and user.
    const at = new Map<string, number[]>();
    subs.forEach((sub, i) => {
      const key = `${sub.eventType}|${sub.userId}`;
      const list = at.get(key);
      if (list) list.push(i);
      else at.set(key, [i]);
    });
    return async (e) => {
      const occurrences = occurrencesOf.get(e);
      if (!occurrences) throw new Error(`event ${e.type} is not of this batch`);
      const mine = [...new Set(occurrences.flatMap((o) => at.get(`${o.eventType}|${o.userId}`) ?? []))].sort((a, b) => a - b);
      return mine.length ? this.matchesOf(e, occurrences, mine.map((i) => subs[i]!), opts) : [];
    };
  }

  /** An event's matches among subscriptions of its (event type, user) pairs, in their order. */
  private async matchesOf(e: DomainEvent, occurrences: readonly ActivityOccurrence[], subs: readonly ActivitySubscriptionRow[], opts: ActivityMatchOptions): Promise<ActivityMatch[]> {
    const out: ActivityMatch[] = [];
    const authorized = new Map<string, Promise<boolean>>();
    const payloads = new Map<string, Promise<Payload | null>>();
    for (const sub of subs) {
      if (opts.onlyApps && !opts.onlyApps.has(sub.appId)) continue;
      if (opts.webhooksOnly && !sub.webhookId) continue;
      const occ = occurrences.find((o) => o.eventType === sub.eventType && o.userId === sub.userId && (!sub.direction || sub.direction === o.direction));
      if (!occ) continue;
      const key = `${sub.userId}|${sub.appId}`;
      let auth = authorized.get(key);
      if (!auth) authorized.set(key, (auth = hasAuthorized(this.ctx, sub.userId!, sub.appId)));
      const consented = await auth;
      // A private event needs the user's consent when it happens, not only when the subscription was made.
      if (PRIVATE_ACTIVITY_EVENTS.has(occ.eventType) && !consented) continue;
      const viewer = activityViewer(sub.userId, consented);
      const pkey = `${occ.eventType}|${occ.userId}|${viewer.userId ?? ''}`;
      let payload = payloads.get(pkey);
      if (!payload) payloads.set(pkey, (payload = this.activityPayload(e, occ, viewer)));
      const p = await payload;
      if (!p) continue;
      out.push({ sub, eventType: occ.eventType, message: (uuid) => views.activityMessage({ eventUuid: uuid, eventType: occ.eventType, filter: filterOf(sub), tag: sub.tag, ...p }) });
    }
    return out;
  }

  /** X Activity deliveries to webhooks for a batch (`prepareActivityMatches` of subscriptions with a webhook). */
  async prepareActivity(batch: FanoutBatch): Promise<EventPlanner> {
    const matchesOf = await this.prepareActivityMatches(batch, { webhooksOnly: true });
    return async (e) =>
      (await matchesOf(e)).map((m) => ({
        webhookId: m.sub.webhookId!,
        appId: m.sub.appId,
        kind: 'activity' as const,
        eventType: m.eventType,
        forUserId: m.sub.userId,
        priceMicros: eventPrice(m.eventType).micros,
        chargeKey: activityChargeKey(e, m.eventType, m.sub.userId),
        body: (id: string) => views.payloadJson(m.message(id)),
      }));
  }

  private async activityPayload(e: DomainEvent, occ: ActivityOccurrence, viewer: Viewer): Promise<Payload | null> {
    switch (e.type) {
      case 'post.created':
      case 'repost.created': {
        const out = await renderPosts(this.env(viewer), [postIdOf(e)!], ACTIVITY_POSTS, LIST);
        return out.data.length ? { payload: out.data[0], includes: out.includes as Record<string, unknown[]> | undefined } : null;
      }
      case 'post.deleted':
      case 'repost.deleted': {
        const [id, author] = e.type === 'post.deleted' ? [e.postId, e.authorId] : [e.repostId, e.userId];
        const users = await renderUsers(this.env(viewer), { ids: [author] }, ACTIVITY_USERS, LIST);
        return { payload: { id, author_id: author }, includes: users.data.length ? { users: users.data } : undefined };
      }
      case 'like.created': {
        const out = await renderPosts(this.env(viewer), [e.postId], ACTIVITY_LIKED, LIST);
        const liked = out.data[0] as { author_id?: string } | undefined;
        if (!liked) return null;
        const liker = await renderUsers(this.env(viewer), { ids: [e.userId] }, ACTIVITY_USERS, LIST);
        const payload = { id: likeId(e.userId, e.postId), created_at: iso(e.at), timestamp_ms: e.at, liked_tweet_id: e.postId, tweet_author_id: liked.author_id };
        return { payload, includes: { tweets: out.data, users: [...((out.includes?.users as unknown[]) ?? []), ...liker.data] } };
      }
      case 'follow.created':
      case 'follow.deleted':
      case 'block.created':
      case 'block.deleted':
      case 'mute.created':
      case 'mute.deleted': {
        const [source, target] = e.type.startsWith('follow') ? [(e as { followerId: string }).followerId, (e as { followeeId: string }).followeeId] : [(e as { userId: string }).userId, (e as { targetId: string }).targetId];
        const out = await renderUsers(this.env(viewer), { ids: [source, target] }, ACTIVITY_USERS, LIST);
        const byId = new Map(out.data.map((u) => [String((u as { id: string }).id), u]));
        if (!byId.has(source) || !byId.has(target)) return null;
        return { payload: { source: byId.get(source), target: byId.get(target) } };
      }
      case 'user.profile.updated':
        return occ.userId === e.userId ? { payload: { after: e.value } } : null;
      case 'dm.message.created': {
        const m = await this.dmMessage(e.eventId);
        if (!m) return null;
        const event = views.dmMessageEvent(m, { senderId: e.senderId, at: e.at, recipientId: recipientOf(e.senderId, e.recipientIds, e.conversationId, occ.userId) });
        return this.dmPayload(viewer, e.senderId, e.recipientIds, 'direct_message_events', event);
      }
      case 'chat.typing':
      case 'chat.read': {
        const a = { senderId: e.userId, at: e.at, recipientId: recipientOf(e.userId, e.recipientIds, e.conversationId, occ.userId) };
        return e.type === 'chat.typing'
          ? this.dmPayload(viewer, e.userId, e.recipientIds, 'direct_message_indicate_typing_events', views.dmTypingEvent(a))
          : this.dmPayload(viewer, e.userId, e.recipientIds, 'direct_message_mark_read_events', views.dmMarkReadEvent(a, e.seenUntil));
      }
      case 'chat.message.created':
      case 'chat.conversation.created':
      case 'chat.members.added': {
        const id = e.type === 'chat.message.created' ? e.eventId : e.sequenceId;
        const row = (await this.ctx.repos.chats.eventsByIds([id])).get(id);
        return row ? { payload: views.activityChatPayload(row) } : null;
      }
      case 'space.started':
      case 'space.ended': {
        const host = await renderUsers(this.env(viewer), { ids: [e.creatorId] }, ACTIVITY_USERS, LIST);
        return host.data.length ? { payload: views.activitySpacePayload(host.data[0], e.spaceId, e.type === 'space.started' ? 'start' : 'end') } : null;
      }
      default:
        return null;
    }
  }

  /** A legacy DM event's payload with the users it names as the viewer sees them; null when the actor is not among them. */
  private async dmPayload(viewer: Viewer, actorId: string, recipientIds: readonly string[], list: Parameters<typeof views.activityDmPayload>[0], event: unknown): Promise<Payload | null> {
    const users = await renderUsers(this.env(viewer), { ids: [...new Set([actorId, ...recipientIds])] }, ACTIVITY_USERS, LIST);
    const shown = users.data as { id: string }[];
    return shown.some((u) => u.id === actorId) ? { payload: views.activityDmPayload(list, event, shown) } : null;
  }
}

/**
 * Whom a DM event is addressed to in `userId`'s copy: themselves when they received it; for the actor's own copy
 * the other participant of a one-to-one conversation, themselves in a conversation with nobody else, and the
 * conversation id in a group (X's v1.1 shape has no field for a group).
 */
function recipientOf(senderId: string, recipientIds: readonly string[], conversationId: string, userId: string): string {
  if (userId !== senderId) return userId;
  return recipientIds.length === 0 ? senderId : recipientIds.length === 1 ? recipientIds[0]! : conversationId;
}

interface Payload {
  payload: unknown;
  includes?: Record<string, unknown[]>;
}

export interface ActivityMatchOptions {
  /** Only subscriptions of these apps (those with an open activity stream). */
  onlyApps?: ReadonlySet<string>;
  /** Only subscriptions delivering to a webhook. */
  webhooksOnly?: boolean;
}

export interface ActivityMatch {
  sub: ActivitySubscriptionRow;
  eventType: string;
  message(eventUuid: string): Record<string, unknown>;
}

function filterOf(s: ActivitySubscriptionRow): views.ActivityFilter {
  const f: views.ActivityFilter = {};
  if (s.userId) f.user_id = s.userId;
  if (s.keyword) f.keyword = s.keyword;
  if (s.direction) f.direction = s.direction;
  return f;
}
