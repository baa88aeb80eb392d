/**
 * The bus subscriber that feeds every stream (FACTS §6). Events are handled one at a time in arrival order (a
 * promise queue), so a connection sees them in the order they were published and a rule change takes effect
 * exactly between two posts. A post is loaded once, matched once per app against its indexed rule set, rendered
 * once per distinct field/expansion selection and written to every connection that wants it — one line per post
 * with all its `matching_rules`. Whether a post may be streamed at all is the rules module's call
 * (pipeline/rules.ts, app-only viewer); the lines themselves come from views.ts. The activity stream carries the
 * app's X Activity subscriptions' events, matched and rendered by the webhook fan-out (delivery/fanout.ts) so a
 * stream and a webhook see the same events in the same envelope.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { Fanout } from '../delivery/fanout.js';
import type { Repos } from '../data/index.js';
import type { Bus, Delivery, DomainEvent } from '../events/bus.js';
import { activityChargeKey } from '../events/activity.js';
import { judgeAppOnlyPost, renderPosts, type RenderEnv } from '../pipeline/render.js';
import { APP_ONLY } from '../pipeline/rules.js';
import type { Selection } from '../pipeline/selection.js';
import { sampleBucket } from '../query/matcher.js';
import { loadMatchDocs } from '../search/match-docs.js';
import type { Snowflake } from '../util/snowflake.js';
import type { RecentEvents } from './backfill.js';
import type { StreamConnection } from './connection.js';
import { likeId, postsByPartition } from './partition.js';
import type { ConnectionRegistry } from './registry.js';
import type { CompiledRule } from './rule-index.js';
import type { RuleSets } from './rule-sets.js';
import { activityLine, complianceMessage, likeAsk, likedPostExpansions, likeLine, postHead, postLine, type EditChain } from './views.js';

export interface DispatchDeps {
  bus: Bus;
  repos: Repos;
  clock: Clock;
  /** The activity stream's `event_uuid`s. */
  ids: Snowflake;
  log: Pick<Logger, 'error'>;
  registry: ConnectionRegistry;
  backfill: RecentEvents;
  rules: RuleSets;
  /**
   * Charges an app for an activity event written to its streams (`eventPrice`), once per `key` (the same key on
   * every connection, replay and node, and for the app's webhook: events/activity.ts `activityChargeKey`).
   */
  chargeEvent?: (appId: string, eventType: string, once: { key: string; at: number }) => Promise<unknown>;
}

/** The events streams carry (and backfill keeps). */
const STREAMED: ReadonlySet<DomainEvent['type']> = new Set<DomainEvent['type']>([
  'post.created', 'post.edited', 'repost.created', 'repost.deleted', 'post.deleted', 'post.withheld', 'post.labeled', 'like.created',
  'like.deleted', 'user.protected', 'user.unprotected', 'user.suspended', 'user.unsuspended', 'user.deleted',
  'user.undeleted', 'user.withheld', 'user.profile.updated',
  // X Activity events only (the activity stream).
  'follow.created', 'follow.deleted', 'block.created', 'block.deleted', 'mute.created', 'mute.deleted', 'dm.message.created',
  'chat.typing', 'chat.read', 'chat.message.created', 'chat.conversation.created', 'chat.members.added', 'space.started', 'space.ended',
]);

/** Whether an event keyed by `id` lands on the connection's partition (unpartitioned streams take all). */
const onPartition = (c: StreamConnection, id: string) =>
  !c.spec.partitions || c.open.partition === null || postsByPartition(id, c.spec.partitions) === c.open.partition;

export class Dispatcher {
  private queue: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  private readonly fanout: Fanout;

  constructor(private readonly deps: DispatchDeps) {
    this.fanout = new Fanout({ repos: deps.repos, clock: deps.clock });
    this.unsubscribe = deps.bus.subscribe((e, d) => this.onEvent(e, d));
  }

  /** Runs `task` after everything queued so far (backfill uses it to stay ahead of live events). */
  enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((err) => this.deps.log.error({ err }, 'stream delivery failed'));
  }

  /** Stops taking events; the returned promise settles once the queued ones are handled. */
  stop(): Promise<void> {
    this.unsubscribe();
    return this.queue;
  }

  private onEvent(e: DomainEvent, d: Delivery): void {
    if (e.type === 'stream.rules.changed') {
      // Ordered with posts: a post published after the change is matched against the new rules.
      this.enqueue(async () => this.deps.rules.invalidate(e.appId));
      return;
    }
    if (!STREAMED.has(e.type)) return;
    // Events a restarted node catches up on are kept for backfill at the time they happened, not when read.
    const now = this.deps.clock.now();
    this.deps.backfill.record(e, d.catchUp ? Math.min(e.at, now) : now);
    if (this.deps.registry.size === 0) return;
    // The targets are taken when the event's turn comes: a connection whose backfill ran first is live by then.
    this.enqueue(() => this.deliver(e, this.deps.registry.live()));
  }

  /** Writes one event to those of `targets` that want it. */
  async deliver(e: DomainEvent, targets: readonly StreamConnection[]): Promise<void> {
    if (targets.length === 0) return;
    await this.deliverActivity(e, targets);
    switch (e.type) {
      case 'post.created':
        return this.deliverPost(e.postId, targets);
      case 'post.edited':
        // The new version is a post of its own on post streams, and a tweet_edit event on compliance streams.
        await this.deliverPost(e.postId, targets);
        return this.deliverCompliance(e, targets);
      case 'repost.created':
        return this.deliverPost(e.repostId, targets);
      case 'like.created':
        return this.deliverLike(e.userId, e.postId, e.at, targets);
      default:
        return this.deliverCompliance(e, targets);
    }
  }

  private renderEnv(): RenderEnv {
    return { repos: this.deps.repos, viewer: APP_ONLY, now: this.deps.clock.now() };
  }

  private async deliverPost(postId: string, targets: readonly StreamConnection[]): Promise<void> {
    const postConns = targets.filter((c) => c.spec.kind === 'posts');
    if (postConns.length === 0) return;
    const { repos } = this.deps;
    const post = (await repos.posts.byIds([postId])).get(postId);
    if (!post) return;
    const [doc] = await loadMatchDocs(repos, [post], { liveRefs: true });
    if (!doc || (await judgeAppOnlyPost(repos, post, doc.author)) !== 'ok') return;
    const heads = new Map<string, Promise<string | null>>();
    const head = (sel: Selection): Promise<string | null> => {
      const key = selectionKey(sel);
      let h = heads.get(key);
      if (!h) {
        h = renderPosts(this.renderEnv(), [postId], sel, { parameter: null }).then(postHead);
        heads.set(key, h);
      }
      return h;
    };
    const matches = new Map<string, CompiledRule[]>();
    for (const c of postConns) {
      if (c.closed) continue;
      let matched: CompiledRule[] | null = null;
      if (c.spec.endpoint === 'filtered_stream') {
        const appId = c.open.appId;
        matched = matches.get(appId) ?? null;
        if (!matched) {
          matched = (await this.deps.rules.of(appId)).match(doc);
          matches.set(appId, matched);
        }
        if (matched.length === 0) continue;
      } else {
        if (c.spec.accept && !c.spec.accept(doc)) continue;
        if (!onPartition(c, postId)) continue;
      }
      const h = await head(c.open.sel);
      if (h) c.write(postLine(h, matched));
    }
  }

  private async deliverLike(userId: string, postId: string, at: number, targets: readonly StreamConnection[]): Promise<void> {
    const conns = targets.filter((c) => c.spec.kind === 'likes');
    if (conns.length === 0) return;
    const { repos } = this.deps;
    const post = (await repos.posts.byIds([postId])).get(postId);
    if (!post) return;
    const author = (await repos.users.byIds([post.authorId])).get(post.authorId);
    if ((await judgeAppOnlyPost(repos, post, author)) !== 'ok') return;
    const like = { id: likeId(userId, postId), at, post };
    for (const c of conns) {
      if (c.closed) continue;
      if (c.spec.endpoint === 'likes_sample10_stream' && sampleBucket(postId) >= 10) continue;
      if (!onPartition(c, postId)) continue;
      const ask = likeAsk(c.open.params);
      const expansions = likedPostExpansions(ask);
      const liked = expansions ? await renderPosts(this.renderEnv(), [post.id], { ...c.open.sel, expansions }, { parameter: null }) : null;
      c.write(likeLine(like, ask, c.open.sel.generation, liked));
    }
  }

  private async deliverCompliance(e: DomainEvent, targets: readonly StreamConnection[]): Promise<void> {
    const m = complianceMessage(e, e.type === 'post.edited' ? await this.editChain(e.postId) : null);
    if (!m) return;
    for (const c of targets) {
      if (c.closed || c.spec.kind !== m.kind) continue;
      if (!onPartition(c, m.partitionKey)) continue;
      c.write(m.line);
    }
  }

  /**
   * X Activity events: each subscription of an app with an open activity stream that the event matches gives one
   * message (its own `event_uuid`), written to every activity stream of that app, and charged to the app once
   * (FACTS §4.3): a second connection, a backfill replay or another node writing it again costs nothing.
   */
  private async deliverActivity(e: DomainEvent, targets: readonly StreamConnection[]): Promise<void> {
    const conns = targets.filter((c) => c.spec.kind === 'activity' && !c.closed);
    if (conns.length === 0) return;
    const matches = await this.fanout.activityMatches(e, { onlyApps: new Set(conns.map((c) => c.open.appId)) });
    for (const m of matches) {
      const line = activityLine(m.message(this.deps.ids.next()));
      const to = conns.filter((c) => c.open.appId === m.sub.appId && !c.closed);
      for (const c of to) c.write(line);
      if (!to.length || !this.deps.chargeEvent) continue;
      const once = { key: activityChargeKey(e, m.eventType, m.sub.userId), at: e.at };
      await this.deps.chargeEvent(m.sub.appId, m.eventType, once).catch((err) => this.deps.log.error({ err }, 'activity event charge failed'));
    }
  }

  private async editChain(postId: string): Promise<EditChain | null> {
    const { posts } = this.deps.repos;
    const post = (await posts.byIds([postId])).get(postId);
    if (!post) return null;
    const ids = (await posts.editChains([post.editRootId])).get(post.editRootId) ?? [post.editRootId, postId];
    return { initialId: post.editRootId, ids };
  }
}

/** Connections with equal selections share one render. */
function selectionKey(s: Selection): string {
  const list = (x: Set<string>) => [...x].sort().join(',');
  return [s.generation, list(s.post), list(s.user), list(s.media), list(s.poll), list(s.place), list(s.expansions)].join('|');
}
