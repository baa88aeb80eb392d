/**
 * Streams (FACTS §6): every open stream connection of this node, fed from the bus (never from the database by
 * polling). One hub per server, subscribed from start so `backfill_minutes` can replay the last minutes.
 *
 * - Events are handled one at a time in arrival order (a promise queue): a post is loaded once, matched against
 *   every filtered-stream app's indexed rules, rendered once per distinct field/expansion selection and written to
 *   every connection that wants it — one line per post, with all its `matching_rules`.
 * - Framing: chunked HTTP, one JSON object per line ending `\r\n`; a bare `\r\n` keep-alive every
 *   `streamKeepaliveMs`. A connection whose unsent bytes exceed `streamBufferBytes` is dropped (slow reader), so
 *   memory stays bounded. Shutdown and force-disconnects write X's `operational-disconnect` line first.
 * - Rule changes arrive as `stream.rules.changed` on the bus; the app's rule set is rebuilt before the next post.
 * - Connection slots: `streamConnections` per app, endpoint and partition; the history of closed connections (for
 *   GET /2/connections) is kept in memory, bounded.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { StreamHandover } from '../api/operation.js';
import type { Context } from '../context.js';
import type { DomainEvent } from '../events/bus.js';
import type { Selection } from '../pipeline/selection.js';
import { renderPosts, type RenderEnv } from '../pipeline/render.js';
import { fromError, PROBLEMS, ProblemError } from '../errors.js';
import { parseQuery } from '../query/index.js';
import { sampleBucket, type MatchDoc } from '../query/matcher.js';
import { loadMatchDocs } from '../search/match-docs.js';
import { RuleSet, type CompiledRule } from './rule-index.js';
import { likeId, postsByPartition } from './partition.js';

export type EndpointName =
  | 'filtered_stream'
  | 'sample_stream'
  | 'sample10_stream'
  | 'firehose_stream'
  | 'firehose_stream_lang_en'
  | 'firehose_stream_lang_ja'
  | 'firehose_stream_lang_ko'
  | 'firehose_stream_lang_pt'
  | 'tweets_compliance_stream'
  | 'users_compliance_stream'
  | 'tweet_label_stream'
  | 'likes_firehose_stream'
  | 'likes_sample10_stream'
  | 'likes_compliance_stream';

export type StreamKind = 'posts' | 'likes' | 'tweets_compliance' | 'users_compliance' | 'likes_compliance' | 'labels';

export interface StreamSpec {
  endpoint: EndpointName;
  kind: StreamKind;
  /** Posts streams: which posts this stream carries at all (sample, language). */
  accept?: (doc: MatchDoc) => boolean;
  /** Number of partitions when `partition` is required (the spec's maximum). */
  partitions?: number;
}

export interface OpenRequest {
  appId: string;
  sel: Selection;
  /** Raw query params (likes field lists). */
  params: Readonly<Record<string, unknown>>;
  partition: number | null;
  /** Replay buffered events from this time (backfill_minutes / start_time), up to `replayUntil` if set. */
  replayFrom: number | null;
  /** With end_time: the stream ends once the replay is written (recovery). */
  replayUntil: number | null;
}

export type Handover = StreamHandover;

export type DisconnectReason = 'ClientDisconnected' | 'SlowReader' | 'ForceDisconnect' | 'OperationalDisconnect';

export interface ConnectionInfo {
  id: string;
  appId: string;
  endpoint: EndpointName;
  partition: number | null;
  clientIp: string;
  connectedAt: number;
  disconnectedAt: number | null;
  disconnectReason: DisconnectReason | null;
  /** Order of opening (pagination of GET /2/connections). */
  seq: number;
}

const CRLF = '\r\n';
const HISTORY = 1000;
/** Events kept for backfill (at most 5 minutes, and at most this many). */
const RECENT_MAX = 100_000;
const BACKFILL_MS = 5 * 60_000;

export function disconnectLine(kind: 'shutdown' | 'force'): string {
  const e =
    kind === 'shutdown'
      ? {
          title: 'operational-disconnect',
          disconnect_type: 'UpstreamOperationalDisconnect',
          detail: 'This stream has been disconnected upstream for operational reasons.',
          type: `${PROBLEMS}operational-disconnect`,
        }
      : {
          title: 'operational-disconnect',
          disconnect_type: 'ForceDisconnect',
          detail: 'This stream has been disconnected by a request to the Connections API.',
          type: `${PROBLEMS}operational-disconnect`,
        };
  return JSON.stringify({ errors: [e] }) + CRLF;
}

class Connection {
  readonly info: ConnectionInfo;
  private timer: NodeJS.Timeout | null = null;
  closed = false;
  /** Live events wait until backfill has been written. */
  ready = false;

  constructor(
    private readonly hub: StreamHub,
    readonly spec: StreamSpec,
    readonly open: OpenRequest,
    private readonly res: ServerResponse,
    info: ConnectionInfo,
  ) {
    this.info = info;
  }

  start(h: Handover, keepaliveMs: number): void {
    const res = this.res;
    res.writeHead(200, h.headers as Record<string, string>);
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    // 'close' fires when the client goes away (or after our own end/destroy, when finish is a no-op).
    res.on('close', () => this.finish('ClientDisconnected'));
    res.on('error', () => this.finish('ClientDisconnected'));
    this.timer = setInterval(() => this.write(CRLF), keepaliveMs);
    this.timer.unref();
  }

  /** Writes one frame; drops the connection when the client does not keep up. */
  write(frame: string): void {
    if (this.closed) return;
    this.res.write(frame);
    if (this.res.writableLength > this.hub.bufferBytes) {
      this.finish('SlowReader');
      this.res.destroy();
    }
  }

  /** Ends a recovery stream after its replay. */
  complete(): void {
    if (this.closed) return;
    this.finish('ClientDisconnected');
    this.res.end();
  }

  /** Ends the stream with a final error line (shutdown, force disconnect). */
  end(reason: DisconnectReason, line: string): void {
    if (this.closed) return;
    this.res.write(line);
    this.finish(reason);
    this.res.end();
    // A client that stopped reading must not hold the server open.
    setTimeout(() => this.res.destroy(), 1000).unref();
  }

  finish(reason: DisconnectReason): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.hub.closed(this, reason);
  }
}

interface RecentEvent {
  event: DomainEvent;
  at: number;
  /** Arrival order: a backfill replays only events that arrived before its connection opened. */
  seq: number;
}

/** 429 for a connection over the app's slot count (FACTS §6.3). */
export const tooManyConnections = () =>
  new ProblemError(429, {
    title: 'ConnectionException',
    detail: 'This stream is currently at the maximum allowed connection limit.',
    connection_issue: 'TooManyConnections',
    type: `${PROBLEMS}streaming-connection`,
  });

export class StreamHub {
  private readonly open = new Set<Connection>();
  private readonly history: ConnectionInfo[] = [];
  private readonly ruleSets = new Map<string, RuleSet>();
  /** Events of the last five minutes for backfill: `recent[recentHead..]` (a queue over an array). */
  private readonly recent: RecentEvent[] = [];
  private recentHead = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  private seq = 0;
  /** Sequence number of the last buffered event. */
  private eventSeq = 0;
  private shuttingDown = false;
  readonly bufferBytes: number;

  constructor(private readonly ctx: Context) {
    this.bufferBytes = ctx.config.streamBufferBytes;
    this.unsubscribe = ctx.bus.subscribe((e) => this.onEvent(e));
  }

  // -------------------------------------------------------------------------------------------------------------
  // connections

  /**
   * Checks the connection slot (429 TooManyConnections) and, for the filtered stream, that the app has rules
   * (409). Returns the function that takes over the socket.
   */
  async prepare(spec: StreamSpec, o: OpenRequest): Promise<(h: Handover) => void> {
    if (this.shuttingDown) throw new ProblemError(503, { title: 'Service Unavailable', type: 'about:blank', status: 503, detail: 'Service Unavailable' });
    if (this.slotsFull(spec, o)) throw tooManyConnections();
    if (spec.endpoint === 'filtered_stream') {
      // Counted in the database, not the cached rule set: a change may still be queued behind posts.
      if ((await this.ctx.repos.streamRules.countByApp(o.appId)) === 0) {
        throw new ProblemError(409, {
          title: 'ConnectionException',
          detail: 'This stream has no rules: add rules with POST /2/tweets/search/stream/rules before connecting.',
          connection_issue: 'RuleConfigurationIssue',
          type: `${PROBLEMS}streaming-connection`,
        });
      }
    }
    // The slot is taken at handover time too (two racing connects: the second one loses).
    return (h: Handover) => {
      const info: ConnectionInfo = {
        id: randomUUID(),
        appId: o.appId,
        endpoint: spec.endpoint,
        partition: o.partition,
        clientIp: h.req.socket.remoteAddress ?? '',
        connectedAt: this.ctx.clock.now(),
        disconnectedAt: null,
        disconnectReason: null,
        seq: ++this.seq,
      };
      if (this.slotsFull(spec, o) || this.shuttingDown) {
        const wire = fromError(tooManyConnections());
        h.res.writeHead(wire.status, { ...h.headers, ...wire.headers, 'content-type': wire.contentType } as Record<string, string>);
        h.res.end(JSON.stringify(wire.body));
        return;
      }
      const conn = new Connection(this, spec, o, h.res, info);
      this.open.add(conn);
      conn.start(h, this.ctx.config.streamKeepaliveMs);
      // Backfill runs in the event queue: live events queued after it are written after it. It replays only what
      // arrived before this moment; later events (even if buffered before the task runs) are written live.
      const upTo = this.eventSeq;
      this.enqueue(async () => {
        if (o.replayFrom !== null) {
          const until = o.replayUntil ?? Infinity;
          const buffered = this.recent.slice(this.recentHead);
          for (const r of buffered) {
            if (r.seq > upTo) break;
            if (r.at >= o.replayFrom && r.at <= until && !conn.closed) await this.deliver(r.event, [conn]);
          }
        }
        if (o.replayUntil !== null) conn.complete();
        else conn.ready = true;
      });
    };
  }

  /** Whether the app already uses every slot of this endpoint and partition. */
  private slotsFull(spec: StreamSpec, o: OpenRequest): boolean {
    let busy = 0;
    for (const c of this.open) if (c.open.appId === o.appId && c.spec.endpoint === spec.endpoint && c.open.partition === o.partition) busy++;
    return busy >= this.ctx.config.streamConnections;
  }

  closed(c: Connection, reason: DisconnectReason): void {
    if (!this.open.delete(c)) return;
    c.info.disconnectedAt = this.ctx.clock.now();
    c.info.disconnectReason = reason;
    this.history.push(c.info);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
  }

  /** Connections of an app, newest first: active, inactive (closed, kept in memory) or both. */
  connections(appId: string, status: 'active' | 'inactive' | 'all'): ConnectionInfo[] {
    const out: ConnectionInfo[] = [];
    if (status !== 'inactive') for (const c of this.open) if (c.info.appId === appId) out.push(c.info);
    if (status !== 'active') for (const i of this.history) if (i.appId === appId) out.push(i);
    return out.sort((a, b) => b.seq - a.seq);
  }

  /** Force-disconnects the app's live connections chosen by `pick`; returns their ids. */
  kill(appId: string, pick: (i: ConnectionInfo) => boolean): string[] {
    const killed: string[] = [];
    for (const c of [...this.open]) {
      if (c.info.appId !== appId || !pick(c.info)) continue;
      killed.push(c.info.id);
      c.end('ForceDisconnect', disconnectLine('force'));
    }
    return killed;
  }

  get openCount(): number {
    return this.open.size;
  }

  /** Server shutdown: every stream gets the operational-disconnect line, then ends. */
  async close(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.unsubscribe();
    for (const c of [...this.open]) c.end('OperationalDisconnect', disconnectLine('shutdown'));
    await this.queue;
  }

  // -------------------------------------------------------------------------------------------------------------
  // rules

  private async rulesOf(appId: string): Promise<RuleSet> {
    let rs = this.ruleSets.get(appId);
    if (rs) return rs;
    const rows = await this.ctx.repos.streamRules.list(appId);
    const tier = this.ctx.config.tier;
    const rules = [];
    for (const r of rows) {
      const p = parseQuery(r.value, { product: 'stream', tier });
      if (p.ok) rules.push({ id: r.id, tag: r.tag, value: r.value, ast: p.ast });
    }
    rs = new RuleSet(rules);
    this.ruleSets.set(appId, rs);
    return rs;
  }

  // -------------------------------------------------------------------------------------------------------------
  // events

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((err) => this.ctx.log.error({ err }, 'stream delivery failed'));
  }

  private onEvent(e: DomainEvent): void {
    if (e.type === 'stream.rules.changed') {
      // Ordered with posts: a post published after the change is matched against the new rules.
      this.enqueue(async () => {
        this.ruleSets.delete(e.appId);
      });
      return;
    }
    if (!STREAMED.has(e.type)) return;
    const now = this.ctx.clock.now();
    this.recent.push({ event: e, at: now, seq: ++this.eventSeq });
    const r = this.recent;
    while (this.recentHead < r.length && (r.length - this.recentHead > RECENT_MAX || r[this.recentHead]!.at < now - BACKFILL_MS)) r[this.recentHead++] = undefined as unknown as RecentEvent;
    // Compact once the dropped prefix is half the array: amortized O(1) per event.
    if (this.recentHead > 1024 && this.recentHead * 2 > r.length) {
      r.splice(0, this.recentHead);
      this.recentHead = 0;
    }
    if (this.open.size === 0) return;
    this.enqueue(() => this.deliver(e, null));
  }

  /** Writes one event to the connections that want it (`only`: backfill of one connection). */
  private async deliver(e: DomainEvent, only: Connection[] | null): Promise<void> {
    const targets = only ?? [...this.open].filter((c) => c.ready);
    if (targets.length === 0) return;
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
    return { repos: this.ctx.repos, viewer: { userId: null }, now: this.ctx.clock.now() };
  }

  private async deliverPost(postId: string, targets: Connection[]): Promise<void> {
    const postConns = targets.filter((c) => c.spec.kind === 'posts');
    if (postConns.length === 0) return;
    const post = (await this.ctx.repos.posts.byIds([postId])).get(postId);
    if (!post || post.deleted) return;
    const [doc] = await loadMatchDocs(this.ctx.repos, [post], { liveRefs: true });
    // Streams are public: protected and suspended authors' posts are not delivered.
    if (!doc || doc.author.protected || doc.author.suspended) return;
    const renders = new Map<string, Promise<string | null>>();
    const rendered = (sel: Selection): Promise<string | null> => {
      const key = selectionKey(sel);
      let r = renders.get(key);
      if (!r) {
        r = renderPosts(this.renderEnv(), [postId], sel, { parameter: null }).then((out) => {
          if (!out.data.length) return null;
          const inc = out.includes ? `,"includes":${JSON.stringify(out.includes)}` : '';
          const err = out.errors ? `,"errors":${JSON.stringify(out.errors)}` : '';
          return `{"data":${JSON.stringify(out.data[0])}${inc}${err}`;
        });
        renders.set(key, r);
      }
      return r;
    };
    for (const c of postConns) {
      if (c.closed) continue;
      if (c.spec.endpoint === 'filtered_stream') {
        const rules = await this.rulesOf(c.open.appId);
        const matched = rules.match(doc);
        if (matched.length === 0) continue;
        const head = await rendered(c.open.sel);
        if (head) c.write(`${head},"matching_rules":${JSON.stringify(matched.map(ruleRef))}}${CRLF}`);
        continue;
      }
      if (c.spec.accept && !c.spec.accept(doc)) continue;
      if (c.spec.partitions && c.open.partition !== null && postsByPartition(postId, c.spec.partitions) !== c.open.partition) continue;
      const head = await rendered(c.open.sel);
      if (head) c.write(`${head}}${CRLF}`);
    }
  }

  private async deliverLike(userId: string, postId: string, at: number, targets: Connection[]): Promise<void> {
    const conns = targets.filter((c) => c.spec.kind === 'likes');
    if (conns.length === 0) return;
    const post = (await this.ctx.repos.posts.byIds([postId])).get(postId);
    if (!post || post.deleted) return;
    const author = (await this.ctx.repos.users.byIds([post.authorId])).get(post.authorId);
    if (!author || author.protected || author.suspended) return;
    const id = likeId(userId, postId);
    for (const c of conns) {
      if (c.closed) continue;
      if (c.spec.endpoint === 'likes_sample10_stream' && sampleBucket(postId) >= 10) continue;
      if (c.spec.partitions && c.open.partition !== null && postsByPartition(postId, c.spec.partitions) !== c.open.partition) continue;
      c.write(JSON.stringify(await this.likeMessage(c, { id, userId, post, at })) + CRLF);
    }
  }

  private async likeMessage(
    c: Connection,
    l: { id: string; userId: string; post: { id: string; authorId: string; mediaKeys: string[] | null }; at: number },
  ): Promise<Record<string, unknown>> {
    const fields = new Set(listParam(c.open.params['like_with_tweet_author.fields']));
    const exp = new Set(listParam(c.open.params.expansions));
    const data: Record<string, unknown> = { id: l.id };
    // Default fields: id, created_at, liked_tweet_id, tweet_author_id; the others when asked.
    data.created_at = new Date(l.at).toISOString();
    data.liked_tweet_id = l.post.id;
    data.tweet_author_id = l.post.authorId;
    if (fields.has('timestamp_ms')) data.timestamp_ms = l.at;
    if (fields.has('attachments_media_keys') && l.post.mediaKeys?.length) data.attachments = { media_keys: l.post.mediaKeys };
    const msg: Record<string, unknown> = { data };
    if (exp.size) {
      const sel = c.open.sel;
      const postExp = new Set<string>();
      if (exp.has('liked_tweet_author_id')) postExp.add('author_id');
      if (exp.has('attachments.media_keys')) postExp.add('attachments.media_keys');
      const out = await renderPosts(this.renderEnv(), [l.post.id], { ...sel, expansions: postExp }, { parameter: null });
      const includes: Record<string, unknown[]> = {};
      const tweetsKey = sel.generation === 'modern' ? 'posts' : 'tweets';
      if (exp.has('liked_tweet_id') && out.data.length) includes[tweetsKey] = out.data;
      if (out.includes?.users) includes.users = out.includes.users;
      if (out.includes?.media) includes.media = out.includes.media;
      if (Object.keys(includes).length) msg.includes = includes;
    }
    return msg;
  }

  private async deliverCompliance(e: DomainEvent, targets: Connection[]): Promise<void> {
    const m = await complianceMessage(this.ctx, e);
    if (!m) return;
    for (const c of targets) {
      if (c.closed || c.spec.kind !== m.kind) continue;
      if (c.spec.partitions && c.open.partition !== null && postsByPartition(m.partitionKey, c.spec.partitions) !== c.open.partition) continue;
      c.write(m.line);
    }
  }
}

const STREAMED: ReadonlySet<DomainEvent['type']> = new Set<DomainEvent['type']>([
  'post.created', 'post.edited', 'repost.created', 'repost.deleted', 'post.deleted', 'post.withheld', 'post.labeled', 'like.created',
  'like.deleted', 'user.protected', 'user.unprotected', 'user.suspended', 'user.unsuspended', 'user.deleted',
  'user.undeleted', 'user.withheld', 'user.profile.updated',
]);

/** Observed payloads carry `"tag":""` for a rule created without a tag. */
const ruleRef = (r: CompiledRule) => ({ id: r.id, tag: r.tag ?? '' });

function listParam(v: unknown): string[] {
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? v.split(',') : [];
}

function selectionKey(s: Selection): string {
  const list = (x: Set<string>) => [...x].sort().join(',');
  return [s.generation, list(s.post), list(s.user), list(s.media), list(s.poll), list(s.place), list(s.expansions)].join('|');
}

const USER_EVENTS: Record<string, string> = {
  'user.protected': 'user_protect',
  'user.unprotected': 'user_unprotect',
  'user.suspended': 'user_suspend',
  'user.unsuspended': 'user_unsuspend',
  'user.deleted': 'user_delete',
  'user.undeleted': 'user_undelete',
};

/** The compliance line for an event (spec shapes: PostComplianceData, UserComplianceData, …), or null. */
async function complianceMessage(ctx: Context, e: DomainEvent): Promise<{ kind: StreamKind; line: string; partitionKey: string } | null> {
  const event_at = new Date(e.at).toISOString();
  const line = (data: unknown) => JSON.stringify({ data }) + CRLF;
  switch (e.type) {
    case 'post.deleted':
      return { kind: 'tweets_compliance', partitionKey: e.postId, line: line({ delete: { tweet: { id: e.postId, author_id: e.authorId }, event_at } }) };
    case 'repost.deleted':
      // Un-reposting deletes the repost, a post of the user's own.
      return { kind: 'tweets_compliance', partitionKey: e.repostId, line: line({ delete: { tweet: { id: e.repostId, author_id: e.userId }, event_at } }) };
    case 'post.withheld':
      return {
        kind: 'tweets_compliance',
        partitionKey: e.postId,
        line: line({ withheld: { tweet: { id: e.postId, author_id: e.authorId }, withheld_in_countries: e.countries, event_at } }),
      };
    case 'post.edited': {
      const post = (await ctx.repos.posts.byIds([e.postId])).get(e.postId);
      if (!post) return null;
      const chain = (await ctx.repos.posts.editChains([post.editRootId])).get(post.editRootId) ?? [post.editRootId, e.postId];
      return {
        kind: 'tweets_compliance',
        partitionKey: e.postId,
        line: line({ tweet_edit: { tweet: { id: e.postId }, event_at, initial_tweet_id: post.editRootId, edit_tweet_ids: chain } }),
      };
    }
    case 'post.labeled': {
      const tweet = { id: e.postId, author_id: e.authorId };
      if (e.label === 'unviewable') {
        return { kind: 'labels', partitionKey: e.postId, line: line({ public_tweet_unviewable: { tweet, event_at, application: e.application } }) };
      }
      const notice: Record<string, unknown> = { tweet, event_type: e.eventType ?? 'misleading', event_at, application: e.application };
      if (e.details !== undefined) notice.details = e.details;
      if (e.labelTitle !== undefined) notice.label_title = e.labelTitle;
      if (e.url !== undefined) notice.extended_details_url = e.url;
      return { kind: 'labels', partitionKey: e.postId, line: line({ public_tweet_notice: notice }) };
    }
    case 'like.deleted':
      return { kind: 'likes_compliance', partitionKey: e.postId, line: line({ delete: { favorite: { id: e.postId, user_id: e.userId }, event_at } }) };
    case 'user.withheld':
      return { kind: 'users_compliance', partitionKey: e.userId, line: line({ user_withheld: { user: { id: e.userId }, withheld_in_countries: e.countries, event_at } }) };
    case 'user.profile.updated':
      return {
        kind: 'users_compliance',
        partitionKey: e.userId,
        line: line({ user_profile_modification: { user: { id: e.userId }, profile_field: e.field, new_value: e.value, event_at } }),
      };
    case 'user.protected':
    case 'user.unprotected':
    case 'user.suspended':
    case 'user.unsuspended':
    case 'user.deleted':
    case 'user.undeleted':
      return { kind: 'users_compliance', partitionKey: e.userId, line: line({ [USER_EVENTS[e.type]!]: { user: { id: e.userId }, event_at } }) };
    default:
      return null;
  }
}

const hubs = new WeakMap<Context, StreamHub>();

/** The server's stream hub (created on first use; `startServer` creates it at start so backfill sees everything). */
export function streamHub(ctx: Context): StreamHub {
  let h = hubs.get(ctx);
  if (!h) {
    h = new StreamHub(ctx);
    hubs.set(ctx, h);
  }
  return h;
}

/** Ends every stream of this server (operational-disconnect line first); a no-op when none was opened. */
export async function closeStreams(ctx: Context): Promise<void> {
  await hubs.get(ctx)?.close();
}
