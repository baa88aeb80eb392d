/**
 * The posts of a planned world, composed in plan order (text, entities, media, polls, places, likes' times) and turned
 * into what writing them binds: each table's values, flat, made by the data modules' own functions (`postValues`,
 * `searchDocValues`, …; data/bulk.ts writes them). Pure computation over the plan, so it runs the same on the
 * seeding thread or in a worker (seed/compose-worker.ts): one stream of draws, asked batch after batch in order.
 */
import { postValues } from '../data/posts.js';
import { searchDocValues, type SearchDocValues } from '../data/search.js';
import { mediaValues, pollValues } from '../data/attachments.js';
import type { MediaRow, PlaceRow, PollRow, PostRow } from '../data/rows.js';
import { postgresDialect, sqliteDialect, type DialectName } from '../db/dialect.js';
import { buildSearchDoc, type SearchDoc } from '../search/doc.js';
import { snowflakeAt } from '../util/snowflake.js';
import { extractEntities, type LinkTarget } from './entities.js';
import { PLACES, placeRow, type Place } from './places.js';
import { DAY, EPOCH_MS, HOUR, MIN, ORIGINAL, QUOTE, REPLY, REPOST, SEC, fill, shortLink, type PlannedPosts, type PlannedUsers } from './plan.js';
import { Random, WeightedSampler, zipfWeights } from './random.js';
import * as V from './vocab.js';

/** Everything composing needs; its typed arrays may sit on SharedArrayBuffers (a worker then reads them in place). */
export interface ComposeInput {
  seed: number;
  now: number;
  /** Which engine's bind values to make. */
  dialect: DialectName;
  users: Pick<PlannedUsers, 'count' | 'ids' | 'usernames' | 'langs' | 'created' | 'popRank'>;
  /** Followers per user (impressions grow with them). */
  followers: Int32Array;
  posts: Pick<PlannedPosts, 'special' | 'time' | 'ids' | 'author' | 'kind' | 'ref' | 'root' | 'replies' | 'reposts' | 'quotes' | 'likeOffset' | 'likers'>;
}

/** Posts [from, to) as bound values, per table, and what the summary counts of them. */
export interface ComposedBatch {
  from: number;
  to: number;
  posts: unknown[];
  search: SearchDocValues;
  media: unknown[];
  polls: unknown[];
  /** (mentioned user, post) pairs: one per account a post names, however often. */
  mentions: unknown[];
  /** When each like of these posts was made: likes likeOffset[from]… of the plan, in order. */
  likeAt: Float64Array;
  counts: { media: number; polls: number; geo: number; mentions: number };
}

/** Composes a world's posts batch by batch; batches must be asked for in order, from post 0 on. */
export class BatchComposer {
  private readonly writer: PostWriter;
  private readonly d: typeof sqliteDialect;

  constructor(input: ComposeInput) {
    // The stream of the text phase (seed/world.ts): a fork is named, so it is the same here as on the planner's side.
    this.writer = new PostWriter(new Random(input.seed).fork('text'), input.users, input.followers, input.posts, input.now);
    this.d = input.dialect === 'sqlite' ? sqliteDialect : postgresDialect;
  }

  next(from: number, to: number): ComposedBatch {
    const rows = this.writer.compose(from, to);
    const mentions: unknown[] = [];
    for (const m of rows.mentions) mentions.push(this.d.idParam(m.userId), this.d.idParam(m.postId));
    return {
      from,
      to,
      posts: postValues(this.d, rows.posts, []),
      search: searchDocValues(this.d, rows.docs),
      media: mediaValues(this.d, rows.media, []),
      polls: pollValues(this.d, rows.polls, []),
      mentions,
      likeAt: rows.likeAt,
      counts: { media: rows.media.length, polls: rows.polls.length, geo: rows.geo, mentions: rows.mentions.length },
    };
  }
}

/** Public impression counts exist only for posts after this date; older posts report 0. */
const IMPRESSIONS_SINCE = Date.UTC(2022, 11, 14);

const PINNED_TEXT =
  'Introducing a new era for the X Developer Platform! 📣\n\n' +
  'The X API v2 is now the primary API and full of new features. Immediate access for most use cases, or apply to get more access for free. #XAPI\n\n' +
  'https://t.co/Hrm15bkBWJ';
const PINNED_LINK: LinkTarget = { expandedUrl: 'https://developer.x.com/en/docs/x-api', displayUrl: 'developer.x.com/en/docs/x-api' };

interface Composed {
  text: string;
  lang: string;
  links: Map<string, LinkTarget>;
  possiblySensitive: boolean;
}

/** A batch's rows as composed. */
interface Rows {
  posts: PostRow[];
  docs: { id: string; doc: SearchDoc }[];
  media: MediaRow[];
  polls: PollRow[];
  mentions: { userId: string; postId: string }[];
  /** Plan index of the batch's first like. */
  likeBase: number;
  likeAt: Float64Array;
  /** Posts with a place. */
  geo: number;
}

/** Approximate twitter-text weight (v3 config) without parsing: enough to keep generated posts under 280. */
function weight(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) continue;
    w += c <= 0x10ff || (c >= 0x2000 && c <= 0x201f) ? 1 : 2;
  }
  return w;
}

const LINK_WEIGHT = 24; // a space and a 23-weight URL

/** Composes posts in plan order, drawing from one stream: posts must be asked for in order, each once. */
class PostWriter {
  private readonly userIds = new Map<string, string>();
  /** Place rows of the catalogue, as the places table holds them (search documents name them). */
  private readonly placeRows = new Map<string, PlaceRow>();
  private readonly placesByLang = new Map<V.Lang, Place[]>();
  /** Text of posts that reposts will quote, dropped once the last repost of it is written. */
  private readonly repostCache = new Map<number, Composed & { remaining: number }>();
  private readonly mediaIds = new Set<string>();
  private readonly pollIds = new Set<string>();
  private readonly activeUsers: WeightedSampler;

  constructor(
    private readonly r: Random,
    private readonly users: ComposeInput['users'],
    private readonly followers: Int32Array,
    private readonly p: ComposeInput['posts'],
    private readonly now: number,
  ) {
    for (let u = 0; u < users.count; u++) this.userIds.set(users.usernames[u]!.toLowerCase(), users.ids[u]!);
    for (const pl of PLACES) {
      const list = this.placesByLang.get(pl.lang) ?? [];
      list.push(pl);
      this.placesByLang.set(pl.lang, list);
      this.placeRows.set(pl.id, placeRow(pl));
    }
    const w = new Float64Array(users.count);
    const byRank = zipfWeights(users.count, 1.0, 3);
    for (let u = 0; u < users.count; u++) w[u] = byRank[users.popRank[u]!]!;
    this.activeUsers = new WeightedSampler(w);
  }

  compose(from: number, to: number): Rows {
    const likeBase = this.p.likeOffset[from]!;
    const out: Rows = { posts: [], docs: [], media: [], polls: [], mentions: [], likeBase, likeAt: new Float64Array(this.p.likeOffset[to]! - likeBase), geo: 0 };
    for (let i = from; i < to; i++) this.composeOne(i, out);
    return out;
  }

  private postId(i: number): string {
    return String(this.p.ids[i]!);
  }

  private composeOne(i: number, out: Rows): void {
    const { r, p, users } = this;
    const t = p.time[i]!;
    const id = this.postId(i);
    const a = p.author[i]!;
    const k = p.kind[i]!;
    const target = p.ref[i]!;
    const lang = users.langs[a]!;

    let composed: Composed;
    let mediaKeys: string[] | null = null;
    let pollId: string | null = null;
    let placeId: string | null = null;
    let geo: [number, number] | null = null;
    let mediaType: MediaRow['type'] | null = null;

    if (i === p.special) {
      composed = { text: PINNED_TEXT, lang: 'en', links: new Map([['https://t.co/Hrm15bkBWJ', PINNED_LINK]]), possiblySensitive: false };
    } else if (k === REPOST) {
      const orig = this.repostCache.get(target)!;
      composed = { text: `RT @${users.usernames[p.author[target]!]}: ${orig.text}`, lang: orig.lang, links: orig.links, possiblySensitive: orig.possiblySensitive };
      if (--orig.remaining === 0) this.repostCache.delete(target);
    } else {
      let prefix = '';
      if (k === REPLY) {
        const parentAuthor = p.author[target]!;
        const rootAuthor = p.author[p.root[target]!]!;
        if (parentAuthor !== a) {
          prefix = `@${users.usernames[parentAuthor]} `;
          if (rootAuthor !== parentAuthor && rootAuthor !== a && r.chance(0.5)) prefix += `@${users.usernames[rootAuthor]} `;
        }
      }
      const links = new Map<string, LinkTarget>();
      let body: string;
      let postLang: string = lang;
      let budget = 280 - weight(prefix);
      const wantsMedia = k !== QUOTE && r.chance(0.12);
      const wantsPoll = !wantsMedia && k === ORIGINAL && r.chance(0.01);
      if (wantsMedia) budget -= LINK_WEIGHT;
      const shape = r.next();
      if (wantsPoll) {
        const [question, options] = r.pick(V.POLLS[lang]);
        body = question;
        pollId = this.poll(t, options, out);
      } else if (shape < 0.03) {
        body = r.pick(V.UND_TEXTS);
        postLang = 'und';
      } else if (shape < 0.045) {
        body = Array.from({ length: r.int(1, 4) }, () => r.pick(V.EMOJI)).join('');
        postLang = 'art';
      } else if (shape < 0.05) {
        body = `${r.pick(V.HASHTAGS[lang])} ${r.pick(V.HASHTAGS.en)}`;
        postLang = 'qht';
      } else if (wantsMedia && shape < 0.08) {
        body = '';
        postLang = 'zxx';
      } else {
        body = this.sentenceBody(k, lang, t, budget, links);
      }
      let text = prefix + body;
      if (wantsMedia) {
        const { keys, link, type } = this.media(i, a, t, lang, out);
        mediaKeys = keys;
        mediaType = type;
        const short = `https://t.co/${r.alnum(10)}`;
        links.set(short, link);
        text = text ? `${text} ${short}` : short;
      }
      if (!text) text = r.pick(V.UND_TEXTS);
      composed = { text, lang: postLang, links, possiblySensitive: r.chance(wantsMedia ? 0.03 : 0.003) };
      if (r.chance(0.03)) {
        const pool = this.placesByLang.get(lang) ?? PLACES;
        const place = r.chance(0.85) ? r.pick(pool) : r.pick(PLACES);
        placeId = place.id;
        out.geo++;
        if (place.placeType !== 'country' && place.placeType !== 'admin' && r.chance(0.35)) {
          const [w, s, e, nn] = place.bbox;
          geo = [round6(w + r.next() * (e - w)), round6(s + r.next() * (nn - s))];
        }
      }
    }
    if (p.reposts[i]! > 0) this.repostCache.set(i, { ...composed, remaining: p.reposts[i]! });

    const entities = extractEntities(composed.text, composed.links, this.userIds);
    if (entities?.mentions) {
      // One row per mentioned account, however often the text names it.
      const named = new Set<string>();
      for (const m of entities.mentions) {
        if (m.id === undefined || named.has(m.id)) continue;
        named.add(m.id);
        out.mentions.push({ userId: m.id, postId: id });
      }
    }
    const likesFrom = p.likeOffset[i]!;
    const likesTo = p.likeOffset[i + 1]!;
    const likeCount = likesTo - likesFrom;
    for (let q = likesFrom; q < likesTo; q++) {
      const u = p.likers[q]!;
      const created = users.created[u]!;
      let at = t + Math.floor(Math.min(this.now - t, r.exponential(6 * HOUR)));
      if (at < created) at = created + Math.floor(r.next() * (this.now - created) * 0.1);
      out.likeAt[q - out.likeBase] = Math.min(at, this.now);
    }

    const isRepost = k === REPOST;
    const replies = p.replies[i]!;
    const reposts = p.reposts[i]!;
    const quotes = p.quotes[i]!;
    const followers = this.followers[a]!;
    const impressions =
      isRepost || t < IMPRESSIONS_SINCE
        ? 0
        : Math.floor((likeCount * 25 + reposts * 60 + replies * 30 + quotes * 40 + followers * 0.2 + r.int(1, 30)) * r.logNormal(1, 0.4));
    const row: PostRow = {
      id,
      authorId: users.ids[a]!,
      text: composed.text,
      createdAt: t,
      conversationId: this.postId(p.root[i]!),
      inReplyToPostId: k === REPLY ? this.postId(target) : null,
      inReplyToUserId: k === REPLY ? users.ids[p.author[target]!]! : null,
      quotedPostId: k === QUOTE ? this.postId(target) : null,
      repostedPostId: isRepost ? this.postId(target) : null,
      editRootId: id,
      editCount: 0,
      lang: composed.lang,
      replySettings: isRepost ? 'everyone' : r.weightedPair(REPLY_SETTINGS),
      possiblySensitive: composed.possiblySensitive,
      source: i === p.special ? 'Twitter Web App' : r.weightedPair(V.SOURCES),
      entities,
      mediaKeys,
      pollId,
      placeId,
      geoCoordinates: geo,
      noteText: null,
      noteEntities: null,
      deleted: false,
      hidden: false,
      retweetCount: reposts,
      replyCount: replies,
      likeCount,
      quoteCount: quotes,
      bookmarkCount: isRepost ? 0 : Math.floor(likeCount * r.next() * 0.15),
      impressionCount: impressions,
    };
    out.posts.push(row);
    // The post's search document, from what the writer knows (its place from the catalogue, its media's type):
    // nothing is read back from the database.
    const type = mediaType;
    const media = type ? (mediaKeys ?? []).map(() => ({ type })) : [];
    out.docs.push({ id, doc: buildSearchDoc(row, { place: placeId !== null ? this.placeRows.get(placeId)! : null, media }) });
  }

  /** One or two sentences plus optional emoji, hashtags, a mention, a cashtag and a link, within `budget`. */
  private sentenceBody(k: number, lang: V.Lang, t: number, budget: number, links: Map<string, LinkTarget>): string {
    const { r } = this;
    const joiner = lang === 'ja' ? '' : ' ';
    let text: string;
    if (k === REPLY && r.chance(0.7)) text = r.pick(V.REPLIES[lang]);
    else if (k === QUOTE && r.chance(0.6)) text = r.pick(V.QUOTES[lang]);
    else text = fill(r, r.pick(V.SENTENCES[lang]), lang);
    if (lang === 'en' && k !== REPLY && r.chance(0.04)) text = V.CASHTAG_SENTENCES[r.int(0, V.CASHTAG_SENTENCES.length - 1)]!.replace('{cashtag}', r.pick(V.CASHTAGS));
    const add = (piece: string, sep = ' ') => {
      if (weight(text) + weight(sep) + weight(piece) <= budget) text += sep + piece;
    };
    if (k !== REPLY && r.chance(0.3)) {
      const end = lang === 'ja' ? '。' : '.';
      if (!/[.!?。！？…]$/.test(text)) text += end;
      add(fill(r, r.pick(V.SENTENCES[lang]), lang), joiner);
    }
    if (r.chance(0.3)) add(r.pick(V.EMOJI), r.chance(0.5) ? ' ' : '');
    if (r.chance(0.08)) {
      let handle: string;
      if (r.chance(0.15)) handle = r.pick(V.GHOST_HANDLES);
      else {
        let u = this.activeUsers.sample(r);
        if (this.users.created[u]! > t) u = 0;
        handle = this.users.usernames[u]!;
      }
      add(`${r.pick(V.MENTION_LEADS[lang])} @${handle}`);
    }
    if (r.chance(0.18)) {
      add(r.pick(V.HASHTAGS[lang]));
      if (r.chance(0.3)) add(r.pick(r.chance(0.5) ? V.HASHTAGS[lang] : V.HASHTAGS.en));
    }
    if (r.chance(0.1) && weight(text) + LINK_WEIGHT <= budget) {
      text += ` ${shortLink(r, links, this.articleUrl(t))}`;
    }
    return text;
  }

  private articleUrl(t: number): string {
    const { r } = this;
    const d = new Date(t);
    const y = d.getUTCFullYear();
    const m = String(d.getUTCMonth() + 1).padStart(2, '0');
    const day = String(d.getUTCDate()).padStart(2, '0');
    const slug = Array.from({ length: r.int(3, 7) }, () => r.pick(V.SLUG_WORDS)).join('-');
    switch (r.pick(V.URL_KINDS)) {
      case 'github':
        return `https://github.com/${r.pick(this.users.usernames)}/${r.pick(V.REPO_NAMES)}`;
      case 'docs':
        return `https://developer.x.com/en/docs/x-api/${r.pick(['posts/search', 'users/lookup', 'posts/filtered-stream', 'fundamentals/fields', 'rate-limits'])}`;
      case 'youtube':
        return `https://www.youtube.com/watch?v=${r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 11)}`;
      case 'blog':
        return `https://${r.pick(V.BLOG_SITES)}/${y}/${m}/${slug}`;
      case 'wiki':
        return `https://en.wikipedia.org/wiki/${r.pick(V.WIKI_ARTICLES)}`;
      case 'news':
        return `https://${r.pick(V.NEWS_SITES)}/${y}/${m}/${day}/${slug}.html`;
      case 'hn':
        return `https://news.ycombinator.com/item?id=${r.int(30_000_000, 45_000_000)}`;
      default:
        return `https://arxiv.org/abs/${String(y % 100).padStart(2, '0')}${m}.${String(r.int(0, 99999)).padStart(5, '0')}`;
    }
  }

  private uniqueSnowflake(t: number, seen: Set<string>): string {
    let id: string;
    do id = snowflakeAt(Math.max(EPOCH_MS, t), this.r.int(0, 1023), this.r.int(0, 4095));
    while (seen.has(id));
    seen.add(id);
    return id;
  }

  /** Media rows for post i, as X shows photos, videos and GIFs; returns their keys and the media link. */
  private media(i: number, a: number, t: number, lang: V.Lang, out: Rows): { keys: string[]; link: LinkTarget; type: MediaRow['type'] } {
    const { r } = this;
    const kindRoll = r.next();
    const type: MediaRow['type'] = kindRoll < 0.7 ? 'photo' : kindRoll < 0.9 ? 'video' : 'animated_gif';
    const count = type === 'photo' ? r.weightedPair([[1, 70], [2, 15], [3, 7], [4, 8]] as const) : 1;
    const keys: string[] = [];
    const uploadedAt = t - r.int(2 * SEC, 2 * MIN);
    for (let n = 0; n < count; n++) {
      const mediaId = this.uniqueSnowflake(uploadedAt + n * 150, this.mediaIds);
      const code = r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 15);
      let row: MediaRow;
      if (type === 'photo') {
        const [w, h] = r.pick(PHOTO_SIZES);
        row = {
          mediaKey: `3_${mediaId}`, id: mediaId, ownerId: this.users.ids[a]!, type, url: `https://pbs.twimg.com/media/${code}.jpg`,
          previewImageUrl: null, width: w, height: h, durationMs: null,
          altText: r.chance(0.3) ? r.pick(V.ALT_TEXTS[lang]) : null, variants: null, viewCount: 0, createdAt: uploadedAt,
        };
      } else if (type === 'video') {
        const [w, h] = r.pick(VIDEO_SIZES);
        const portrait = h > w;
        const ladder = (portrait ? [[320, 568, 632000], [480, 852, 950000], [720, 1280, 2176000]] : [[480, 270, 256000], [640, 360, 832000], [1280, 720, 2176000]]) as [number, number, number][];
        const base = `https://video.twimg.com/ext_tw_video/${mediaId}/pu`;
        row = {
          mediaKey: `7_${mediaId}`, id: mediaId, ownerId: this.users.ids[a]!, type, url: null,
          previewImageUrl: `https://pbs.twimg.com/ext_tw_video_thumb/${mediaId}/pu/img/${code}.jpg`,
          width: w, height: h, durationMs: r.int(3_000, 140_000), altText: null,
          variants: [
            ...ladder.map(([vw, vh, bitRate]) => ({ bit_rate: bitRate, content_type: 'video/mp4', url: `${base}/vid/avc1/${vw}x${vh}/${code.slice(0, 12)}.mp4?tag=12` })),
            { content_type: 'application/x-mpegURL', url: `${base}/pl/${code.slice(3)}.m3u8?tag=12&v=${r.chars('0123456789abcdef', 3)}` },
          ],
          viewCount: Math.floor(r.pareto(20, 1.1)), createdAt: uploadedAt,
        };
      } else {
        const [w, h] = r.pick(GIF_SIZES);
        row = {
          mediaKey: `16_${mediaId}`, id: mediaId, ownerId: this.users.ids[a]!, type, url: null,
          previewImageUrl: `https://pbs.twimg.com/tweet_video_thumb/${code}.jpg`, width: w, height: h, durationMs: null,
          altText: r.chance(0.2) ? r.pick(V.ALT_TEXTS[lang]) : null,
          variants: [{ bit_rate: 0, content_type: 'video/mp4', url: `https://video.twimg.com/tweet_video/${code}.mp4` }],
          viewCount: 0, createdAt: uploadedAt,
        };
      }
      keys.push(row.mediaKey);
      out.media.push(row);
    }
    const short = r.alnum(10);
    const path = type === 'photo' ? 'photo' : 'video';
    return {
      keys,
      link: { expandedUrl: `https://x.com/${this.users.usernames[a]}/status/${this.postId(i)}/${path}/1`, displayUrl: `pic.x.com/${short}`, mediaKeys: keys },
      type,
    };
  }

  private poll(t: number, options: readonly string[], out: Rows): string {
    const { r } = this;
    const id = this.uniqueSnowflake(t, this.pollIds);
    const durationMinutes = r.weightedPair([[60, 2], [360, 1], [1440, 5], [4320, 2], [10080, 2], [r.int(5, 10080), 1]] as const);
    const endAt = t + durationMinutes * MIN;
    const total = Math.floor(Math.min(50_000, r.pareto(3, 1.1)) * (endAt > this.now ? Math.max(0.05, (this.now - t) / (endAt - t)) : 1));
    const shares = options.map(() => r.next() + 0.05);
    const sum = shares.reduce((x, y) => x + y, 0);
    out.polls.push({ id, options: options.map((label, n) => ({ label, votes: Math.floor((total * shares[n]!) / sum) })), durationMinutes, endAt });
    return id;
  }
}

const REPLY_SETTINGS = [
  ['everyone', 96],
  ['following', 2],
  ['mentionedUsers', 1.5],
  ['verified', 0.5],
] as const;
const PHOTO_SIZES: readonly (readonly [number, number])[] = [[1200, 675], [1080, 1350], [1920, 1080], [1080, 1080], [2048, 1536], [900, 1200], [1536, 2048], [680, 680]];
const VIDEO_SIZES: readonly (readonly [number, number])[] = [[1280, 720], [1920, 1080], [720, 1280], [1080, 1920]];
const GIF_SIZES: readonly (readonly [number, number])[] = [[498, 280], [480, 270], [320, 320], [400, 225]];

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
