/**
 * Filtered-stream webhook links (POST /2/tweets/search/webhooks/:webhook_id): a post the app's filtered-stream
 * rules match is POSTed to every linked webhook as the stream's own line — `data`, `includes`, `matching_rules`
 * — rendered with the fields and expansions stored with the link. Which posts may go out at all is the stream's
 * rule (pipeline/rules.ts, app-only viewer); the line is streams/views.ts's, so a link and a held connection
 * carry the same bytes.
 *
 * Links and rules are read from the database for each batch of events (no cache between batches): fan-out runs on
 * whichever node claims the events, and a link or rule change must count on every node at once.
 */
import type { Context } from '../context.js';
import type { DomainEvent } from '../events/bus.js';
import { eventPrice } from '../limits/metering.js';
import { judgeAppOnlyPost, renderPosts } from '../pipeline/render.js';
import { APP_ONLY } from '../pipeline/rules.js';
import { selectionFrom } from '../pipeline/selection.js';
import { loadMatchDocs } from '../search/match-docs.js';
import { RuleSets } from '../streams/rule-sets.js';
import { postHead, postLine } from '../streams/views.js';
import type { DeliveryPlanner } from './engine.js';
import type { EventPlanner, PlannedDelivery } from './fanout.js';

export type StreamLinksContext = Pick<Context, 'repos' | 'clock' | 'config'>;

/** The post a stream would carry for this event (the new version of an edit, the repost itself). */
function streamedPost(e: DomainEvent): string | null {
  if (e.type === 'post.created' || e.type === 'post.edited') return e.postId;
  if (e.type === 'repost.created') return e.repostId;
  return null;
}

export class StreamLinkPlanner implements DeliveryPlanner {
  constructor(private readonly ctx: StreamLinksContext) {}

  /** Links are read once for the batch, and its posts with their match documents; each app's rules once. */
  async prepare(events: readonly DomainEvent[]): Promise<EventPlanner> {
    const postIds = [...new Set(events.flatMap((e) => streamedPost(e) ?? []))];
    if (!postIds.length) return async () => [];
    const { repos } = this.ctx;
    const links = await repos.webhooks.allLinks();
    if (!links.length) return async () => [];
    const posts = await repos.posts.byIds(postIds);
    const docs = new Map((await loadMatchDocs(repos, [...posts.values()], { liveRefs: true })).map((d) => [d.post.id, d]));
    const rules = new RuleSets(repos, this.ctx.config.tier);
    const price = eventPrice('post.create').micros;
    return async (e) => {
      const postId = streamedPost(e);
      const post = postId ? posts.get(postId) : undefined;
      if (!postId || !post) return [];
      const doc = docs.get(postId);
      if (!doc || (await judgeAppOnlyPost(repos, post, doc.author)) !== 'ok') return [];
      const out: PlannedDelivery[] = [];
      for (const link of links) {
        const matched = (await rules.of(link.appId)).match(doc);
        if (!matched.length) continue;
        const sel = selectionFrom(Object.fromEntries(Object.entries(link.params).map(([k, v]) => [k, v.split(',')])));
        const head = postHead(await renderPosts({ repos, viewer: APP_ONLY, now: this.ctx.clock.now() }, [postId], sel, { parameter: null }));
        if (!head) continue;
        // The stream's line without its \r\n: one JSON object per POST.
        const body = postLine(head, matched).trimEnd();
        out.push({ webhookId: link.webhookId, appId: link.appId, kind: 'filtered_stream', eventType: 'post.create', forUserId: null, priceMicros: price, body: () => body });
      }
      return out;
    };
  }
}
