/**
 * In-memory matcher for X's query language (FACTS §5): `compileMatcher(ast, { mode })` turns a parsed query/rule
 * into a predicate over a `MatchDoc`. Filtered streams use it directly; the SQL executor is checked against it.
 * Every node is compiled once into a closure; text is tokenized once per document and mode (cached on the doc
 * object, so a `MatchDoc` must not be mutated after it was first matched).
 *
 * Semantics — each rule below is what the SQL compiler must reproduce.
 *
 * TEXT. The post's text is `noteText ?? text` (long posts match on their full text) and its entities are
 * `noteEntities ?? entities`. Text is tokenized with `tokens.ts` (`searchTokens` in search mode: case- and
 * accent-insensitive; `streamTokens` in stream mode: case-insensitive, accent-sensitive). The text is split into
 * *segments* (own text; in stream mode also the quoted post's and the reposted post's text); a keyword/phrase
 * must match inside one segment, never across a boundary.
 *  - keyword / emoji: the value is tokenized the same way. One token → that token occurs in the segment. Several
 *    tokens (an unquoted `coca-cola`, `12:30`, `cat&dog`) → they occur as consecutive tokens, i.e. exactly like
 *    the phrase `"coca cola"` (Lucene's behaviour for a query term its analyzer splits). Zero tokens → no match.
 *  - `"phrase"`: its tokens occur consecutively in order.
 *  - `"a b"~N` (stream only, but honoured in both modes): Lucene sloppy-phrase semantics. Choosing distinct
 *    positions p_i for the phrase tokens t_i, the match distance is max(p_i − i) − min(p_i − i); the phrase
 *    matches when some choice has distance ≤ N. For two words: in order with up to N words between, or
 *    reversed with up to N−2 words between (X's documented rule).
 *  - `#tag` / `$cash` / `@user`: case-insensitive (accent-sensitive in both modes) equality with an entry of
 *    the hashtags / cashtags / mentions entity arrays (in stream mode the quoted and reposted posts' arrays too).
 * RETWEETS (post.repostedPostId ≠ null). Search mode: the text leaves — keyword, emoji, phrase, #, @, $ — never
 * match a retweet (keyword search stopped returning retweets on 2026-05-04). This is per leaf, so
 * `from:x OR cat` still returns x's retweets, and `from:x -cat` returns them too. Stream mode: retweets match
 * like any post (their own `RT @u: …` text plus the reposted post's content when `doc.reposted` is given).
 * QUOTES. Search mode: only the quoting post's own text/entities. Stream mode: also the quoted post's text and
 * #/@/$/url entities (when `doc.quoted` is given).
 * GEO. `place:`, `place_country:`, `point_radius:`, `bounding_box:` and `has:geo` never match a retweet (both modes).
 *  - `place:v`: v equals the place id, or v's tokens occur consecutively in the tokens of the place's
 *    `fullName` or `name` (mode tokenization). `place_country:CC`: `place.countryCode` equals CC (case-insensitive).
 *  - `point_radius:` / `bounding_box:` match when EITHER the post's exact point (`geoCoordinates`, [lon, lat]) is
 *    inside the region, OR the post's place bbox ([west, south, east, north]) is fully inside it (for a circle:
 *    all four corners within the radius). Distance is great-circle (haversine, `haversineMi` of parser.ts,
 *    compared in km: mi × 1.609344 ≤ radiusKm). Box edges are inclusive; a box with west > east wraps the
 *    antimeridian.
 *  - `has:geo`: `geoCoordinates` or `placeId` set.
 * USERS. `from:` author; `to:` the replied-to user (`post.inReplyToUserId` for an id, `doc.repliedToUser.username`
 * for a name); `retweets_of:` the reposted post's author (`doc.repostedAuthor`, or `doc.reposted.authorId` for an
 * id). Username comparisons are case-insensitive; numeric values are ids. `from_affiliate_of:` /
 * `to_affiliate_of:` look in `doc.authorAffiliations` / `doc.repliedToUserAffiliations` (sets of org ids and
 * lower-case usernames); absent → no match.
 * IDS. `conversation_id:` = conversationId, `in_reply_to_tweet_id:` = inReplyToPostId, `retweets_of_tweet_id:` =
 * repostedPostId, `quotes_of_tweet_id:` = quotedPostId, `list:` ∈ `doc.authorListIds` (absent → no match).
 * URL. `url:v`: v's tokens occur consecutively in the tokens of some url entity's `url` or `expanded_url` (own
 * entities; plus the quoted post's in stream mode). `url_contains:v`: case-insensitive substring of some
 * `expanded_url` (or `url`). `url_title:` / `url_description:`: tokenized match on a url entity's `title` /
 * `description` when the row carries them (rows normally don't → no match).
 * BIO. `bio:`, `bio_name:`, `bio_location:`: v's tokens occur consecutively in the author's description / name /
 * location. `source:v`: case-insensitive equality with `post.source`.
 * ANNOTATIONS. `context:d.e`: some `doc.contextAnnotations` entry has domainId d and entityId e (`*`: any
 * entity). `entity:v`: v equals (case-insensitively; accent-insensitively in search mode) the `normalized_text`
 * of one of the post's `annotations`, or the `entityName` of one of `doc.contextAnnotations`. Absent → no match.
 * FLAGS. `is:retweet` repostedPostId set; `is:reply` inReplyToPostId set; `is:quote` quotedPostId set;
 * `is:verified` author.verified; `is:nullcast` extras.nullcast === true. `has:hashtags|cashtags|mentions|links`:
 * the own entity array (`urls` for links) is non-empty; `has:media`: mediaKeys non-empty or `doc.media` non-empty;
 * `has:images`: some media row of type photo; `has:video_link`: some media row of type video (GIFs are not
 * videos). `lang:xx`: post.lang equals xx case-insensitively.
 * COUNTS. `followers_count|tweets_count|following_count|listed_count:N[..M]`: author counter ≥ N (and ≤ M).
 * `min_followers:` author.followersCount ≥ n; `min_likes|min_replies|min_reposts:` the post's like / reply /
 * retweet count ≥ n.
 * SAMPLE. `sample:N` keeps a post iff `sampleBucket(post.id) < N`, where (ids are decimal snowflakes)
 *     x = id mod 2147483647;  bucket = ((x × 48271) mod 2147483647) mod 100
 * (one MINSTD step: no product exceeds 2^62, so it is exact in SQLite and PostgreSQL bigint:
 * `((CAST(id AS INTEGER) % 2147483647) * 48271 % 2147483647) % 100 < N`).
 * EMBEDDINGS. `embedding:` never matches (no embeddings stored); `embedding_threshold:` is a modifier → true.
 * BOOLEAN. AND / OR / NOT are the plain boolean combinators (short-circuit), so the matcher is compositional.
 */
import type { Node, PhraseNode, UserRef } from './ast.js';
import { haversineMi } from './parser.js';
import { accentFold, caseFold, tokensFor, type MatchMode } from './tokens.js';
import type { MediaRow, PlaceRow, PostEntities, PostRow, UserRow } from '../data/rows.js';

export interface ContextAnnotation {
  domainId: string;
  entityId: string;
  entityName?: string;
}

/** Everything an operator may look at for one post. Optional parts absent → operators that need them don't match. */
export interface MatchDoc {
  post: PostRow;
  author: UserRow;
  quoted?: PostRow | null;
  quotedAuthor?: UserRow | null;
  reposted?: PostRow | null;
  repostedAuthor?: UserRow | null;
  repliedTo?: PostRow | null;
  repliedToUser?: UserRow | null;
  /** The post's media rows (needed for has:images / has:video_link). */
  media?: readonly MediaRow[] | null;
  place?: PlaceRow | null;
  /** Ids of the lists the author is a member of (`list:`). */
  authorListIds?: ReadonlySet<string> | null;
  contextAnnotations?: readonly ContextAnnotation[] | null;
  /** Org ids and lower-case usernames the author is affiliated with (`from_affiliate_of:`). */
  authorAffiliations?: ReadonlySet<string> | null;
  /** Same for the replied-to user (`to_affiliate_of:`). */
  repliedToUserAffiliations?: ReadonlySet<string> | null;
}

export interface MatcherOptions {
  mode: MatchMode;
}

export type Matcher = (doc: MatchDoc) => boolean;

// ---------------------------------------------------------------------------------------------------------------
// sample:

const P31 = 2147483647;
const MINSTD = 48271;

/** Bucket 0–99 of a post id (see the header; reproducible in SQL). */
export function sampleBucket(id: string): number {
  let r = 0;
  for (let i = 0; i < id.length; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new Error(`sampleBucket: not a decimal id: ${id}`);
    r = (r * 10 + d) % P31; // < 2^35: exact in a double
  }
  // r * 48271 < 2^47: exact in a double
  return ((r * MINSTD) % P31) % 100;
}

// ---------------------------------------------------------------------------------------------------------------
// per-document preparation (cached)

interface Seg {
  toks: string[];
  set: Set<string>;
}

interface Prep {
  segs: Seg[];
  hashtags: Set<string>;
  cashtags: Set<string>;
  mentions: Set<string>;
  /** tokens of each url / expanded_url */
  urls: Seg[];
}

function seg(text: string, mode: MatchMode): Seg {
  const toks = tokensFor(text, mode);
  return { toks, set: new Set(toks) };
}

function contentOf(p: PostRow): { text: string; entities: PostEntities | null } {
  return { text: p.noteText ?? p.text, entities: p.noteEntities ?? p.entities };
}

const cache = { search: new WeakMap<MatchDoc, Prep>(), stream: new WeakMap<MatchDoc, Prep>() };

function prepare(doc: MatchDoc, mode: MatchMode): Prep {
  const c = cache[mode];
  let p = c.get(doc);
  if (p) return p;
  const posts: PostRow[] = [doc.post];
  if (mode === 'stream') {
    if (doc.quoted && doc.post.quotedPostId) posts.push(doc.quoted);
    if (doc.reposted && doc.post.repostedPostId) posts.push(doc.reposted);
  }
  p = { segs: [], hashtags: new Set(), cashtags: new Set(), mentions: new Set(), urls: [] };
  for (const post of posts) {
    const { text, entities } = contentOf(post);
    p.segs.push(seg(text, mode));
    for (const h of entities?.hashtags ?? []) p.hashtags.add(caseFold(h.tag));
    for (const h of entities?.cashtags ?? []) p.cashtags.add(caseFold(h.tag));
    for (const m of entities?.mentions ?? []) p.mentions.add(caseFold(m.username));
    for (const u of entities?.urls ?? []) {
      p.urls.push(seg(u.url, mode));
      if (u.expanded_url && u.expanded_url !== u.url) p.urls.push(seg(u.expanded_url, mode));
    }
  }
  c.set(doc, p);
  return p;
}

// ---------------------------------------------------------------------------------------------------------------
// token sequence matching

/** A precompiled "these tokens, consecutively" test over one segment. */
type SegTest = (s: Seg) => boolean;

function consecutive(q: readonly string[]): SegTest {
  if (q.length === 0) return () => false;
  if (q.length === 1) {
    const t = q[0]!;
    return (s) => s.set.has(t);
  }
  const first = q[0]!;
  return (s) => {
    for (const t of q) if (!s.set.has(t)) return false;
    const toks = s.toks;
    const last = toks.length - q.length;
    outer: for (let i = 0; i <= last; i++) {
      if (toks[i] !== first) continue;
      for (let j = 1; j < q.length; j++) if (toks[i + j] !== q[j]) continue outer;
      return true;
    }
    return false;
  };
}

/** Lucene sloppy phrase: distinct positions p_i with max(p_i − i) − min(p_i − i) ≤ slop. */
function sloppy(q: readonly string[], slop: number): SegTest {
  if (q.length <= 1 || slop === 0) return consecutive(q);
  return (s) => {
    for (const t of q) if (!s.set.has(t)) return false;
    const positions: number[][] = q.map((t) => {
      const out: number[] = [];
      s.toks.forEach((x, i) => { if (x === t) out.push(i); });
      return out;
    });
    const used = new Set<number>();
    const go = (i: number, lo: number, hi: number): boolean => {
      if (i === q.length) return true;
      for (const p of positions[i]!) {
        if (used.has(p)) continue;
        const d = p - i;
        const nlo = Math.min(lo, d);
        const nhi = Math.max(hi, d);
        if (nhi - nlo > slop) continue;
        used.add(p);
        const ok = go(i + 1, nlo, nhi);
        used.delete(p);
        if (ok) return true;
      }
      return false;
    };
    return go(0, Infinity, -Infinity);
  };
}

function anySeg(segs: readonly Seg[], test: SegTest): boolean {
  for (const s of segs) if (test(s)) return true;
  return false;
}

/** Tokenized match of a free-text operator value against one text (tokenized per call; operator fields are short). */
function textTest(value: string, mode: MatchMode): (text: string | null | undefined) => boolean {
  const test = consecutive(tokensFor(value, mode));
  return (text) => (text ? test(seg(text, mode)) : false);
}

// ---------------------------------------------------------------------------------------------------------------
// geo

const KM_PER_MI = 1.609344;

function distKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return haversineMi(lon1, lat1, lon2, lat2) * KM_PER_MI;
}

function lonIn(lon: number, west: number, east: number): boolean {
  return west <= east ? lon >= west && lon <= east : lon >= west || lon <= east;
}

/**
 * The geo operators' test of a post: its exact point inside the area, else the bounding box of its tagged place
 * inside as `boxInside` judges it.
 */
function pointOrPlace(inside: (lon: number, lat: number) => boolean, boxInside: (bbox: PlaceRow['bbox']) => boolean): (d: MatchDoc) => boolean {
  return (d) => {
    const g = d.post.geoCoordinates;
    if (g && inside(g[0], g[1])) return true;
    const pl = d.post.placeId !== null ? d.place : null;
    return !!pl && boxInside(pl.bbox);
  };
}

function isRetweet(p: PostRow): boolean {
  return p.repostedPostId !== null;
}

// ---------------------------------------------------------------------------------------------------------------
// compiler

function userIs(u: UserRow | null | undefined, ref: UserRef): boolean {
  if (!u) return false;
  return ref.type === 'id' ? u.id === ref.id : caseFold(u.username) === ref.username;
}

function affiliated(set: ReadonlySet<string> | null | undefined, ref: UserRef): boolean {
  if (!set) return false;
  return set.has(ref.type === 'id' ? ref.id : ref.username);
}

function compile(n: Node, mode: MatchMode): Matcher {
  const search = mode === 'search';
  /** Text leaves: no retweets in search mode. */
  const text = (f: (p: Prep) => boolean): Matcher =>
    search ? (d) => !isRetweet(d.post) && f(prepare(d, mode)) : (d) => f(prepare(d, mode));
  const geo = (f: Matcher): Matcher => (d) => !isRetweet(d.post) && f(d);

  switch (n.kind) {
    case 'and': {
      const cs = n.children.map((c) => compile(c, mode));
      if (cs.length === 2) {
        const [a, b] = cs as [Matcher, Matcher];
        return (d) => a(d) && b(d);
      }
      return (d) => {
        for (const c of cs) if (!c(d)) return false;
        return true;
      };
    }
    case 'or': {
      const cs = n.children.map((c) => compile(c, mode));
      if (cs.length === 2) {
        const [a, b] = cs as [Matcher, Matcher];
        return (d) => a(d) || b(d);
      }
      return (d) => {
        for (const c of cs) if (c(d)) return true;
        return false;
      };
    }
    case 'not': {
      const c = compile(n.child, mode);
      return (d) => !c(d);
    }
    case 'keyword':
    case 'emoji': {
      const t = consecutive(tokensFor(n.value, mode));
      return text((p) => anySeg(p.segs, t));
    }
    case 'phrase': {
      const t = phraseTest(n, mode);
      return text((p) => anySeg(p.segs, t));
    }
    case 'hashtag': {
      const v = caseFold(n.tag);
      return text((p) => p.hashtags.has(v));
    }
    case 'cashtag': {
      const v = caseFold(n.symbol);
      return text((p) => p.cashtags.has(v));
    }
    case 'mention': {
      const v = caseFold(n.username);
      return text((p) => p.mentions.has(v));
    }
    case 'from': {
      const ref = n.user;
      return (d) => userIs(d.author, ref);
    }
    case 'to': {
      const ref = n.user;
      if (ref.type === 'id') {
        const id = ref.id;
        return (d) => (d.post.inReplyToUserId ?? d.repliedTo?.authorId ?? null) === id;
      }
      return (d) => d.post.inReplyToPostId !== null && userIs(d.repliedToUser, ref);
    }
    case 'retweets_of': {
      const ref = n.user;
      return (d) => {
        if (!isRetweet(d.post)) return false;
        if (d.repostedAuthor) return userIs(d.repostedAuthor, ref);
        return ref.type === 'id' && d.reposted?.authorId === ref.id;
      };
    }
    case 'from_affiliate_of': {
      const ref = n.user;
      return (d) => affiliated(d.authorAffiliations, ref);
    }
    case 'to_affiliate_of': {
      const ref = n.user;
      return (d) => d.post.inReplyToPostId !== null && affiliated(d.repliedToUserAffiliations, ref);
    }
    case 'conversation_id': {
      const id = n.id;
      return (d) => d.post.conversationId === id;
    }
    case 'in_reply_to_tweet_id': {
      const id = n.id;
      return (d) => d.post.inReplyToPostId === id;
    }
    case 'retweets_of_tweet_id': {
      const id = n.id;
      return (d) => d.post.repostedPostId === id;
    }
    case 'quotes_of_tweet_id': {
      const id = n.id;
      return (d) => d.post.quotedPostId === id;
    }
    case 'list': {
      const id = n.id;
      return (d) => d.authorListIds?.has(id) ?? false;
    }
    case 'url': {
      const t = consecutive(tokensFor(n.value, mode));
      return (d) => anySeg(prepare(d, mode).urls, t);
    }
    case 'url_contains': {
      const v = caseFold(n.value);
      return (d) => {
        for (const post of urlPosts(d, mode)) {
          for (const u of contentOf(post).entities?.urls ?? []) {
            if (caseFold(u.expanded_url || u.url).includes(v) || caseFold(u.url).includes(v)) return true;
          }
        }
        return false;
      };
    }
    case 'url_title':
    case 'url_description': {
      const key = n.kind === 'url_title' ? 'title' : 'description';
      const t = textTest(n.value, mode);
      return (d) => {
        for (const post of urlPosts(d, mode)) {
          for (const u of contentOf(post).entities?.urls ?? []) {
            const v = (u as unknown as Record<string, unknown>)[key];
            if (typeof v === 'string' && t(v)) return true;
          }
        }
        return false;
      };
    }
    case 'bio': {
      const t = textTest(n.value, mode);
      return (d) => t(d.author.description);
    }
    case 'bio_name': {
      const t = textTest(n.value, mode);
      return (d) => t(d.author.name);
    }
    case 'bio_location': {
      const t = textTest(n.value, mode);
      return (d) => t(d.author.location);
    }
    case 'source': {
      const v = caseFold(n.value);
      return (d) => d.post.source !== null && caseFold(d.post.source) === v;
    }
    case 'embedding':
      return () => false;
    case 'embedding_threshold':
      return () => true;
    case 'entity': {
      const fold = (s: string): string => (search ? accentFold(caseFold(s)) : caseFold(s));
      const v = fold(n.value);
      return (d) => {
        for (const a of contentOf(d.post).entities?.annotations ?? []) if (fold(a.normalized_text) === v) return true;
        for (const c of d.contextAnnotations ?? []) if (c.entityName !== undefined && fold(c.entityName) === v) return true;
        return false;
      };
    }
    case 'context': {
      const { domain, entity } = n;
      return (d) => {
        for (const c of d.contextAnnotations ?? []) {
          if (c.domainId === domain && (entity === '*' || c.entityId === entity)) return true;
        }
        return false;
      };
    }
    case 'place': {
      const raw = n.value;
      const t = textTest(raw, mode);
      return geo((d) => {
        const pl = d.place;
        if (!pl || d.post.placeId === null) return false;
        return pl.id === raw || t(pl.fullName) || t(pl.name);
      });
    }
    case 'place_country': {
      const code = n.code.toUpperCase();
      return geo((d) => !!d.place && d.post.placeId !== null && d.place.countryCode.toUpperCase() === code);
    }
    case 'point_radius': {
      const { lon, lat, radiusKm } = n;
      const inside = (x: number, y: number): boolean => distKm(lon, lat, x, y) <= radiusKm;
      return geo(pointOrPlace(inside, ([w, s, e, no]) => inside(w, s) && inside(w, no) && inside(e, s) && inside(e, no)));
    }
    case 'bounding_box': {
      const { west, south, east, north } = n;
      const inside = (x: number, y: number): boolean => lonIn(x, west, east) && y >= south && y <= north;
      return geo(
        pointOrPlace(inside, ([w, s, e, no]) => {
          if (west <= east) return w >= west && e <= east && s >= south && no <= north;
          return inside(w, s) && inside(e, no) && inside(w, no) && inside(e, s);
        }),
      );
    }
    case 'count_range': {
      const { min, max } = n;
      const get: (u: UserRow) => number =
        n.field === 'followers_count' ? (u) => u.followersCount
        : n.field === 'tweets_count' ? (u) => u.tweetCount
        : n.field === 'following_count' ? (u) => u.followingCount
        : (u) => u.listedCount;
      return (d) => {
        const v = get(d.author);
        return v >= min && (max === null || v <= max);
      };
    }
    case 'min_followers': {
      const k = n.n;
      return (d) => d.author.followersCount >= k;
    }
    case 'min_likes': {
      const k = n.n;
      return (d) => d.post.likeCount >= k;
    }
    case 'min_replies': {
      const k = n.n;
      return (d) => d.post.replyCount >= k;
    }
    case 'min_reposts': {
      const k = n.n;
      return (d) => d.post.retweetCount >= k;
    }
    case 'is':
      switch (n.value) {
        case 'retweet': return (d) => d.post.repostedPostId !== null;
        case 'reply': return (d) => d.post.inReplyToPostId !== null;
        case 'quote': return (d) => d.post.quotedPostId !== null;
        case 'verified': return (d) => d.author.verified;
        case 'nullcast': return (d) => d.post.extras?.nullcast === true;
      }
      break;
    case 'has':
      switch (n.value) {
        case 'hashtags': return (d) => (contentOf(d.post).entities?.hashtags?.length ?? 0) > 0;
        case 'cashtags': return (d) => (contentOf(d.post).entities?.cashtags?.length ?? 0) > 0;
        case 'mentions': return (d) => (contentOf(d.post).entities?.mentions?.length ?? 0) > 0;
        case 'links': return (d) => (contentOf(d.post).entities?.urls?.length ?? 0) > 0;
        case 'media': return (d) => (d.post.mediaKeys?.length ?? 0) > 0 || (d.media?.length ?? 0) > 0;
        case 'images': return (d) => d.media?.some((m) => m.type === 'photo') ?? false;
        case 'video_link': return (d) => d.media?.some((m) => m.type === 'video') ?? false;
        case 'geo': return geo((d) => d.post.geoCoordinates !== null || d.post.placeId !== null);
      }
      break;
    case 'lang': {
      const code = n.code.toLowerCase();
      return (d) => d.post.lang.toLowerCase() === code;
    }
    case 'sample': {
      const pct = n.percent;
      if (pct >= 100) return () => true;
      return (d) => bucketOf(d.post) < pct;
    }
  }
  const never: never = n;
  throw new Error(`compileMatcher: unhandled node ${JSON.stringify(never)}`);
}

function phraseTest(n: PhraseNode, mode: MatchMode): SegTest {
  const q = tokensFor(n.value, mode);
  return n.proximity === null ? consecutive(q) : sloppy(q, n.proximity);
}

function urlPosts(d: MatchDoc, mode: MatchMode): PostRow[] {
  return mode === 'stream' && d.quoted && d.post.quotedPostId ? [d.post, d.quoted] : [d.post];
}

const buckets = new WeakMap<PostRow, number>();
function bucketOf(p: PostRow): number {
  let b = buckets.get(p);
  if (b === undefined) {
    b = sampleBucket(p.id);
    buckets.set(p, b);
  }
  return b;
}

/**
 * Compiles a parsed query (search) or rule (stream) into a predicate. Compile once per query/rule; the
 * predicate is pure given the doc (see the header for every operator's meaning).
 */
export function compileMatcher(ast: Node, opts: MatcherOptions): Matcher {
  return compile(ast, opts.mode);
}
